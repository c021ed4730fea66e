// Saved destinations over real HTTP against the sandbox: the success of a card payout for a
// recipient the merchant named saves its card under a destination token (answer, status,
// webhook), performPayout pays to the token, and the token is refused to another merchant
// and once revoked. A payout without a recipient id keeps nothing and shows nothing new.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ManualClock,
  post,
  sandboxSubmissions,
  seedMerchant,
  webhookReceiver,
  SERVICE_ENV,
} from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { merchantCli } from '../helpers/cli.ts';
import { startService, type Service } from '../helpers/service.ts';
import { tempDataDir } from '../helpers/server.ts';

const PAN = '2200000000000004';
let svc: Service;
let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
let shop: { id: string; token: string };
let other: { id: string; token: string };
let n = 0;
const order = () => `DST-${++n}`;
const RECIPIENT = { id: 'customer:42' };
const perform = (token: string, target: object, orderNumber = order(), recipient: object | null = RECIPIENT) =>
  post(svc.url, token, 'performPayout', { orderNumber, amount: 50_000, description: 'Payout', target, recipient });
const status = (token: string, orderNumber: string) => post(svc.url, token, 'getPayoutStatus', { orderNumber });

/** A first payout to the card by number: its answer carries the saved card's token. */
async function savedToken(): Promise<string> {
  const r = await perform(shop.token, { pan: PAN });
  assert.equal(r.body.orderStatus, 'success');
  return r.body.destination.token;
}

before(async () => {
  receiver = await webhookReceiver();
  const dataDir = tempDataDir();
  shop = await seedMerchant(dataDir, { webhook: { url: receiver.url, enabled: true, useSignature: true } });
  other = await seedMerchant(dataDir);
  svc = await startService({
    env: SERVICE_ENV,
    dataDir,
    providers: { sandbox: { kind: 'sandbox', delayMs: 0, callbacks: false } },
  });
});
after(async () => {
  await svc.close();
  await receiver.close();
});

test('a successful card payout names its card by a destination token in the answer, the status and the webhook, never the number', async () => {
  const orderNumber = order();
  const r = await perform(shop.token, { pan: PAN }, orderNumber);
  assert.equal(r.body.orderStatus, 'success');
  assert.match(r.body.destination.token, /^dst_[A-Za-z0-9_-]{22}$/);
  assert.deepEqual(r.body.destination, { token: r.body.destination.token, maskedPan: '220000******0004' });
  const s = await status(shop.token, orderNumber);
  assert.deepEqual(s.body.destination, r.body.destination);
  await receiver.until((got) => got.some((x) => x.body.includes(`"externalId":"${orderNumber}","status":"success"`)));
  const success = receiver.received
    .map((x) => JSON.parse(x.body))
    .find((e) => e.payout.externalId === orderNumber && e.payout.status === 'success');
  assert.deepEqual(success.payout.destination, r.body.destination);
  for (const text of [JSON.stringify(r.body), JSON.stringify(s.body), ...receiver.received.map((x) => x.body)])
    assert.equal(text.includes(PAN), false);
  // The same card again keeps its one token.
  assert.equal(await savedToken(), r.body.destination.token);
});

test('a payout without a recipient id keeps no destination and answers as before', async () => {
  const orderNumber = order();
  const r = await perform(shop.token, { pan: '4111111111111111' }, orderNumber, null);
  assert.equal(r.body.orderStatus, 'success');
  assert.equal(r.body.destination, undefined);
  assert.equal((await status(shop.token, orderNumber)).body.destination, undefined);
  await receiver.until((got) => got.some((x) => x.body.includes(`"externalId":"${orderNumber}","status":"success"`)));
  for (const x of receiver.received.filter((x) => x.body.includes(`"externalId":"${orderNumber}"`)))
    assert.equal(JSON.parse(x.body).payout.destination, undefined);
  assert.doesNotMatch(await merchantCli(svc.dataDir, ['destinations', shop.id]), /411111/);
});

test('performPayout pays to a saved destination by its token', async () => {
  const token = await savedToken();
  const orderNumber = order();
  const r = await perform(shop.token, { token }, orderNumber);
  assert.equal(r.status, 200);
  assert.equal(r.body.orderStatus, 'success');
  assert.deepEqual(r.body.target, { maskedPan: '220000******0004' });
  assert.deepEqual(r.body.destination, { token, maskedPan: '220000******0004' });
  // The provider was sent the card itself, from the vault.
  const sent = (await sandboxSubmissions(svc.dataDir)).filter((x) => x.order_id === r.body.orderId);
  assert.deepEqual(
    sent.map((x) => x.target),
    ['220000******0004'],
  );
  // A repeat of the same request answers the same payout.
  const again = await perform(shop.token, { token }, orderNumber);
  assert.equal(again.body.orderId, r.body.orderId);
});

test("another merchant's token is unknown to it", async () => {
  const token = await savedToken();
  const r = await perform(other.token, { token });
  assert.equal(r.status, 404);
  assert.equal(r.body.result.error, 'NOT_FOUND');
  assert.match(r.body.result.message, /target\.token is not a destination of this merchant/);
});

