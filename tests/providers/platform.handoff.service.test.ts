// startHandoff (engine/handoff.ts) in this process over real HTTP and SQLite, as the hosted
// page calls it: exactly once, the same url on a second call, a lost answer recovered with
// the same Idempotency-Key, and what it refuses.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatformSimulator, type PlatformSimulator } from '../simulators/platform.ts';
import { post, seedMerchant, webhookReceiver, SERVICE_ENV } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { startService, type Service } from '../helpers/service.ts';
import { secretFile } from '../helpers/provider-harness.ts';
import { tempDataDir } from '../helpers/server.ts';
import { startHandoff } from '../../server/engine/handoff.ts';

let sim: PlatformSimulator;
let svc: Service;
let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
let token: string;
let n = 0;

const row = (orderNumber: string) =>
  svc.services.db.selectFrom('payouts').selectAll().where('order_number', '=', orderNumber).executeTakeFirstOrThrow();
const webhookStatuses = (orderNumber: string) =>
  hooks.received
    .map((r) => JSON.parse(r.body).payout)
    .filter((p) => p.externalId === orderNumber)
    .map((p) => p.status);
const finalStatus = (on: string) =>
  eventually(
    async () => {
      const r = await row(on);
      return ['success', 'failed', 'cancelled'].includes(r.status) ? r : undefined;
    },
    15_000,
    `final status of ${on}`,
  );

/** createPayout as a merchant does; returns our payout row. */
async function newPayout() {
  const orderNumber = `PL-${++n}-${Date.now()}`;
  const r = await post(svc.url, token, 'createPayout', {
    orderNumber,
    amount: 99900,
    type: 'card',
    description: 'Prize',
    urls: { returnUrl: 'https://shop.example/back' },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { orderNumber, payoutUrl: r.body.payoutUrl as string, payout: await row(orderNumber) };
}

/** The recipient on the platform's form: posts a card number, follows the redirect back. */
async function fillPlatformForm(url: string, pan = '4111111111111111') {
  const page = await fetch(url);
  assert.match(await page.text(), /Card number/);
  const res = await fetch(url, { method: 'POST', body: new URLSearchParams({ pan }), redirect: 'manual' });
  return res.headers.get('location');
}

before(async () => {
  sim = await startPlatformSimulator();
  hooks = await webhookReceiver();
  const dataDir = tempDataDir();
  token = (
    await seedMerchant(dataDir, {
      routes: [{ type: 'card', channel: 'vtb', provider: 'platform' }],
      webhook: { url: hooks.url, enabled: true, useSignature: true },
    })
  ).token;
  svc = await startService({
    env: SERVICE_ENV,
    dataDir,
    providers: {
      platform: { kind: 'platform', baseUrl: sim.url, tokenFile: secretFile(sim.token), requestTimeoutMs: 2500 },
    },
  });
});
after(async () => {
  await svc?.close();
  await sim?.close();
  await hooks?.close();
});
beforeEach(() => {
  sim.formOutcome = 'succeeded';
  sim.duplicateWebhooks = false;
  sim.outOfOrder = false;
});

test('success: handed off once, the recipient fills the platform form, comes back to our page; the merchant sees success', async () => {
  const { orderNumber, payoutUrl, payout } = await newPayout();
  const first = await startHandoff(svc.services, payout.id, 'card');
  assert.equal(first.ok, true, JSON.stringify(first));
  const url = (first as { redirectUrl: string }).redirectUrl;
  const created = [...sim.payments.values()].find((p) => p.externalId === payout.order_id)!;
  assert.equal(url, created.url);
  assert.equal(created.amount, '999.00');
  assert.equal(created.redirectUrl, payoutUrl, 'the platform sends the recipient back to our page');
  assert.equal(created.webhookUrl, `${svc.services.config.publicUrl}/callbacks/platform/${payout.order_id}`);
  assert.equal((await row(orderNumber)).status, 'processing');

  assert.deepEqual(await startHandoff(svc.services, payout.id, 'card'), first, 'a second call: same url');
  assert.equal(
    [...sim.payments.values()].filter((p) => p.externalId === payout.order_id).length,
    1,
    'no second payment',
  );

  const back = await fillPlatformForm(url);
  assert.equal(back, `${payoutUrl}?paymentId=${created.id}`);
  assert.equal((await finalStatus(orderNumber)).status, 'success');
  await hooks.until(() => webhookStatuses(orderNumber).length >= 3);
  assert.deepEqual(webhookStatuses(orderNumber), ['created', 'processing', 'success']);
  assert.deepEqual(await startHandoff(svc.services, payout.id, 'card'), {
    ok: false,
    reason: 'not_waiting',
    message: 'this payout is already complete',
  });
});

test('a timeout after the platform committed: the next try repeats the same key and gets the same payment', async () => {
  sim.hangNext = true;
  const { orderNumber, payout } = await newPayout();
  const first = await startHandoff(svc.services, payout.id, 'card');
  assert.equal(first.ok, false);
  assert.equal((await row(orderNumber)).status, 'uploaded', 'still waiting: the recipient can try again');
  const second = await startHandoff(svc.services, payout.id, 'card');
  assert.equal(second.ok, true);
  const mine = [...sim.payments.values()].filter((p) => p.externalId === payout.order_id);
  assert.equal(mine.length, 1, 'one payment on the platform');
  const keys = new Set(sim.createCalls.filter((c) => c.externalId === payout.order_id).map((c) => c.idempotencyKey));
  assert.equal(keys.size, 1, 'both creates carried the same Idempotency-Key');
  assert.equal((await row(orderNumber)).provider_ref, mine[0]!.id);
  await fillPlatformForm((second as { redirectUrl: string }).redirectUrl);
  assert.equal((await finalStatus(orderNumber)).status, 'success');
});

test('a method not routed to a hand-off provider is refused', async () => {
  const { payout } = await newPayout();
  assert.equal((await startHandoff(svc.services, payout.id, 'sbp')).ok, false);
  assert.equal((await row(payout.order_number)).status, 'uploaded');
});
