// The recipient page over real HTTP: its security headers, escaping, the JSON and form
// posts, one payout per link whatever is sent twice, the status endpoint and the
// cached assets. (Needs a build: npm test builds first.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '../helpers/server.ts';
import { startService, type Service } from '../helpers/service.ts';
import { eventually } from '../helpers/eventually.ts';

let server: Service;
before(async () => {
  server = await startService();
});
after(async () => {
  await server?.stop();
});

let n = 0;
async function newPayout(body: Record<string, unknown> = {}): Promise<{ url: string; orderNumber: string }> {
  const orderNumber = `page-http-${++n}`;
  const res = await api(server, 'POST', 'createPayout', {
    orderNumber,
    amount: 150000,
    urls: { returnUrl: `${server.publicUrl}/demo/return`, failUrl: `${server.publicUrl}/demo/return?failed=1` },
    ...body,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { url: (res.body.payoutUrl as string).replace(server.publicUrl, server.url), orderNumber };
}

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', ...headers },
    body: JSON.stringify(body),
  });

test('the page carries a strict CSP whose nonce is on its style and scripts, and the other security headers', async () => {
  const { url } = await newPayout();
  const res = await fetch(url);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy')!;
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'nonce-[^']+'(;|$)/);
  // The demo merchant frames its own form on its /demo pages, and nobody else may.
  assert.match(csp, /frame-ancestors http:\/\/localhost:\d+ http:\/\/127\.0\.0\.1:\d+(;|$)/);
  assert.match(csp, /form-action 'self'/);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const html = await res.text();
  const nonces = [...html.matchAll(/<(style|script)\b[^>]*\bnonce="([^"]+)"/g)].map((m) => m[2]);
  assert.ok(nonces.length >= 3, 'style, script and data all carry the nonce');
  assert.ok(nonces.every((x) => x === nonce));
  assert.doesNotMatch(html, /\sstyle="/, 'no inline style attributes (the CSP forbids them)');
  // A new nonce for every response.
  const again = await fetch(url);
  assert.notEqual(/'nonce-([^']+)'/.exec(again.headers.get('content-security-policy')!)![1], nonce);
});

test("the merchant's text is escaped everywhere, in the markup and in the page's data", async () => {
  const { url } = await newPayout({ description: '</script><script>alert(1)</script><img src=x onerror=alert(2)>' });
  const html = await (await fetch(url)).text();
  assert.doesNotMatch(html, /<script>alert|<img src=x/);
  assert.match(html, /&lt;\/script>&lt;script>alert\(1\)&lt;\/script>&lt;img src=x onerror=alert\(2\)>/);
  assert.match(html, /\\u003c\/script>\\u003cscript>alert\(1\)/);
});

test('the merchant accent colour is used, with a readable text colour on it; the logo origin is allowed for images', async () => {
  // The merchant's settings, changed in its database as the merchant CLI would.
  const db = server.services.db;
  const setSettings = (settings: string) =>
    db.updateTable('merchants').set({ settings }).where('id', '=', 'm_demo').execute();
  const { settings: original } = await db
    .selectFrom('merchants')
    .select('settings')
    .where('id', '=', 'm_demo')
    .executeTakeFirstOrThrow();
  try {
    const settings = { ...JSON.parse(original), accentColor: '#ffd400', logoUrl: `${server.publicUrl}/logo.svg` };
    await setSettings(JSON.stringify(settings));
    const { url } = await newPayout();
    const res = await fetch(url);
    const html = await res.text();
    assert.match(html, /--accent:#ffd400;--on-accent:#000/);
    assert.match(html, /<img class="logo" src="http:\/\/localhost:\d+\/logo.svg" alt(="")?\/?>/);
    assert.match(res.headers.get('content-security-policy')!, /img-src 'self' data: http:\/\/localhost:\d+;/);
  } finally {
    await setSettings(original);
  }
});

test('the server re-validates JSON details: a Luhn-invalid card and an unknown bank are refused with field errors', async () => {
  const { url, orderNumber } = await newPayout();
  const card = await postJson(url, { type: 'card', pan: '4111111111111112' });
  assert.equal(card.status, 422);
  assert.deepEqual((await card.json()).errors, { pan: 'pan_luhn' });
  const sbp = await postJson(url, { type: 'sbp', phone: '+7 900 000-00-01', bankId: '999999999999' });
  assert.equal(sbp.status, 422);
  assert.deepEqual((await sbp.json()).errors, { bankId: 'bank_unknown' });
  const none = await postJson(url, { type: 'crypto' });
  assert.deepEqual((await none.json()).errors, { type: 'type_required' });
  assert.equal((await api(server, 'POST', 'getPayoutStatus', { orderNumber })).body.orderStatus, 'uploaded');
});

test('a form post from another site is refused', async () => {
  const { url, orderNumber } = await newPayout();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
    body: 'type=card&pan=4111111111111111',
  });
  assert.equal(res.status, 403);
  assert.equal((await api(server, 'POST', 'getPayoutStatus', { orderNumber })).body.orderStatus, 'uploaded');
});

