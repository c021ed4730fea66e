import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { postToTarget } from './outbound.ts';

const DEV = { allowHttp: true, allowLoopback: true };
const init = { headers: { 'Content-Type': 'application/json' }, body: '{}', timeoutMs: 5000 };

test('posts to one receiver share a kept-alive connection, and a long answer body does not hold it up', async () => {
  let connections = 0;
  const bodies: string[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      bodies.push(body);
      res.end(req.url === '/long' ? 'x'.repeat(256 * 1024) : 'ok');
    });
  });
  receiver.on('connection', () => connections++);
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  try {
    for (let i = 0; i < 3; i++)
      assert.deepEqual(await postToTarget(`${base}/hook`, init, DEV), { ok: true, status: 200 });
    assert.equal(connections, 1);
    assert.deepEqual(bodies, ['{}', '{}', '{}']);
    assert.deepEqual(await postToTarget(`${base}/long`, init, DEV), { ok: true, status: 200 });
    assert.deepEqual(await postToTarget(`${base}/hook`, init, DEV), { ok: true, status: 200 });
  } finally {
    receiver.closeAllConnections();
    receiver.close();
  }
});
