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
      // Callbacks overdue at once, so the status sync asks the gateway as often as it may.
      p2p: p2pInstance(sim, { requestTimeoutMs: 2500, statusAfterMs: 0, statusIntervalMs: 0, statusPerMinute: 600 }),
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
  sim.echoFiatAmount = null;
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
  assert.equal(row.provider_ref, sim.orders.get(row.order_id)!.internalId);
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

test('the create answer is lost: sent once, never failed while the gateway holds it, paid by its callback', async () => {
  sim.hangNext = true;
  sim.autoStatus = null;
  const on = orderNumber();
  await perform(on);
  const row = await payee.untilStatus(on, ['processing']);
  // The status sync asks by our order id (the gateway id never came); the gateway finds nothing.
  await eventually(() => sim.statusCalls.filter((c) => c === row.order_id).length >= 3, 15_000, 'three status queries');
  assert.equal(payee.row(on)!.status, 'processing');
  assert.deepEqual(payee.history(on), ['created', 'processing']);
  assert.equal(sim.createCalls.filter((c) => c === row.order_id).length, 1);

  await sim.settle(row.order_id, 'successful');
  assert.equal((await finalStatus(on)).status, 'success');
  await webhooksSettled(on, 2);
  assert.deepEqual(payee.webhookStatuses(on), ['processing', 'success']);
  assert.equal(sim.createCalls.filter((c) => c === row.order_id).length, 1);
  assert.deepEqual(payee.history(on), ['created', 'processing', 'success']);
});

test('the gateway echoes another amount: never success, the payout goes to review', async () => {
  sim.autoStatus = null;
  const on = orderNumber();
  await perform(on);
  const row = await payee.untilStatus(on, ['processing']);
  sim.echoFiatAmount = '1400.00';
  await sim.settle(row.order_id, 'successful');
  await eventually(() => payee.reviews(on).includes('amount_mismatch:open') || undefined, 15_000, 'a review item');
  assert.equal(payee.row(on)!.status, 'processing');
  assert.ok(!payee.history(on).includes('success'));
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

test('a forged callback is refused and changes nothing; the gateway’s own is applied', async () => {
  sim.autoStatus = null;
  const on = orderNumber();
  await perform(on);
  const row = await payee.untilStatus(on, ['processing']);
  const order = sim.orders.get(row.order_id)!;
  const forged = await fetch(`${payee.server.url}/callbacks/p2p/error/${row.order_id}/${'0'.repeat(32)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ order_id: row.order_id, type: 'pay_out', status: 'rejected_gate', fiat_amount: '1500.00' }),
  });
  assert.equal(forged.status, 401);
  assert.equal(payee.row(on)!.status, 'processing');
  await sim.settle(order.orderId, 'successful');
  assert.equal((await finalStatus(on)).status, 'success');
});