test('a plain form post is answered by a redirect to the page (post/redirect/get)', async () => {
  const { url } = await newPayout({ type: 'card' });
  const res = await fetch(`${url}?lang=en`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'type=card&pan=4111+1111+1111+1111',
    redirect: 'manual',
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `${new URL(url).pathname}?lang=en`);
});

test('details sent twice at once (double click, second tab) make one payout with the first details to arrive', async () => {
  const { url, orderNumber } = await newPayout({ type: 'card' });
  const replies = await Promise.all([
    postJson(url, { type: 'card', pan: '4111111111111111' }),
    postJson(url, { type: 'card', pan: '2200000000000004' }),
  ]);
  for (const r of replies) {
    assert.equal(r.status, 200);
    assert.ok(['progress', 'done'].includes((await r.json()).view.kind));
  }
  const status = (await api(server, 'POST', 'getPayoutStatus', { orderNumber })).body;
  assert.ok(['411111******1111', '220000******0004'].includes(status.target.maskedPan));
  const created = await server.services.db
    .selectFrom('payout_history as h')
    .innerJoin('payouts as p', 'p.id', 'h.payout_id')
    .select('h.id')
    .where('p.order_number', '=', orderNumber)
    .where('h.to_status', '=', 'created')
    .execute();
  assert.equal(created.length, 1);
});

test('the status endpoint answers the current view as JSON; the PAN never comes back', async () => {
  const { url } = await newPayout({ type: 'card' });
  const statusUrl = `${url}/status`;
  assert.equal((await (await fetch(statusUrl)).json()).view.kind, 'form');
  await postJson(url, { type: 'card', pan: '4111111111111111' });
  const view = await eventually(
    async () => {
      const now = (await (await fetch(`${statusUrl}?lang=en`)).json()).view;
      return now.kind === 'done' ? now : undefined;
    },
    10_000,
    'the outcome',
  );
  assert.equal(view.kind, 'done');
  assert.equal(view.outcome, 'success');
  assert.match(view.leave.url, /^http:\/\/localhost:\d+\/demo\/return\?orderNumber=page-http-\d+&status=success$/);
  const page = await (await fetch(url)).text();
  assert.doesNotMatch(page, /4111111111111111|4111 1111 1111 1111/);
  assert.match(page, /4111\u00a011\*\*\u00a0\*\*\*\*\u00a01111/);
});

test('an unknown link is a 404 page and a 404 status', async () => {
  const res = await fetch(`${server.url}/pay/${'A'.repeat(43)}`);
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const status = await fetch(`${server.url}/pay/${'A'.repeat(43)}/status`);
  assert.equal(status.status, 404);
  assert.deepEqual((await status.json()).view, { kind: 'notFound' });
});

test('built assets and the bank list are cached for good; anything else under /assets is a 404', async () => {
  const { url } = await newPayout();
  const html = await (await fetch(url)).text();
  const script = /<script type="module" src="([^"]+)"/.exec(html)![1]!;
  const res = await fetch(`${server.url}${script}`, { headers: { 'accept-encoding': 'br' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(res.headers.get('content-encoding'), 'br');

  const banksUrl = /"banksUrl":"([^"]+)"/.exec(html)![1]!;
  const banks = await fetch(`${server.url}${banksUrl}`);
  assert.equal(banks.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  const list = (await banks.json()) as Array<{
    id: string;
    nameRu: string;
    nameEn: string;
    popular?: number;
    keys?: string[];
  }>;
  assert.equal(list.length, 192);
  // With the other names it is found by (src/contract/bank-aliases.ts).
  assert.deepEqual(list[0], {
    id: '100000000111',
    nameRu: 'Сбербанк',
    nameEn: 'Sberbank',
    popular: 1,
    keys: ['сбер', 'sber'],
  });
  assert.ok(list[1]!.keys?.includes('тинькофф'), 'T-Bank is found by its former name');

  assert.match(banksUrl, /^\/banks\/sbp-ru\.[\w-]+\.json$/);
  const english = (await (await fetch(`${server.url}${banksUrl.replace('sbp-ru', 'sbp-en')}`)).json()) as typeof list;
  assert.deepEqual(
    english.slice(12, 14).map((b) => b.nameEn),
    ['AB ROSSIYA', 'Absolut Bank'],
  );

  for (const path of ['/assets/..%2Fpackage.json', '/assets/nope.js', '/banks/sbp-ru.old.json', '/banks/sbp-de.json']) {
    assert.equal((await fetch(`${server.url}${path}`)).status, 404, path);
  }
});
