// The money-safety rules as a merchant and an operator meet them: the real service as a
// child process with the sandbox provider, the merchant's webhook endpoint, and the
// payouts command. Why a payout failed (API and webhook), a late signed "paid" after a
// final `failed` kept and listed for review, text that breaks seed clients refused, and
// performPayout with the recipient's full name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { payoutsCli } from '../helpers/cli.ts';
import { FAST_ENV, post, seedMerchant, webhookReceiver } from '../helpers/engine.ts';
import { FAILURES } from '../../src/contract/failure.ts';

const SECRET = 'sandbox-secret-for-tests';
const DECLINED = '4000000000000010'; // the sandbox's card_declined

let server: TestServer;
let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
let shop: { token: string };
let named: { token: string };

before(async () => {
  const dataDir = tempDataDir();
  hooks = await webhookReceiver();
  shop = await seedMerchant(dataDir, { webhook: { url: hooks.url, enabled: true, useSignature: true } });
  named = await seedMerchant(dataDir, { routes: [{ type: 'card', channel: 'vtb', provider: 'named' }] });
  server = await startServer({
    dataDir,
    env: { ...FAST_ENV, PAYEE_DEMO: '0' },
    config: {
      providers: {
        sandbox: { kind: 'sandbox', delayMs: 0, callbacks: false, secret: SECRET },
        named: { kind: 'sandbox', delayMs: 0, callbacks: false, requireFullName: true },
      },
    },
  });
});
after(async () => {
  await server?.stop();
  await hooks?.close();
});

const api = (token: string, path: string, body: unknown) => post(server.url, token, path, body);
const eventsOf = (orderNumber: string) =>
  hooks.received.map((r) => JSON.parse(r.body)).filter((e) => e.payout.externalId === orderNumber);

test('a declined payout says why: failure {code, message} in performPayout, getPayoutStatus and the webhook', async () => {
  const body = { orderNumber: 'WHY-1', amount: 1000, description: 'why', target: { pan: DECLINED } };
  const expected = { code: 'card_declined', message: FAILURES.card_declined.message };
  const performed = await api(shop.token, 'performPayout', body);
  assert.equal(performed.status, 200);
  assert.equal(performed.body.orderStatus, 'failed');
  assert.deepEqual(performed.body.failure, expected);
  // Additive: the seed's fields first, as they were.
  assert.deepEqual(Object.keys(performed.body).slice(0, 6), [
    'result',
    'orderNumber',
    'orderStatus',
    'amount',
    'creationDate',
    'orderId',
  ]);
  const status = await api(shop.token, 'getPayoutStatus', { orderNumber: 'WHY-1' });
  assert.deepEqual([status.body.orderStatus, status.body.failure], ['failed', expected]);

  await hooks.until(() => eventsOf('WHY-1').length > 0);
  const [event] = eventsOf('WHY-1');
  assert.equal(event.payout.status, 'failed');
  assert.deepEqual(event.payout.failure, expected);

  const ok = await api(shop.token, 'performPayout', {
    ...body,
    orderNumber: 'WHY-2',
    target: { pan: '4111111111111111' },
  });
  assert.equal(ok.body.orderStatus, 'success');
  assert.equal('failure' in ok.body, false, 'no failure on a paid payout');
});

test('a late signed "paid" after a final failed is recorded and listed by npm run payouts -- review', async () => {
  const declined = await api(shop.token, 'performPayout', {
    orderNumber: 'LATE-PAID-1',
    amount: 2500,
    description: 'late',
    target: { pan: DECLINED },
  });
  assert.equal(declined.body.orderStatus, 'failed');
  const orderId: string = declined.body.orderId;
  const body = JSON.stringify({ orderId, idempotencyKey: `${orderId}.1`, ref: 'sbx_late_paid', status: 'success' });
  const res = await fetch(`${server.url}/callbacks/sandbox`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sandbox-signature': sign(body) },
    body,
  });
  assert.equal(res.status, 200, 'the provider is answered: we have it');
  const status = await api(shop.token, 'getPayoutStatus', { orderNumber: 'LATE-PAID-1' });
  assert.equal(status.body.orderStatus, 'failed', 'nothing changes for the merchant on its own');

  const review = await payoutsCli(server.dataDir, ['review']);
  assert.match(review, new RegExp(`contradiction order=LATE-PAID-1 ${orderId}`));
  assert.match(review, /"provider":\{"source":"callback","status":"success","providerRef":"sbx_late_paid"\}/);
  const shown = await payoutsCli(server.dataDir, ['show', 'LATE-PAID-1']);
  assert.match(shown, /status failed \(card_declined\) failure=card_declined/);
  assert.match(shown, /processing → failed|created → failed/);
  assert.match(shown, /callback: success, attempt 1, ref sbx_late_paid/);
  assert.match(shown, /400000\*+0010/, 'the card masked');
  assert.doesNotMatch(review + shown, new RegExp(DECLINED), 'never the full card number');

  const resolved = await payoutsCli(server.dataDir, [
    'resolve',
    orderId,
    '--status',
    'success',
    '--note',
    'provider statement shows it paid',
    '--by',
    'ops-1',
  ]);
  assert.match(resolved, /1 item\(s\) resolved; status success/);
  assert.equal((await api(shop.token, 'getPayoutStatus', { orderNumber: 'LATE-PAID-1' })).body.orderStatus, 'success');
  await hooks.until(() => eventsOf('LATE-PAID-1').some((e) => e.payout.status === 'success'));
  assert.equal(await payoutsCli(server.dataDir, ['review']), 'no open review items\n');
});

