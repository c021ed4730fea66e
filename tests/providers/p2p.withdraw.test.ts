// A link payout still waiting at the P2P gateway when its session ends is withdrawn
// (rejected_pay_out) and ends `cancelled`, reported to the merchant; a performPayout
// payout, which has no session, is left alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startP2pSimulator, type P2pSimulator } from '../simulators/p2p.ts';
import { p2pInstance, startPayeeWith, type PayeeWithProvider } from '../helpers/provider-harness.ts';
import { tempDataDir, writeClockOffset } from '../helpers/server.ts';
import { eventually } from '../helpers/eventually.ts';

let sim: P2pSimulator;
let payee: PayeeWithProvider;
const clockFile = join(tempDataDir('payee-clock-'), 'offset');

before(async () => {
  writeClockOffset(clockFile, 0);
  sim = await startP2pSimulator();
  sim.autoStatus = null; // every payout waits at the gateway
  payee = await startPayeeWith(
    {
      p2p: p2pInstance(sim, { requestTimeoutMs: 2500, statusAfterMs: 0, statusIntervalMs: 0, statusPerMinute: 600 }),
    },
    [{ type: 'card', channel: 'vtb', provider: 'p2p' }],
    { env: { PAYEE_CLOCK_OFFSET_FILE: clockFile } },
  );
});
after(async () => {
  await payee?.stop();
  await sim?.close();
});

test('the session ends while the gateway still waits: withdrawn once, cancelled, reported', async () => {
  const linkOrder = `P2P-W-${Date.now()}`;
  const created = await payee.api('createPayout', {
    orderNumber: linkOrder,
    amount: 150000,
    type: 'card',
    sessionTimeoutSecs: 60,
    urls: { returnUrl: 'https://shop.example/done' },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const page = created.body.payoutUrl.replace(payee.server.publicUrl, payee.server.url);
  const sent = await fetch(page, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ type: 'card', pan: '4111111111111111' }),
  });
  assert.equal(sent.status, 200);
  const directOrder = `P2P-D-${Date.now()}`;
  const direct = await payee.api('performPayout', {
    orderNumber: directOrder,
    amount: 1000,
    description: 'Reward',
    target: { pan: '4111111111111111' },
  });
  assert.equal(direct.status, 200, JSON.stringify(direct.body));
  const link = await payee.untilStatus(linkOrder, ['processing']);
  const other = await payee.untilStatus(directOrder, ['processing']);
  assert.deepEqual(sim.rejectCalls, []);

  writeClockOffset(clockFile, 61_000);
  const row = await payee.untilStatus(linkOrder, ['cancelled']);
  assert.equal(row.status_reason, 'rejected_merchant');
  assert.deepEqual(sim.rejectCalls, [link.order_id]);
  await payee.hooks.until((r) =>
    r.some(
      (x) => JSON.parse(x.body).payout.externalId === linkOrder && JSON.parse(x.body).payout.status === 'cancelled',
    ),
  );
  assert.deepEqual(payee.webhookStatuses(linkOrder), ['created', 'processing', 'cancelled']);

  // Asked once, and the direct payout is still with the gateway: the engine has asked the
  // gateway about it twice more since, without asking to withdraw anything again.
  const asked = sim.statusCalls.filter((id) => id === other.provider_ref).length;
  await eventually(
    () => sim.statusCalls.filter((id) => id === other.provider_ref).length >= asked + 2,
    15_000,
    'two more status checks',
  );
  assert.deepEqual(sim.rejectCalls, [link.order_id]);
  assert.equal(payee.row(directOrder)!.status, 'processing');
  assert.equal(sim.orders.get(other.order_id)!.status, 'expectation');
});

test('the gateway refuses the withdrawal (it paid, the callback was lost): in review, then success', async () => {
  writeClockOffset(clockFile, 0);
  const on = `P2P-R-${Date.now()}`;
  const created = await payee.api('createPayout', {
    orderNumber: on,
    amount: 150000,
    type: 'card',
    sessionTimeoutSecs: 60,
    urls: { returnUrl: 'https://shop.example/done' },
  });
  const page = created.body.payoutUrl.replace(payee.server.publicUrl, payee.server.url);
  await fetch(page, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ type: 'card', pan: '4111111111111111' }),
  });
  const row = await payee.untilStatus(on, ['processing']);
  // Paid at the gateway; its callback never arrives, and its status answers fail for a while.
  sim.statusFailures = 1_000_000;
  sim.orders.get(row.order_id)!.status = 'successful';
  writeClockOffset(clockFile, 61_000);
  await eventually(() => payee.reviews(on).includes('withdraw_refused:open'), 30_000, 'the refusal in review');
  assert.ok(sim.rejectCalls.includes(row.order_id));
  assert.equal(payee.row(on)!.status, 'processing');
  sim.statusFailures = 0;
  await payee.untilStatus(on, ['success']);
  // Settled by the gateway's answer.
  assert.deepEqual(payee.reviews(on), ['withdraw_refused:resolved']);
});
