// What the API acknowledged survives a crash: kill -9 the server, start it on the same
// data directory, and every payout is there, answering as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, startServer } from '../helpers/server.ts';

test('a crash loses no acknowledged payout', async () => {
  let server = await startServer();
  const answers = [];
  for (let i = 0; i < 25; i++) {
    const req = { orderNumber: `CRASH_${i}`, amount: 1000 + i, urls: { returnUrl: `${server.publicUrl}/demo/return` } };
    const res = await api(server, 'POST', 'createPayout', req);
    assert.equal(res.status, 200);
    answers.push({ req, body: res.body });
  }
  await server.kill();

  server = await startServer({ dataDir: server.dataDir, env: { PORT: new URL(server.url).port } });
  try {
    for (const { req, body } of answers) {
      const status = await api(server, 'POST', 'getPayoutStatus', { orderNumber: req.orderNumber });
      assert.equal(status.status, 200);
      assert.equal(status.body.amount, req.amount);
      assert.equal(status.body.orderId, body.orderId);
      // A retry after the restart gets the very same link.
      const again = await api(server, 'POST', 'createPayout', req);
      assert.deepEqual(again.body, body);
    }
  } finally {
    await server.stop();
  }
});
