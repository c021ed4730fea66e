// The recipient page as kept between answers (server/page/page-cache.ts): still compressed
// for browsers, the same page whatever the encoding, a new nonce and the current time in
// every answer, and never a piece of one link's page in another's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { updateMerchantSettings } from '../../server/merchants/store.ts';
import { clockText, secondsLeft } from '../../server/page/page-cache.ts';
import { DEV_SETTINGS, ManualClock, SERVICE_ENV, seedMerchant } from '../helpers/engine.ts';
import { startService, type Service } from '../helpers/service.ts';
import { tempDataDir } from '../helpers/server.ts';

const clock = new ManualClock();
let running: Service;
let app: Service['app'];
let merchant: { id: string; token: string };

before(async () => {
  const dataDir = tempDataDir('payee-page-cache-');
  merchant = await seedMerchant(dataDir);
  running = await startService({ dataDir, clock, env: SERVICE_ENV });
  app = running.app;
});
after(async () => {
  await running?.close();
});

let n = 0;
async function newLink(): Promise<{ path: string; orderNumber: string; token: string }> {
  const orderNumber = `page-cache-${++n}`;
  const res = await app.request('/api/v1/createPayout', {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=UTF-8', authorization: `Bearer ${merchant.token}` },
    body: JSON.stringify({
      orderNumber,
      amount: 150000,
      description: 'Возврат за заказ 1456',
      urls: { returnUrl: 'https://shop.example/back' },
    }),
  });
  const body = (await res.json()) as { payoutUrl: string };
  const path = new URL(body.payoutUrl).pathname;
  return { path, orderNumber, token: path.split('/').pop()! };
}

/** One answer as a browser gets it: the nonce of its CSP, and the HTML decoded from its bytes. */
async function page(path: string, encoding: 'br' | 'gzip' | 'identity') {
  const res = await app.request(path, { headers: { 'accept-encoding': encoding } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-encoding') ?? 'identity', encoding);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const bytes = Buffer.from(await res.arrayBuffer());
  const html = (
    encoding === 'br' ? brotliDecompressSync(bytes) : encoding === 'gzip' ? gunzipSync(bytes) : bytes
  ).toString();
  const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy')!)![1]!;
  return { html, nonce, bytes: bytes.length };
}

test('every answer, first or kept, is the same page in brotli, gzip or none, with its own fresh nonce', async () => {
  const { path } = await newLink();
  const answers = [];
  for (let round = 0; round < 3; round++)
    for (const encoding of ['br', 'gzip', 'identity'] as const) answers.push(await page(path, encoding));
  const nonces = new Set(answers.map((a) => a.nonce));
  assert.equal(nonces.size, answers.length, 'a new nonce for every answer');
  const plain = answers[2]!;
  for (const a of answers) {
    // The nonce of the answer is on the style, the script and the data; no other nonce is in the page.
    assert.equal(a.html.split(`nonce="${a.nonce}"`).length - 1, 3);
    for (const other of nonces) if (other !== a.nonce) assert.ok(!a.html.includes(other));
    assert.equal(a.html.replaceAll(a.nonce, 'NONCE'), plain.html.replaceAll(plain.nonce, 'NONCE'));
  }
  // Compressed, not merely labelled so.
  assert.ok(answers[0]!.bytes < plain.bytes / 3 && answers[1]!.bytes < plain.bytes / 3);
});

test("no piece of one link's page shows in another's, whichever was kept first", async () => {
  const a = await newLink();
  const b = await newLink();
  for (const encoding of ['br', 'gzip', 'identity'] as const) {
    const [pa, pb, pa2] = [await page(a.path, encoding), await page(b.path, encoding), await page(a.path, encoding)];
    for (const p of [pa, pa2]) {
      assert.ok(p.html.includes(a.token) && p.html.includes(a.orderNumber));
      assert.ok(!p.html.includes(b.token) && !p.html.includes(`"${b.orderNumber}"`));
    }
    assert.ok(pb.html.includes(b.token) && !pb.html.includes(a.token) && !pb.html.includes(`"${a.orderNumber}"`));
  }
});

test('a kept page shows the time of each answer: the server time and the time left, in every encoding', async () => {
  const { path } = await newLink();
  const status = await app.request(`${path}/status`);
  const { view } = (await status.json()) as { view: { kind: string; expiresAt: number } };
  assert.equal(view.kind, 'form');
  // 10:00 left, then 9:59 (a shorter text), then 3 minutes later: each answer says so.
  for (const at of [view.expiresAt - 600_000, view.expiresAt - 599_000, view.expiresAt - 419_500]) {
    clock.t = at;
    for (const encoding of ['br', 'gzip', 'identity'] as const) {
      const { html } = await page(path, encoding);
      assert.ok(html.includes(`"now":${at},`), `${encoding}: the server time of the answer`);
      assert.ok(html.includes(`<span class="num">${clockText(secondsLeft(view.expiresAt, at))}</span>`));
    }
  }
  assert.equal(clockText(secondsLeft(view.expiresAt, view.expiresAt - 599_000)), '9:59');
  clock.t = Date.now();
});

test('a kept page follows its payout and its merchant: the details sent, a new accent colour', async () => {
  const { path } = await newLink();
  assert.match((await page(path, 'br')).html, /<form/);
  await updateMerchantSettings(running.services.db, merchant.id, { accentColor: '#ffd400' }, DEV_SETTINGS);
  assert.match((await page(path, 'br')).html, /--accent:#ffd400/);
  const sent = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
    body: JSON.stringify({ type: 'card', pan: '4111111111111111' }),
  });
  assert.equal(sent.status, 200);
  const { html } = await page(path, 'br');
  assert.doesNotMatch(html, /<form/);
  assert.match(html, /"view":\{"kind":"(progress|done)"/);
});
