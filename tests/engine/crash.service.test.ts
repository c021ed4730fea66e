// Fault tests: the real service, killed (SIGKILL, via the PAYEE_CRASH_AT test hook) at
// each phase boundary of a submission, then restarted on the same data directory.
// The sandbox keeps its own record in the database, so we can count what reached the provider.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CRASH_POINTS } from '../../server/config.ts';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { FAST_ENV, post, sandboxSubmissions, seedMerchant, webhookReceiver } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';

const config = { providers: { sandbox: { kind: 'sandbox', delayMs: 0, callbacks: false } } };
// On PostgreSQL the restarted service cannot know the killed one is gone: it takes the
// payout over when the killed one's lease runs out, kept short here.
const env = {
  ...FAST_ENV,
  PAYEE_DEMO: '0',
  PAYEE_LEASE_MS: '3000',
  PAYEE_PROVIDER_TIMEOUT_MS: '2000',
  PAYEE_WEBHOOK_TIMEOUT_MS: '2000',
};

/** getPayoutStatus's answer once the restarted service has brought the payout to `status`. */
function statusAfterRestart(server: TestServer, token: string, orderNumber: string, status: string) {
  return eventually(
    async () => {
      const r = await post(server.url, token, 'getPayoutStatus', { orderNumber });
      return r.body.orderStatus === status ? r.body : undefined;
    },
    15_000,
    `${status} after restart`,
  );
}

for (const point of CRASH_POINTS) {
  test(`killed ${point.replace('_', ' ')}: one submission, success, webhooks delivered after restart`, async () => {
    const receiver = await webhookReceiver();
    const dataDir = tempDataDir();
    const m = await seedMerchant(dataDir, { webhook: { url: receiver.url, enabled: true, useSignature: true } });
    const body = {
      orderNumber: `CRASH-${point}`,
      amount: 4200,
      description: 'crash test',
      target: { pan: '4111111111111111' },
    };

    let server = await startServer({ dataDir, env: { ...env, PAYEE_CRASH_AT: point }, config });
    try {
      await assert.rejects(post(server.url, m.token, 'performPayout', body), 'the process dies during the request');
      await eventually(() => server.child.exitCode !== null || server.child.signalCode !== null, 10_000, 'crash');
      assert.equal(server.child.signalCode, 'SIGKILL');
      assert.match(server.output(), new RegExp(`crashing at ${point}`));
      const before = (await sandboxSubmissions(dataDir)).length;
      assert.equal(before, point === 'before_submit' ? 0 : 1);

      server = await startServer({ dataDir, env, config });
      const final = await statusAfterRestart(server, m.token, body.orderNumber, 'success');

      // The merchant retries its call: same payout, nothing new sent.
      const again = await post(server.url, m.token, 'performPayout', body);
      assert.equal(again.body.orderId, final.orderId);
      assert.equal(again.body.orderStatus, 'success');

      const subs = await sandboxSubmissions(dataDir);
      assert.equal(subs.length, 1, `exactly one submission reached the provider: ${JSON.stringify(subs)}`);
      assert.equal(subs[0]!.order_id, final.orderId);

      await receiver.until((got) => got.some((r) => JSON.parse(r.body).payout.status === 'success'));
      const statuses = receiver.received.map((r) => JSON.parse(r.body).payout.status);
      assert.deepEqual([...new Set(statuses)], ['processing', 'success']);
    } finally {
      await server.kill();
      await receiver.close();
    }
  });
}

test('killed after a decline reached the provider: after restart it is failed, never sent again', async () => {
  const dataDir = tempDataDir();
  const m = await seedMerchant(dataDir);
  const body = {
    orderNumber: 'CRASH-declined',
    amount: 4200,
    description: 'crash test',
    target: { pan: '4000000000000002' },
  };

  let server = await startServer({ dataDir, env: { ...env, PAYEE_CRASH_AT: 'after_submit' }, config });
  try {
    await assert.rejects(post(server.url, m.token, 'performPayout', body), 'the process dies during the request');
    await eventually(() => server.child.signalCode !== null, 10_000, 'crash');
    server = await startServer({ dataDir, env, config });
    // The status sync asks the provider, which remembers its refusal.
    const final = await statusAfterRestart(server, m.token, body.orderNumber, 'failed');
    assert.equal(final.failure?.code, 'insufficient_funds');
    assert.equal((await sandboxSubmissions(dataDir)).length, 1, 'exactly one submission reached the provider');
  } finally {
    await server.kill();
  }
});
