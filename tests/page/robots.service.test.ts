// Payout links carry a secret token: search engines are asked never to index anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startService } from '../helpers/service.ts';

test('robots.txt disallows everything', async () => {
  const service = await startService();
  try {
    const res = await service.app.request('/robots.txt');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await res.text(), 'User-agent: *\nDisallow: /\n');
  } finally {
    await service.stop();
  }
});
