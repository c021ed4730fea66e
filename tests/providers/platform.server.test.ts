// End to end over real HTTP: the Payee service (child process) handing payouts off to the
// payments platform simulator through our page's own endpoint (what the widget posts), the
// recipient on the platform's form, the merchant's webhook endpoint watching.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatformSimulator, type PlatformSimulator } from '../simulators/platform.ts';
import { secretFile, startPayeeWith, type PayeeWithProvider } from '../helpers/provider-harness.ts';
import { platformSignature } from '../../server/providers/platform/signature.ts';

let sim: PlatformSimulator;
let payee: PayeeWithProvider;
let n = 0;

const finalStatus = (on: string) => payee.untilStatus(on, ['success', 'failed', 'cancelled']);
const paymentOf = (orderId: string) => [...sim.payments.values()].filter((p) => p.externalId === orderId);

/** createPayout, then the recipient picks the card method on our page (as the widget posts it). */
async function handOff(): Promise<{
  orderNumber: string;
  pageUrl: string;
  reply: () => Promise<{ status: number; body: any }>;
}> {
  const orderNumber = `PLS-${++n}-${Date.now()}`;
  const r = await payee.api('createPayout', {
    orderNumber,
    amount: 150000,
    type: 'card',
    description: 'Prize',
    urls: { returnUrl: 'https://shop.example/done', failUrl: 'https://shop.example/fail' },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const pageUrl = r.body.payoutUrl.replace(payee.server.publicUrl, payee.server.url);
  const reply = async () => {
    const res = await fetch(pageUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ type: 'card' }),
    });
    return { status: res.status, body: await res.json() };
  };
  return { orderNumber, pageUrl, reply };
}

/** The recipient on the platform's form: a card number, then back where the platform sends them. */
async function fillPlatformForm(url: string): Promise<string | null> {
  const res = await fetch(url, {
    method: 'POST',
    body: new URLSearchParams({ pan: '2200000000000004' }),
    redirect: 'manual',
  });
  return res.headers.get('location');
}

before(async () => {
  sim = await startPlatformSimulator();
  payee = await startPayeeWith(
    { platform: { kind: 'platform', baseUrl: sim.url, tokenFile: secretFile(sim.token), requestTimeoutMs: 2500 } },
    [{ type: 'card', channel: 'vtb', provider: 'platform' }],
  );
});
after(async () => {
  await payee?.stop();
  await sim?.close();
});
beforeEach(() => {
  sim.formOutcome = 'succeeded';
  sim.duplicateWebhooks = false;
  sim.outOfOrder = false;
});

test('success: our page sends the recipient to the platform form and gets them back; the merchant sees success', async () => {
  const { orderNumber, pageUrl, reply } = await handOff();
  const r = await reply();
  const orderId = payee.row(orderNumber)!.order_id;
  const [payment] = paymentOf(orderId);
  assert.equal(r.body.redirect, payment!.url);
  assert.equal(payment!.amount, '1500.00');
  const back = await fillPlatformForm(r.body.redirect);
  assert.equal(back, `${pageUrl.replace(payee.server.url, payee.server.publicUrl)}?paymentId=${payment!.id}`);
  const row = await finalStatus(orderNumber);
  assert.deepEqual([row.status, row.provider_ref], ['success', payment!.id]);
  await payee.hooks.until(() => payee.webhookStatuses(orderNumber).length >= 3);
  assert.deepEqual(payee.webhookStatuses(orderNumber), ['created', 'processing', 'success']);
  assert.equal(paymentOf(orderId).length, 1);
});

test('the platform reporting failed: the payout fails with platform_failed, reported to the merchant', async () => {
  sim.formOutcome = 'failed';
  const { orderNumber, reply } = await handOff();
  await fillPlatformForm((await reply()).body.redirect);
  const row = await finalStatus(orderNumber);
  assert.deepEqual([row.status, row.status_reason], ['failed', 'platform_failed']);
  await payee.hooks.until(() => payee.webhookStatuses(orderNumber).includes('failed'));
});

test('the platform refusing the create: the payout fails with platform_rejected, reported to the merchant', async () => {
  sim.failNext = { httpStatus: 422, message: 'payouts are disabled for this token' };
  const { orderNumber, reply } = await handOff();
  const r = await reply();
  assert.equal(r.body.redirect, undefined);
  const row = await finalStatus(orderNumber);
  assert.deepEqual([row.status, row.status_reason], ['failed', 'platform_rejected']);
  await payee.hooks.until(() => payee.webhookStatuses(orderNumber).includes('failed'));
});

test('a timeout after the platform committed: the recipient tries again and gets the same payment, not a second one', async () => {
  sim.hangNext = true;
  const { orderNumber, reply } = await handOff();
  const first = await reply();
  assert.equal(first.body.redirect, undefined);
  assert.equal(payee.row(orderNumber)!.status, 'uploaded', 'still waiting for the recipient');
  const second = await reply();
  const orderId = payee.row(orderNumber)!.order_id;
  assert.equal(paymentOf(orderId).length, 1);
  assert.equal(second.body.redirect, paymentOf(orderId)[0]!.url);
  assert.equal(new Set(sim.createCalls.filter((c) => c.externalId === orderId).map((c) => c.idempotencyKey)).size, 1);
  await fillPlatformForm(second.body.redirect);
  assert.equal((await finalStatus(orderNumber)).status, 'success');
});

test('duplicate and out-of-order webhooks are applied once', async () => {
  sim.duplicateWebhooks = true;
  sim.outOfOrder = true;
  const { orderNumber, reply } = await handOff();
  await fillPlatformForm((await reply()).body.redirect);
  assert.equal((await finalStatus(orderNumber)).status, 'success');
  const orderId = payee.row(orderNumber)!.order_id;
  assert.equal(sim.webhooks.filter((w) => w.paymentId === paymentOf(orderId)[0]!.id).length, 4);
  await payee.hooks.until(() => payee.webhookStatuses(orderNumber).length >= 3);
  assert.deepEqual(payee.history(orderNumber), ['uploaded', 'created', 'processing', 'success']);
  assert.deepEqual(payee.webhookStatuses(orderNumber), ['created', 'processing', 'success']);
});

test('a webhook with a bad signature is refused and changes nothing', async () => {
  const { orderNumber, reply } = await handOff();
  await reply();
  const orderId = payee.row(orderNumber)!.order_id;
  const payment = paymentOf(orderId)[0]!;
  assert.equal(await sim.notify(payment, 'succeeded', { token: 'tk_forged' }), 401);
  const body = JSON.stringify({ type: 'payment.succeeded', data: { id: payment.id, status: 'succeeded' } });
  const unsigned = await fetch(`${payee.server.url}/callbacks/platform/${orderId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  assert.equal(unsigned.status, 401);
  const signedElsewhere = await fetch(`${payee.server.url}/callbacks/platform/${orderId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': platformSignature('tk_other', body) },
    body,
  });
  assert.equal(signedElsewhere.status, 401);
  assert.equal(payee.row(orderNumber)!.status, 'processing');
});
