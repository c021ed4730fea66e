// 7. Input: a JSON key given twice is a 400 wherever we parse JSON (merchant API,
// provider callbacks, the page); text shown to recipients carries no invisible tricks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEV_SETTINGS, seedMerchant, SERVICE_ENV } from '../helpers/engine.ts';
import { startService, type Service } from '../helpers/service.ts';
import { tempDataDir } from '../helpers/server.ts';
import { validateMerchantSettings } from '../../server/merchants/settings.ts';
import { createMerchant } from '../../server/merchants/store.ts';
import { apiPost } from './production.ts';

let svc: Service;
let token: string;
before(async () => {
  const dataDir = tempDataDir();
  token = (await seedMerchant(dataDir)).token;
  svc = await startService({ dataDir, env: SERVICE_ENV });
});
after(() => svc.stop());

test('the merchant API refuses a body with a key twice, naming it, and creates nothing', async () => {
  const body = '{"orderNumber":"DUP-1","amount":100,"amount":100000,"urls":{"returnUrl":"https://shop.example/ok"}}';
  const r = await apiPost(svc, token, 'createPayout', body);
  assert.equal(r.status, 400);
  assert.deepEqual(r.body.result, { error: 'VALIDATION_ERROR', message: 'body has the key "amount" twice' });
  const status = await apiPost(svc, token, 'getPayoutStatus', { orderNumber: 'DUP-1' });
  assert.equal(status.status, 404);
});

test('a provider callback with a key twice is refused before its adapter reads it', async () => {
  const res = await fetch(`${svc.url}/callbacks/sandbox`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"orderId":"p_1","status":"failed","status":"success"}',
  });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /the key "status" is given twice/);
});

test("the page's JSON post with a field twice is a 400", async () => {
  const r = await apiPost(svc, token, 'createPayout', {
    orderNumber: 'DUP-PAGE',
    amount: 1000,
    urls: { returnUrl: 'https://shop.example/ok' },
  });
  const path = new URL(r.body.payoutUrl).pathname;
  const res = await fetch(`${svc.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
    body: '{"type":"sbp","phone":"+79001234567","bankId":"100000000111","phone":"+79007654321"}',
  });
  assert.equal(res.status, 400);
  const view = await (await fetch(`${svc.url}${path}/status`)).json();
  assert.equal(view.view.kind, 'form', 'nothing was taken');
});

test('display names and descriptions with bidi, zero-width or control characters are refused', async () => {
  for (const bad of ['Shop\u202ekoob', 'Sh\u200bop', 'Shop\u0007', 'Shop\ufeff']) {
    const r = validateMerchantSettings({ displayName: bad }, DEV_SETTINGS);
    assert.equal(r.ok, false, JSON.stringify(bad));
    if (!r.ok) assert.match(r.reason, /displayName: must not contain control/);
    await assert.rejects(
      createMerchant(svc.services.db, svc.services.keyring, { name: bad, settings: {} }, DEV_SETTINGS),
      /merchant name must not be empty or contain control/,
    );
    const payout = await apiPost(svc, token, 'createPayout', {
      orderNumber: `TXT-${bad.length}-${bad.charCodeAt(bad.length - 1)}`,
      amount: 1000,
      description: `Refund ${bad}`,
      urls: { returnUrl: 'https://shop.example/ok' },
    });
    assert.equal(payout.status, 400);
    assert.match(payout.body.result.message, /description must not contain control/);
  }
});
