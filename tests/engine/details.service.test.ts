// The hosted page's entry into the engine: which methods a link payout offers, taking
// the recipient's details (vault first, one guarded transition, submission in the
// background), idempotency, expiry, and providers that need the recipient's name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { methodsFor, submitRecipientDetails } from '../../server/engine/details.ts';
import { startHandoff } from '../../server/engine/handoff.ts';
import { findByOrderNumber, getPayoutById, getPayoutProgress } from '../../server/engine/payouts.ts';
import { getMerchant } from '../../server/merchants/store.ts';
import { reveal } from '../../server/vault/vault.ts';
import { tempDataDir } from '../helpers/server.ts';
import { ManualClock, post, sandboxSubmissions, seedMerchant, SERVICE_ENV } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { startService, type Service } from '../helpers/service.ts';

let svc: Service;
let m: { id: string; token: string };
let named: { id: string; token: string };
let hosted: { id: string; token: string };
let single: { id: string; token: string };
const clock = new ManualClock();
let n = 0;

before(async () => {
  const dataDir = tempDataDir();
  m = await seedMerchant(dataDir);
  named = await seedMerchant(dataDir, { routes: [{ type: 'card', channel: 'vtb', provider: 'named' }] });
  hosted = await seedMerchant(dataDir, { routes: [{ type: 'card', channel: 'vtb', provider: 'hosted' }] });
  // No other try after a refusal (tests/engine/another-try.service.test.ts has the tries).
  single = await seedMerchant(dataDir, { maxTries: 1 });
  svc = await startService({
    env: SERVICE_ENV,
    dataDir,
    clock,
    providers: {
      sandbox: { kind: 'sandbox', delayMs: 0, callbacks: false },
      named: { kind: 'sandbox', delayMs: 0, callbacks: false, requireFullName: true },
      hosted: { kind: 'sandbox', delayMs: 2000, callbacks: false, handoff: true },
    },
  });
});
after(() => svc.close());

async function linkPayout(extra: Record<string, unknown> = {}, token = m.token) {
  const orderNumber = `D-${++n}`;
  const r = await post(svc.url, token, 'createPayout', {
    orderNumber,
    amount: 25000,
    urls: { returnUrl: 'https://shop.example/back' },
    ...extra,
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const merchantId = [m, named, hosted, single].find((x) => x.token === token)!.id;
  return (await findByOrderNumber(svc.services, merchantId, orderNumber))!;
}

const progress = async (id: number) => (await getPayoutProgress(svc.services, id))!.status;

test('methods: the payout fixed type, else every routed type, with what each provider needs', async () => {
  const s = svc.services;
  const merchant = (await getMerchant(s.db, m.id))!;
  assert.deepEqual(methodsFor(s, merchant, await linkPayout()), [
    { type: 'card', requiredFields: [], handoff: false },
    { type: 'sbp', requiredFields: [], handoff: false },
  ]);
  assert.deepEqual(
    methodsFor(s, merchant, await linkPayout({ type: 'sbp' })).map((x) => x.type),
    ['sbp'],
  );
  const namedMerchant = (await getMerchant(s.db, named.id))!;
  assert.deepEqual(methodsFor(s, namedMerchant, await linkPayout({}, named.token)), [
    { type: 'card', requiredFields: ['fullName'], handoff: false },
  ]);
});

test('card details: only the token and masked values are kept; the payout is submitted and succeeds', async () => {
  const p = await linkPayout();
  const r = await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: '4111 1111 1111 1111' });
  assert.ok(r.ok, JSON.stringify(r));
  const row = r.payout;
  assert.equal(row.status, 'created');
  assert.equal(row.destination_type, 'card');
  assert.equal(row.provider, 'sandbox');
  assert.equal(row.masked_pan, '411111******1111');
  assert.equal(row.card_bin, '411111');
  assert.equal(row.card_last4, '1111');
  assert.equal(row.card_brand, 'visa');
  assert.match(row.card_fingerprint!, /^[0-9a-f]{64}$/);
  assert.match(row.card_token!, /^tok_card_/);
  assert.ok(!JSON.stringify(row).includes('4111111111111111'));
  assert.equal(await reveal(svc.services, row.card_token!), '4111111111111111');
  await eventually(async () => (await progress(p.id)) === 'success', 10_000, 'success');
  const statuses = await post(svc.url, m.token, 'getPayoutStatus', { orderNumber: p.order_number });
  assert.deepEqual(statuses.body.target, { maskedPan: '411111******1111' });
});

test('details are taken once: repeats and concurrent submits answer already_submitted, one submission', async () => {
  const p = await linkPayout();
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      submitRecipientDetails(svc.services, p.id, {
        type: 'card',
        pan: i % 2 ? '4111111111111111' : '2200000000000004',
      }),
    ),
  );
  assert.equal(results.filter((r) => r.ok).length, 1);
  for (const r of results.filter((r) => !r.ok)) {
    assert.equal(!r.ok && r.reason, 'already_submitted');
    assert.equal(!r.ok && r.payout?.id, p.id);
  }
  await eventually(async () => (await progress(p.id)) === 'success', 10_000, 'success');
  const later = await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: '4111111111111111' });
  assert.equal(!later.ok && later.reason, 'already_submitted');
  assert.equal((await sandboxSubmissions(svc.dataDir)).filter((x) => x.order_id === p.order_id).length, 1);
});