test('a revoked token is refused, and listed as revoked', async () => {
  const token = await savedToken();
  assert.match(
    await merchantCli(svc.dataDir, ['destinations', shop.id]),
    new RegExp(`${token}\\t220000\\*{6}0004\\tcustomer:42\\tused \\S+\\tlive`),
  );
  assert.match(await merchantCli(svc.dataDir, ['revoke-destination', shop.id, token]), /revoked/);
  const r = await perform(shop.token, { token });
  assert.equal(r.status, 400);
  assert.equal(r.body.result.error, 'VALIDATION_ERROR');
  assert.match(r.body.result.message, /target\.token was revoked/);
  assert.match(await merchantCli(svc.dataDir, ['destinations', shop.id]), new RegExp(`${token}\\t.*\\trevoked `));
  // The card paid by number again gets a new token.
  const fresh = await savedToken();
  assert.notEqual(fresh, token);
});

test('the target needs a card number or a token, not both, and a token of the right shape', async () => {
  const cases: Array<[object, RegExp]> = [
    [{}, /target\.pan is required \(or target\.token\)/],
    [{ pan: PAN, token: 'dst_AAAAAAAAAAAAAAAAAAAAAA' }, /target\.token must not be given with target\.pan/],
    [{ token: 'tok_card_x' }, /target\.token must be a destination token/],
    [{ token: 'dst_AAAAAAAAAAAAAAAAAAAAAA' }, /target\.token is not a destination of this merchant/],
  ];
  for (const [target, message] of cases) {
    const r = await perform(shop.token, target);
    assert.ok(r.status === 400 || r.status === 404, JSON.stringify(r.body));
    assert.match(r.body.result.message, message);
  }
});

test("createPayout takes the merchant's recipient id, and names what is wrong with it", async () => {
  const body = (recipient: unknown) => ({
    orderNumber: order(),
    amount: 50_000,
    urls: { returnUrl: 'https://shop.example/back' },
    recipient,
  });
  const ok = await post(svc.url, shop.token, 'createPayout', body({ id: 'customer:42' }));
  assert.equal(ok.status, 200);
  for (const [recipient, message] of [
    [{ id: '' }, /recipient\.id must be 1-64 of/],
    [{ id: 'a b' }, /recipient\.id must be 1-64 of/],
    [{ id: 'x'.repeat(65) }, /recipient\.id must be 1-64 of/],
    [{}, /recipient\.id is required/],
    ['customer-42', /recipient must be an object with id/],
  ] as const) {
    const r = await post(svc.url, shop.token, 'createPayout', body(recipient));
    assert.equal(r.status, 400);
    assert.match(r.body.result.message, message);
  }
});

test('a saved card outlives the vault retention while its destination is live, and goes once it is revoked', async () => {
  const dataDir = tempDataDir();
  const m = await seedMerchant(dataDir);
  const clock = new ManualClock();
  const own = await startService({
    dataDir,
    clock,
    env: { ...SERVICE_ENV, PAYEE_PAN_RETENTION_HOURS: '24' },
    providers: { sandbox: { kind: 'sandbox', delayMs: 0, callbacks: false } },
  });
  const { db } = own.services;
  const cards = async () =>
    (await db.selectFrom('vault_items').select('token').where('kind', '=', 'pan').execute()).map((r) => r.token);
  const pay = (orderNumber: string, target: object, recipient: object | null) =>
    post(own.url, m.token, 'performPayout', { orderNumber, amount: 1000, description: 'x', target, recipient });
  try {
    const saved = await pay('RET-SAVED', { pan: PAN }, RECIPIENT);
    assert.equal(saved.body.orderStatus, 'success');
    assert.equal((await pay('RET-PLAIN', { pan: '4111111111111111' }, null)).body.orderStatus, 'success');
    assert.equal((await cards()).length, 2);

    clock.advance(25 * 3_600_000);
    await eventually(async () => (await cards()).length === 1, 60_000, 'the unsaved card purged');
    const again = await pay('RET-AGAIN', { token: saved.body.destination.token }, null);
    assert.equal(again.body.orderStatus, 'success', 'the saved card is still there to pay to');

    await merchantCli(dataDir, ['revoke-destination', m.id, saved.body.destination.token]);
    clock.advance(25 * 3_600_000);
    await eventually(async () => (await cards()).length === 0, 60_000, 'the revoked card purged');
  } finally {
    await own.stop();
  }
});

test("the page takes only the saved card it offers: another recipient's token is refused and nothing is sent", async () => {
  const token = await savedToken();
  const link = async (recipient: object) => {
    const r = await post(svc.url, shop.token, 'createPayout', {
      orderNumber: order(),
      amount: 50_000,
      type: 'card',
      urls: { returnUrl: 'https://shop.example/back' },
      recipient,
    });
    return { url: r.body.payoutUrl as string, orderNumber: r.body.orderNumber as string };
  };
  const tap = (url: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ saved: token }),
      redirect: 'manual',
    });

  const stranger = await link({ id: 'customer:7' });
  assert.equal((await tap(stranger.url)).status, 422);
  assert.equal((await status(shop.token, stranger.orderNumber)).body.orderStatus, 'uploaded');

  const own = await link(RECIPIENT);
  assert.match(await (await fetch(own.url)).text(), new RegExp(`name="saved" value="${token}"`));
  assert.equal((await tap(own.url)).status, 303);
  const paid = await status(shop.token, own.orderNumber);
  assert.notEqual(paid.body.orderStatus, 'uploaded');
  assert.equal(paid.body.target.maskedPan, '220000******0004');
});
