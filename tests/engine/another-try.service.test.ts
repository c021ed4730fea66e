// Another try: when the provider definitely refuses the recipient's card or phone, the link
// stays open for other details within its session and the merchant's tries. The merchant
// sees one payout, `processing` through the tries; each attempt keeps its own idempotency
// key and is sent once; the payout fails with the last refusal only when the tries or the
// session run out. A refusal that is not about the recipient's details still ends it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { awaitsDetails, submitRecipientDetails } from '../../server/engine/details.ts';
import { findByOrderNumber, getPayoutById, getPayoutProgress } from '../../server/engine/payouts.ts';
import { tempDataDir } from '../helpers/server.ts';
import { ManualClock, post, sandboxSubmissions, seedMerchant, SERVICE_ENV } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { startService, type Service } from '../helpers/service.ts';

const DECLINED = '4000000000000010'; // the sandbox's card_declined, at once
const LOW_BALANCE = '4000000000000002'; // the sandbox's insufficient_funds: the merchant's, not the card's
const GOOD = '4111111111111111';

let svc: Service;
let shop: { id: string; token: string };
let twice: { id: string; token: string };
const clock = new ManualClock();
let n = 0;

before(async () => {
  const dataDir = tempDataDir();
  shop = await seedMerchant(dataDir);
  twice = await seedMerchant(dataDir, { maxTries: 2 });
  svc = await startService({
    env: SERVICE_ENV,
    dataDir,
    clock,
    providers: { sandbox: { kind: 'sandbox', delayMs: 0, callbacks: false } },
  });
});
after(() => svc.close());

async function linkPayout(merchant = shop) {
  const orderNumber = `T-${++n}`;
  const r = await post(svc.url, merchant.token, 'createPayout', {
    orderNumber,
    amount: 25000,
    sessionTimeoutSecs: 600,
    urls: { returnUrl: 'https://shop.example/back' },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return (await findByOrderNumber(svc.services, merchant.id, orderNumber))!;
}

const row = async (id: number) => (await getPayoutById(svc.services, id))!;
/** Until the provider's refusal is in and the link waits for other details. */
const waiting = (id: number) => eventually(async () => awaitsDetails(await row(id)), 60_000, 'waiting for details');
const statusOf = async (orderNumber: string, token = shop.token) =>
  (await post(svc.url, token, 'getPayoutStatus', { orderNumber })).body;
const history = (id: number) =>
  svc.services.db
    .selectFrom('payout_history')
    .select('to_status')
    .where('payout_id', '=', id)
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((r) => r.to_status));

test('a declined card, then another card on the same link: one payout, processing through, then success', async () => {
  const p = await linkPayout();
  assert.ok((await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: DECLINED })).ok);
  await waiting(p.id);
  const declined = await row(p.id);
  assert.equal(declined.status, 'processing');
  assert.equal(declined.declined_code, 'card_declined');
  const seen = await statusOf(p.order_number);
  assert.equal(seen.orderStatus, 'processing', 'the merchant sees the payout going on');
  assert.equal(seen.failure, undefined);

  const again = await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: GOOD });
  assert.ok(again.ok, JSON.stringify(again));

  await eventually(async () => (await row(p.id)).status === 'success', 60_000, 'success');

  const done = await row(p.id);
  assert.equal(done.tries, 2);
  assert.equal(done.masked_pan, '411111******1111');
  assert.deepEqual(await history(p.id), ['uploaded', 'created', 'processing', 'success']);
  const sent = (await sandboxSubmissions(svc.dataDir)).filter((x) => x.order_id === p.order_id);
  assert.deepEqual(
    sent.map((x) => x.idempotency_key),
    [`${p.order_id}.1`, `${p.order_id}.2`],
    'each card sent once, each with its own key',
  );
  const later = await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: GOOD });
  assert.equal(!later.ok && later.reason, 'already_submitted');
});

test('a phone the bank does not know, then a card: the other method is offered on the second try', async () => {
  const p = await linkPayout();
  assert.ok(
    (await submitRecipientDetails(svc.services, p.id, { type: 'sbp', phone: '79000000002', bankId: '100000000111' }))
      .ok,
  );
  await waiting(p.id);
  assert.equal((await row(p.id)).declined_code, 'recipient_not_found');
  assert.ok((await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: GOOD })).ok);
  await eventually(async () => (await row(p.id)).status === 'success', 60_000, 'success');
  const done = await row(p.id);
  assert.deepEqual([done.destination_type, done.masked_phone, done.bank_id], ['card', null, null]);
});

test("the refused attempt's provider reference is dropped with the refused details", async () => {
  const p = await linkPayout();
  const bankRefuses = { type: 'sbp', phone: '79000000005', bankId: '100000000111' } as const;
  assert.ok((await submitRecipientDetails(svc.services, p.id, bankRefuses)).ok);
  await waiting(p.id);
  assert.equal((await row(p.id)).declined_code, 'bank_rejected');
  // As a provider that names its payouts would have left it (the sandbox answers by our key).
  await svc.services.db.updateTable('payouts').set({ provider_ref: 'refused-ref' }).where('id', '=', p.id).execute();
  const again = await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: GOOD });
  assert.ok(again.ok, JSON.stringify(again));
  // The next attempt's status is never asked for by the refused one's reference.
  assert.equal(again.payout.provider_ref, null);
  await eventually(async () => (await row(p.id)).status === 'success', 60_000, 'success');
});

test('when the tries run out, the payout fails with the last refusal', async () => {
  const p = await linkPayout(twice);
  assert.ok((await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: DECLINED })).ok);
  await waiting(p.id);
  assert.ok((await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: DECLINED })).ok);
  await eventually(async () => (await row(p.id)).status === 'failed', 60_000, 'failed');
  const seen = await statusOf(p.order_number, twice.token);
  assert.equal(seen.failure.code, 'card_declined');
  assert.deepEqual(await history(p.id), ['uploaded', 'created', 'processing', 'failed']);
});

test('when the session runs out while the link waits, the payout fails with the refusal; later details are refused', async () => {
  const p = await linkPayout();
  assert.ok((await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: DECLINED })).ok);
  await waiting(p.id);
  clock.advance(601_000);
  try {
    const progress = await getPayoutProgress(svc.services, p.id);
    assert.equal(progress?.status, 'failed');
    const done = await row(p.id);
    assert.deepEqual([done.failure_code, done.declined_code], ['card_declined', null]);
    const late = await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: GOOD });
    assert.equal(late.ok, false);
    assert.equal((await sandboxSubmissions(svc.dataDir)).filter((x) => x.order_id === p.order_id).length, 1);
  } finally {
    clock.advance(-601_000);
  }
});

test("a refusal about the merchant's own balance is no reason to ask for another card: it fails at once", async () => {
  const p = await linkPayout();
  assert.ok((await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: LOW_BALANCE })).ok);
  await eventually(async () => (await row(p.id)).status === 'failed', 60_000, 'failed');
  assert.equal((await row(p.id)).failure_code, 'insufficient_funds');
});

test('a merchant can allow no other try: --max-tries 1 fails the first refusal', async () => {
  const once = await seedMerchant(svc.dataDir, { maxTries: 1 });
  const p = await linkPayout(once);
  assert.ok((await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: DECLINED })).ok);
  await eventually(async () => (await row(p.id)).status === 'failed', 60_000, 'failed');
  assert.equal((await row(p.id)).failure_code, 'card_declined');
});