test('orderNumber and description with characters that break seed clients: 400 naming the field', async () => {
  const unsafe = ['\u2028', '\u2029', '\u202e', '\u2066', '\u200b', '\ufeff', '\u0085', '\u0007', '\ud800'];
  const create = (over: object) =>
    api(shop.token, 'createPayout', {
      orderNumber: 'TEXT-OK',
      amount: 100,
      urls: { returnUrl: 'https://shop.example/done' },
      ...over,
    });
  for (const ch of unsafe) {
    const cases: Array<[Promise<{ status: number; body: any }>, string]> = [
      [create({ orderNumber: `TEXT${ch}1` }), 'orderNumber'],
      [create({ orderNumber: `TEXT-1${ch}` }), 'orderNumber'],
      [create({ orderNumber: `TEXT-D-${ch.charCodeAt(0)}`, description: `Payout ${ch}` }), 'description'],
      [
        api(shop.token, 'performPayout', {
          orderNumber: `P${ch}`,
          amount: 100,
          description: 'x',
          target: { pan: '4111111111111111' },
        }),
        'orderNumber',
      ],
      [
        api(shop.token, 'performPayout', {
          orderNumber: `TEXT-P-${ch.charCodeAt(0)}`,
          amount: 100,
          description: `x${ch}y`,
          target: { pan: '4111111111111111' },
        }),
        'description',
      ],
      [api(shop.token, 'getPayoutStatus', { orderNumber: `WHY-1${ch}` }), 'orderNumber'],
    ];
    for (const [call, field] of cases) {
      const r = await call;
      const code = `U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
      assert.equal(r.status, 400, `${code} in ${field}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.result.error, 'VALIDATION_ERROR');
      assert.match(r.body.result.message, new RegExp(`^${field} must not contain control`), code);
    }
  }
  // Nothing was registered with the stripped or altered text.
  assert.equal((await api(shop.token, 'getPayoutStatus', { orderNumber: 'TEXT-1' })).status, 404);
  // What stays allowed: any script, emoji, quotes, slashes.
  const fine = await create({ orderNumber: 'Заказ/№7 "А" 🎁', description: "Выплата «бонус» 'ok' ✓" });
  assert.equal(fine.status, 200, JSON.stringify(fine.body));
});

test('performPayout to a provider that needs the name: target.fullName, validated like the page; without it, 403', async () => {
  const body = { orderNumber: 'NAME-1', amount: 700, description: 'named', target: { pan: '4111111111111111' } };
  const without = await api(named.token, 'performPayout', body);
  assert.equal(without.status, 403);
  assert.equal(without.body.result.error, 'PERMISSION_DENIED');
  assert.match(without.body.result.message, /needs the recipient's full name: send target\.fullName/);

  for (const fullName of ['Ivan', '   ', 'Ivan 2Petrov', 'x'.repeat(60) + ' ' + 'y'.repeat(60)]) {
    const r = await api(named.token, 'performPayout', { ...body, target: { ...body.target, fullName } });
    assert.equal(r.status, 400, fullName);
    assert.match(r.body.result.message, /^target\.fullName must/);
  }

  const paid = await api(named.token, 'performPayout', {
    ...body,
    target: { ...body.target, fullName: '  Иванов   Иван  ' },
  });
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  assert.equal(paid.body.orderStatus, 'success', 'the provider got the name it requires');
  // The name is part of the request: the same orderNumber with another name is another payout.
  const other = await api(named.token, 'performPayout', {
    ...body,
    target: { ...body.target, fullName: 'Petr Petrov' },
  });
  assert.equal(other.status, 409);
});

function sign(body: string): string {
  return createHmac('sha256', SECRET).update(body).digest('hex');
}
