// Payout links carry a secret token: search engines are asked never to index anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/server.ts';

test('robots.txt disallows everything', async () => {
  const server = await startServer();
  try {
    const res = await fetch(`${server.url}/robots.txt`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await res.text(), 'User-agent: *\nDisallow: /\n');
  } finally {
    await server.stop();
  }
});