test('SBP details: phone in the vault, masked phone and bank kept; a refusal becomes failed with its reason', async () => {
  const ok = await linkPayout({ type: 'sbp' });
  const r = await submitRecipientDetails(svc.services, ok.id, {
    type: 'sbp',
    phone: '+7 (900) 000-00-01',
    bankId: '100000000111',
  });
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.payout.masked_phone, '+7 (900) ***-**-01');
  assert.equal(r.payout.bank_id, '100000000111');
  assert.equal(await reveal(svc.services, r.payout.phone_token!), '79000000001');
  await eventually(async () => (await progress(ok.id)) === 'success', 10_000, 'success');

  const no = await linkPayout({ type: 'sbp' }, single.token);
  assert.ok(
    (await submitRecipientDetails(svc.services, no.id, { type: 'sbp', phone: '79000000002', bankId: '100000000004' }))
      .ok,
  );
  await eventually(async () => (await progress(no.id)) === 'failed', 10_000, 'failed');
  assert.equal((await getPayoutProgress(svc.services, no.id))!.reason, 'recipient_not_found');
});

test('wrong details and methods are refused without changing the payout', async () => {
  const p = await linkPayout({ type: 'card' });
  const cases: Array<[Parameters<typeof submitRecipientDetails>[2], string, RegExp]> = [
    [{ type: 'card', pan: '4111111111111112' }, 'invalid', /pan: pan_luhn/],
    [{ type: 'card', pan: '1234' }, 'invalid', /pan: pan_length/],
    [{ type: 'sbp', phone: '79000000001', bankId: '100000000111' }, 'method_not_allowed', /sbp/],
  ];
  for (const [details, reason, message] of cases) {
    const r = await submitRecipientDetails(svc.services, p.id, details);
    assert.equal(!r.ok && r.reason, reason);
    assert.match(!r.ok ? r.message : '', message);
  }
  const sbp = await linkPayout({ type: 'sbp' });
  const r = await submitRecipientDetails(svc.services, sbp.id, {
    type: 'sbp',
    phone: '79000000001',
    bankId: '999999999999',
  });
  assert.equal(!r.ok && r.reason, 'invalid');
  assert.match(!r.ok ? r.message : '', /bankId: bank_unknown/);
  assert.equal((await getPayoutById(svc.services, p.id))!.status, 'uploaded');
  assert.equal((await getPayoutById(svc.services, sbp.id))!.status, 'uploaded');
});

test('an expired session refuses details; the sweep cancels expired links without a read', async () => {
  const read = await linkPayout({ sessionTimeoutSecs: 60 });
  const swept = await linkPayout({ sessionTimeoutSecs: 60 });
  clock.advance(60_000);
  const r = await submitRecipientDetails(svc.services, read.id, { type: 'card', pan: '4111111111111111' });
  assert.equal(!r.ok && r.reason, 'expired');
  assert.equal((await getPayoutById(svc.services, read.id))!.status_reason, 'session_expired');
  const row = await eventually(
    async () => {
      const x = await svc.services.db
        .selectFrom('payouts')
        .selectAll()
        .where('id', '=', swept.id)
        .executeTakeFirstOrThrow();
      return x.status === 'cancelled' ? x : undefined;
    },
    5000,
    'sweep',
  );
  assert.equal(row.status_reason, 'session_expired');
  const events = await svc.services.db
    .selectFrom('webhook_events')
    .select('status')
    .where('payout_id', '=', swept.id)
    .execute();
  assert.deepEqual(events, [{ status: 'cancelled' }]);
});

test('a provider that needs the full name: required by the form, passed on, and performPayout is refused', async () => {
  const p = await linkPayout({}, named.token);
  const missing = await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: '4111111111111111' });
  assert.equal(!missing.ok && missing.reason, 'invalid');
  assert.match(!missing.ok ? missing.message : '', /fullName: name_required/);
  const r = await submitRecipientDetails(svc.services, p.id, {
    type: 'card',
    pan: '4111111111111111',
    fullName: '  Ivan   Petrov ',
  });
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.payout.recipient_name, 'Ivan Petrov');
  assert.equal(r.payout.provider, 'named');
  await eventually(async () => (await progress(p.id)) === 'success', 10_000, 'success');

  const direct = await post(svc.url, named.token, 'performPayout', {
    orderNumber: 'N-1',
    amount: 100,
    description: 'x',
    target: { pan: '4111111111111111' },
  });
  assert.equal(direct.status, 403);
  assert.match(direct.body.result.message, /fullName/);
});

test('the sandbox as a hand-off provider: registered once, the recipient comes straight back, success', async () => {
  const p = await linkPayout({}, hosted.token);
  const merchant = (await getMerchant(svc.services.db, hosted.id))!;
  assert.deepEqual(methodsFor(svc.services, merchant, p), [{ type: 'card', requiredFields: [], handoff: true }]);
  const typed = await submitRecipientDetails(svc.services, p.id, { type: 'card', pan: '4111111111111111' });
  assert.equal(!typed.ok && typed.reason, 'method_not_allowed');

  const first = await startHandoff(svc.services, p.id, 'card');
  assert.ok(first.ok, JSON.stringify(first));
  // The sandbox's "page" sends the recipient straight back to this payout's own page.
  assert.match(first.redirectUrl, new RegExp(`^${svc.services.config.publicUrl}/pay/[A-Za-z0-9_-]{43}$`));
  const again = await startHandoff(svc.services, p.id, 'card'); // a reload while the provider works
  assert.equal(again.ok && again.redirectUrl, first.redirectUrl);
  clock.advance(2000);
  await eventually(async () => (await progress(p.id)) === 'success', 10_000, 'success');
  const row = (await getPayoutById(svc.services, p.id))!;
  assert.deepEqual([row.destination_type, row.provider], ['card', 'hosted']);
  // One payment at the provider: a repeat uses the same idempotency key.
  const keys = (await sandboxSubmissions(svc.dataDir, 'hosted'))
    .filter((x) => x.order_id === p.order_id)
    .map((x) => x.idempotency_key);
  assert.deepEqual([...new Set(keys)], [`${p.order_id}.1`]);
});
