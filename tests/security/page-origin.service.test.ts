// 6. The recipient page: a post from another site is refused whether the browser says so
// in Sec-Fetch-Site or only in Origin; //pay/… never redirects to another host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { seedMerchant } from '../helpers/engine.ts';
import { startService, type Service } from '../helpers/service.ts';
import { tempDataDir } from '../helpers/server.ts';
import { apiPost } from './production.ts';

let svc: Service;
let token: string;
let n = 0;
before(async () => {
  const dataDir = tempDataDir();
  token = (await seedMerchant(dataDir)).token;
  svc = await startService({ dataDir, env: { PAYEE_DEMO: '0' } });
});
after(() => svc.stop());

async function newLink(): Promise<string> {
  const r = await apiPost(svc, token, 'createPayout', {
    orderNumber: `ORIGIN-${++n}`,
    amount: 1000,
    urls: { returnUrl: 'https://shop.example/ok' },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return new URL(r.body.payoutUrl).pathname;
}

const formPost = (url: string, headers: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: 'type=sbp&phone=79001234567&bankId=100000000111',
  });

test('a post with a foreign Origin and no Sec-Fetch-Site is refused, and the payout stays as it was', async () => {
  const path = await newLink();
  const res = await formPost(`${svc.url}${path}`, { origin: 'https://evil.example' });
  assert.equal(res.status, 403);
  const view = await (await fetch(`${svc.url}${path}/status`)).json();
  assert.equal(view.view.kind, 'form');
});

test('posts from our own page are taken: Origin "null" (no-referrer), our origin, or none', async () => {
  for (const origin of ['null', svc.url, svc.publicUrl]) {
    const res = await formPost(`${svc.url}${await newLink()}`, { origin, 'sec-fetch-site': 'same-origin' });
    assert.notEqual(res.status, 403, origin);
  }
  assert.equal((await formPost(`${svc.url}${await newLink()}`, { 'sec-fetch-site': 'cross-site' })).status, 403);
});

test('a post to //pay/<token> is answered with a redirect to our own path, never to host "pay"', async () => {
  const path = await newLink();
  const res = await formPost(`${svc.url}/${path}`, { origin: 'null', 'sec-fetch-site': 'same-origin' });
  assert.equal(res.status, 303);
  const location = res.headers.get('location') ?? '';
  assert.ok(location.startsWith(`${path}`), location);
  assert.ok(!location.startsWith('//'), location);
});
