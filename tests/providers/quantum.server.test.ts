// End to end over real HTTP: the Payee service (child process) paying cards out through an
// upstream Quantum Payouts account simulator, the merchant's webhook endpoint watching.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startQuantumSimulator, type QuantumSimulator } from '../simulators/quantum.ts';
import { secretFile, startPayeeWith, type PayeeWithProvider } from '../helpers/provider-harness.ts';
import { eventually } from '../helpers/eventually.ts';

let sim: QuantumSimulator;
let payee: PayeeWithProvider;
let n = 0;
const orderNumber = () => `QU-${++n}-${Date.now()}`;
const perform = (on: string) =>
  payee.api('performPayout', {
    orderNumber: on,
    amount: 250000,
    description: 'Upstream payout',
    target: { pan: '4111111111111111' },
  });
const finalStatus = (on: string) => payee.untilStatus(on, ['success', 'failed', 'cancelled']);
const webhooksSettled = (on: string, count: number) =>
  payee.hooks.until((r) => r.filter((x) => JSON.parse(x.body).payout.externalId === on).length >= count);

before(async () => {
  sim = await startQuantumSimulator();
  payee = await startPayeeWith(
    {
      quantum: {
        kind: 'quantum',
        baseUrl: sim.url,
        tokenFile: secretFile(sim.token),
        webhookSecretFile: secretFile(sim.webhookSecret),
        requestTimeoutMs: 2500,
      },
    },
    [{ type: 'card', channel: 'vtb', provider: 'quantum' }],
  );
  sim.webhookUrl = `${payee.server.publicUrl}/callbacks/quantum/webhook`;
});
after(async () => {
  await payee?.stop();
  await sim?.close();
});
beforeEach(() => {
  sim.autoStatus = 'success';
  sim.autoSettleMs = 50;
  sim.duplicateWebhooks = false;
  sim.outOfOrder = false;
});

test('features: read from the account at start; our features report card payouts, not SBP', async () => {
  await eventually(() => sim.featuresCalls >= 1, 15_000, 'a features request');
  const res = await fetch(`${payee.server.url}/api/v1/features`, {
    headers: { Authorization: `Bearer ${payee.merchant.token}`, Accept: 'application/json; version=1.0' },
  });
  const body = await res.json();
  assert.equal(body.features.card_payouts, true);
  assert.equal(body.features.sbp_payouts, false);
});

test('success: performPayout once with our orderId as orderNumber, webhook verified, merchant told', async () => {
  const on = orderNumber();
  const r = await perform(on);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const row = await finalStatus(on);
  assert.equal(row.status, 'success');
  assert.deepEqual(
    sim.bankSubmissions.filter((o) => o === row.order_id),
    [row.order_id],
  );
  assert.equal(sim.payouts.get(row.order_id)!.amount, 250000);
  await webhooksSettled(on, 2);
  assert.deepEqual(payee.webhookStatuses(on), ['processing', 'success']);
});

test('the upstream reporting failed fails the payout with upstream_failed', async () => {
  sim.autoStatus = 'failed';
  const on = orderNumber();
  await perform(on);
  const row = await finalStatus(on);
  assert.deepEqual([row.status, row.status_reason], ['failed', 'upstream_failed']);
});

test('performPayout refused with 403 PERMISSION_DENIED: never failed on it; the account, asked, lacks it; sent again, paid', async () => {
  sim.failNext = { httpStatus: 403, error: 'PERMISSION_DENIED', message: 'refused by the simulator' };
  const on = orderNumber();
  await perform(on);
  const row = await finalStatus(on);
  assert.equal(row.status, 'success');
  assert.ok(!payee.history(on).includes('failed'));
  assert.equal(sim.bankSubmissions.filter((o) => o === row.order_id).length, 1);
});

for (const [httpStatus, error, code] of [[400, 'VALIDATION_ERROR', 'upstream_validation_error']] as const) {
  test(`performPayout refused with ${error}: failed (${code}), reported to the merchant`, async () => {
    sim.failNext = { httpStatus, error, message: 'refused by the simulator' };
    const on = orderNumber();
    await perform(on);
    const row = await finalStatus(on);
    assert.deepEqual([row.status, row.status_reason], ['failed', code]);
    await webhooksSettled(on, 1);
    assert.deepEqual(payee.webhookStatuses(on), ['failed']);
  });
}

test('a timeout after the upstream committed: unknown, reconciled by getPayoutStatus, sent to the bank once', async () => {
  sim.hangNext = true;
  sim.autoStatus = null;
  const on = orderNumber();
  await perform(on);
  const row = await payee.untilStatus(on, ['processing']);
  await eventually(() => sim.statusCalls.includes(row.order_id), 15_000, 'a getPayoutStatus');
  const webhookUrl = sim.webhookUrl;
  sim.webhookUrl = null; // the outcome must come from the status query alone
  await sim.settle(row.order_id, 'success');
  sim.webhookUrl = webhookUrl;
  assert.equal((await finalStatus(on)).status, 'success');
  assert.equal(sim.bankSubmissions.filter((o) => o === row.order_id).length, 1);
});

test('duplicate and out-of-order webhooks are applied once', async () => {
  sim.duplicateWebhooks = true;
  sim.outOfOrder = true;
  const on = orderNumber();
  await perform(on);
  const row = await finalStatus(on);
  assert.equal(row.status, 'success');
  await eventually(
    () => sim.webhooks.filter((w) => w.orderNumber === row.order_id && w.httpStatus !== null).length === 6,
    15_000,
    'all webhooks answered',
  );
  await webhooksSettled(on, 2);
  assert.deepEqual(payee.history(on), ['created', 'processing', 'success']);
  assert.deepEqual(payee.webhookStatuses(on), ['processing', 'success']);
});

test('a webhook with a bad signature is refused and changes nothing', async () => {
  sim.autoStatus = null;
  const on = orderNumber();
  await perform(on);
  const row = await payee.untilStatus(on, ['processing']);
  assert.equal(await sim.notify(sim.payouts.get(row.order_id)!, 'success', { secret: 'sk_forged' }), 401);
  assert.equal(payee.row(on)!.status, 'processing');
  await sim.settle(row.order_id, 'success');
  assert.equal((await finalStatus(on)).status, 'success');
});

test('the account throttles for a while: every payout ends success, never more than 30 requests in a second', async () => {
  sim.autoSettleMs = 0;
  await eventually(() => sim.featuresCalls > 0, 15_000, 'the account features read at start');
  const arrivedBefore = sim.arrivals.length;
  const throttledBefore = sim.throttled;
  sim.throttleNextMs = 1500;
  const orders = Array.from({ length: 40 }, () => orderNumber());
  await Promise.all(orders.map((on) => perform(on)));
  for (const on of orders) assert.equal((await finalStatus(on)).status, 'success', on);
  assert.ok(sim.throttled > throttledBefore, 'the account did throttle');
  assert.ok(sim.arrivals.length - arrivedBefore >= 40);
  assert.ok(sim.busiestSecond() <= 30, `busiest second: ${sim.busiestSecond()} requests`);
  for (const on of orders) {
    const id = payee.row(on)!.order_id;
    assert.equal(sim.bankSubmissions.filter((o) => o === id).length, 1);
  }
});
