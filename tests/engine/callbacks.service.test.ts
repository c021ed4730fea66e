// Provider callbacks over real HTTP: the sandbox posts a signed callback when a payout
// finishes; our route hands the raw body to its adapter and applies the outcome. Wrong
// signatures, unknown instances and bodies change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { tempDataDir } from '../helpers/server.ts';
import { post, seedMerchant, SERVICE_ENV } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { startService, type Service } from '../helpers/service.ts';

const SECRET = 'callback-test-secret';
let svc: Service;
let token: string;

before(async () => {
  const dataDir = tempDataDir();
  token = (await seedMerchant(dataDir)).token;
  svc = await startService({
    // The status sync waits ten minutes here: only a callback can finish a payout in time.
    env: { ...SERVICE_ENV, PAYEE_SYNC_FIRST_MS: '600000', PAYEE_SYNC_MAX_MS: '600000' },
    dataDir,
    providers: { sandbox: { kind: 'sandbox', delayMs: 300, callbacks: true, secret: SECRET } },
  });
  // Callbacks go to PUBLIC_URL (http://localhost:<port>), which is this service.
});
after(() => svc.close());

const historyOf = async (orderId: string) => {
  const p = await svc.services.db
    .selectFrom('payouts')
    .select('id')
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
  return svc.services.db
    .selectFrom('payout_history')
    .select(['to_status', 'reason'])
    .where('payout_id', '=', p.id)
    .orderBy('id')
    .execute();
};

const callback = (path: string, body: string, signature: string) =>
  fetch(`${svc.url}/callbacks/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sandbox-signature': signature },
    body,
  });
const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');

test('a signed callback finishes the payout (success and a later failure)', async () => {
  const ok = await post(svc.url, token, 'performPayout', {
    orderNumber: 'CB-1',
    amount: 100,
    description: 'x',
    target: { pan: '4111111111111111' },
  });
  const bad = await post(svc.url, token, 'performPayout', {
    orderNumber: 'CB-2',
    amount: 100,
    description: 'x',
    target: { pan: '4000000000000051' },
  });
  assert.equal(ok.body.orderStatus, 'processing');
  assert.equal(bad.body.orderStatus, 'processing');
  await eventually(
    async () => (await post(svc.url, token, 'getPayoutStatus', { orderNumber: 'CB-1' })).body.orderStatus === 'success',
    10_000,
    'success',
  );
  await eventually(
    async () => (await post(svc.url, token, 'getPayoutStatus', { orderNumber: 'CB-2' })).body.orderStatus === 'failed',
    10_000,
    'failed',
  );
  assert.deepEqual((await historyOf(ok.body.orderId)).at(-1), { to_status: 'success', reason: 'callback:success' });
  assert.deepEqual((await historyOf(bad.body.orderId)).at(-1), { to_status: 'failed', reason: 'limit_exceeded' });
});

test('a forged, malformed or misdirected callback is refused and changes nothing', async () => {
  const r = await post(svc.url, token, 'performPayout', {
    orderNumber: 'CB-3',
    amount: 100,
    description: 'x',
    target: { pan: '4000000000000028' },
  });
  assert.equal(r.body.orderStatus, 'processing');
  const attempt = await svc.services.db
    .selectFrom('payout_attempts')
    .select('idempotency_key')
    .where('idempotency_key', 'like', `${r.body.orderId}.%`)
    .executeTakeFirstOrThrow();
  const forged = JSON.stringify({
    orderId: r.body.orderId,
    idempotencyKey: attempt.idempotency_key,
    ref: 'sbx_x',
    status: 'success',
  });

  let res = await callback('sandbox', forged, sign(forged, 'not-the-secret'));
  assert.equal(res.status, 401);
  res = await callback('sandbox', forged, '');
  assert.equal(res.status, 401);
  res = await callback('sandbox', `${forged} `, sign(forged));
  assert.equal(res.status, 401, 'the signature covers the exact bytes');
  const malformed = JSON.stringify({ orderId: r.body.orderId, status: 'paid' });
  res = await callback('sandbox', malformed, sign(malformed));
  assert.equal(res.status, 400);
  res = await callback('nosuchprovider', forged, sign(forged));
  assert.equal(res.status, 404);
  res = await fetch(`${svc.url}/callbacks/sandbox`);
  assert.equal(res.status, 405);

  assert.equal((await post(svc.url, token, 'getPayoutStatus', { orderNumber: 'CB-3' })).body.orderStatus, 'processing');
  // The same body, rightly signed, is applied.
  res = await callback('sandbox/any/tail?x=1', forged, sign(forged));
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'OK');
  assert.equal((await post(svc.url, token, 'getPayoutStatus', { orderNumber: 'CB-3' })).body.orderStatus, 'success');
});
