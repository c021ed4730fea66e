// End to end over real HTTP: the Payee service (child process) paying out through the P2P
// gateway simulator, the merchant's webhook endpoint watching.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startP2pSimulator, type P2pSimulator } from '../simulators/p2p.ts';
import { p2pInstance, startPayeeWith, type PayeeWithProvider } from '../helpers/provider-harness.ts';
import { eventually } from '../helpers/eventually.ts';

let sim: P2pSimulator;
let payee: PayeeWithProvider;
let n = 0;
const PAN = '4111111111111111';
const orderNumber = () => `P2P-${++n}-${Date.now()}`;
const perform = (on: string) =>
  payee.api('performPayout', { orderNumber: on, amount: 150000, description: 'Reward', target: { pan: PAN } });
const finalStatus = (on: string) => payee.untilStatus(on, ['success', 'failed', 'cancelled']);
const webhooksSettled = (on: string, count: number) =>
  payee.hooks.until((r) => r.filter((x) => JSON.parse(x.body).payout.externalId === on).length >= count);

before(async () => {
  sim = await startP2pSimulator();
  payee = await startPayeeWith(
    {
      p2p: p2pInstance(sim, { requestTimeoutMs: 2500, statusBackoffMs: 100, statusBackoffMaxMs: 400 }),
    },
    [
      { type: 'card', channel: 'vtb', provider: 'p2p' },
      { type: 'sbp', channel: 'vtb', provider: 'p2p' },
    ],
  );
});
after(async () => {
  await payee?.stop();
  await sim?.close();
});
beforeEach(() => {
  sim.autoStatus = 'successful';
  sim.autoSettleMs = 50;
  sim.duplicateCallbacks = false;
  sim.callbackBeforeAnswer = false;
});

test('success: sent once, confirmed, reported to the merchant', async () => {
  const on = orderNumber();
  const r = await perform(on);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const row = await finalStatus(on);
  assert.equal(row.status, 'success');
  await webhooksSettled(on, 2);
  assert.deepEqual(payee.webhookStatuses(on), ['processing', 'success']);
  assert.equal(sim.createCalls.filter((c) => c === row.order_id).length, 1);
  assert.equal(sim.orders.get(row.order_id)!.fiatAmount, '1500.00');
  assert.ok(sim.statusCalls.includes(row.order_id), 'the callback was confirmed by status_pay_out');
  const s = await payee.api('getPayoutStatus', { orderNumber: on });
  assert.equal(s.body.orderStatus, 'success');
});

for (const [error, code] of [
  ['low balance', 'p2p_low_balance'],
  ['overloading requisite', 'p2p_requisite_overloaded'],
  ['this payment method is disabled for your merchant', 'p2p_method_disabled'],
  ['some error nobody documented', 'p2p_rejected'],
] as const) {
  test(`"${error}" fails the payout with ${code}, reported to the merchant`, async () => {
    sim.failNext = { error };
    const on = orderNumber();
    await perform(on);
    const row = await finalStatus(on);
    assert.equal(row.status, 'failed');
    assert.equal(row.status_reason, code);
    await webhooksSettled(on, 1);
    assert.deepEqual(payee.webhookStatuses(on), ['failed']);
  });
}

for (const status of ['rejected_timeout', 'rejected_gate'] as const) {
  test(`the gateway's ${status} callback fails the payout with that code`, async () => {
    sim.autoStatus = status;
    const on = orderNumber();
    await perform(on);
    const row = await finalStatus(on);
    assert.deepEqual([row.status, row.status_reason], ['failed', status]);
  });
}

test('a timeout after the gateway committed: unknown, reconciled by status_pay_out, never sent twice', async () => {
  sim.hangNext = true;
  sim.autoStatus = null;
  const on = orderNumber();
  await perform(on);
  const row = await payee.untilStatus(on, ['processing']);
  await eventually(() => sim.statusCalls.includes(row.order_id), 15_000, 'a status query');
  await sim.settle(row.order_id, 'successful');
  assert.equal((await finalStatus(on)).status, 'success');
  assert.equal(sim.createCalls.filter((c) => c === row.order_id).length, 1);
});

test('a duplicate callback, arriving before the create answer, is applied once', async () => {
  sim.duplicateCallbacks = true;
  sim.callbackBeforeAnswer = true;
  const on = orderNumber();
  await perform(on);
  const row = await finalStatus(on);
  assert.equal(row.status, 'success');
  assert.equal(sim.callbacks.filter((c) => c.orderId === row.order_id).length, 2);
  await webhooksSettled(on, 2);
  // Both callbacks were answered, so any second change would be in the outbox by now.
  assert.deepEqual(payee.outbox(on), ['processing', 'success']);
  assert.deepEqual(payee.webhookStatuses(on), ['processing', 'success']);
  assert.deepEqual(payee.history(on), ['created', 'processing', 'success']);
});

test('a callback the gateway does not confirm is refused and changes nothing', async () => {
  sim.autoStatus = null;
  const on = orderNumber();
  await perform(on);
  const row = await payee.untilStatus(on, ['processing']);
  const order = sim.orders.get(row.order_id)!;
  assert.equal(await sim.callBack(order, 'successful'), 409);
  const forged = await fetch(`${payee.server.url}/callbacks/p2p/success/${row.order_id}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ order_id: 'po_someone_else', type: 'pay_out', status: 'successful' }),
  });
  assert.equal(forged.status, 400);
  assert.equal(payee.row(on)!.status, 'processing');
  await sim.settle(row.order_id, 'successful');
  assert.equal((await finalStatus(on)).status, 'success');
});
