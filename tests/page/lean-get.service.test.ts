// GET /pay/:token over the network is answered straight from node:http (server/page/lean-get.ts):
// the same answer as the router gives (it still answers `//pay/…`, which it normalises), in every
// encoding with a fresh nonce, with the request id and the access line; anything else about the
// request is the router's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ManualClock, seedMerchant, SERVICE_ENV } from '../helpers/engine.ts';
import { startService, type Service } from '../helpers/service.ts';
import { tempDataDir } from '../helpers/server.ts';

/** Stopped, so that all answers of a page show the same time left. */
const clock = new ManualClock();
let svc: Service;
let merchant: { id: string; token: string };

before(async () => {
  const dataDir = tempDataDir('payee-lean-get-');
  merchant = await seedMerchant(dataDir, { logoUrl: 'https://cdn.shop.example/logo.png' });
  svc = await startService({ dataDir, clock, env: SERVICE_ENV });
});
after(async () => {
  await svc?.close();
});

let n = 0;
async function newLink(): Promise<string> {
  const res = await fetch(`${svc.url}/api/v1/createPayout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=UTF-8', authorization: `Bearer ${merchant.token}` },
    body: JSON.stringify({ orderNumber: `lean-${++n}`, amount: 150000, urls: { returnUrl: 'https://shop.example/b' } }),
  });
  const body = (await res.json()) as { payoutUrl: string };
  return new URL(body.payoutUrl).pathname;
}

/** One answer over the network, its bytes as sent (fetch would decode them) and decoded. */
function get(path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string>; html: string; nonce: string }>(
    (resolve, reject) => {
      request(`${svc.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const encoding = res.headers['content-encoding'];
          const html = (
            encoding === 'br' ? brotliDecompressSync(bytes) : encoding === 'gzip' ? gunzipSync(bytes) : bytes
          ).toString();
          const nonce = /'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1] ?? '';
          resolve({ status: res.statusCode!, headers: res.headers as Record<string, string>, html, nonce });
        });
      })
        .on('error', reject)
        .end();
    },
  );
}

/** What differs between any two answers of one page: the nonce, the time, the request id, the date. */
function comparable(a: Awaited<ReturnType<typeof get>>) {
  const { date: _d, 'x-request-id': _id, 'content-length': _l, ...headers } = a.headers;
  const same = (s: string) => s.replaceAll(a.nonce, 'NONCE').replace(/"now":\d+/, '"now":0');
  return {
    status: a.status,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, same(v)])),
    html: same(a.html),
  };
}

const accessLines = () =>
  svc
    .output()
    .split('\n')
    .filter((l) => l.includes('"msg":"request"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test('the page as the router answers it, in brotli, gzip or none, each answer with a fresh nonce', async () => {
  const path = await newLink();
  const nonces = new Set<string>();
  for (const encoding of ['br', 'gzip', 'identity']) {
    const headers = { 'accept-encoding': encoding, 'accept-language': 'ru' };
    // Twice: a link's first answer is rendered, the next ones spliced from the page kept.
    const [first, kept] = [await get(path, headers), await get(path, headers)];
    const routed = await get(`/${path}`, headers);
    assert.equal(kept.headers['content-encoding'] ?? 'identity', encoding);
    assert.equal(kept.headers['cache-control'], 'no-store');
    assert.match(kept.html, /<form/);
    for (const a of [first, kept, routed]) nonces.add(a.nonce);
    assert.deepEqual(comparable(kept), comparable(first));
    assert.deepEqual(comparable(kept), comparable(routed));
  }
  assert.equal(nonces.size, 9);
});

test("a page's query (its language, a frame) is read as the router reads it", async () => {
  const path = await newLink();
  const query = '?lang=en&embed=1&theme-accent=%23ffd400';
  const lean = await get(`${path}${query}`, { 'accept-encoding': 'br' });
  const routed = await get(`/${path}${query}`, { 'accept-encoding': 'br' });
  assert.match(lean.html, /<html lang="en"/);
  assert.match(lean.html, /--accent:#ffd400/);
  assert.deepEqual(comparable(lean), comparable(routed));
});

test("the caller's request id is echoed and logged on the access line, with the route and never the token", async () => {
  const path = await newLink();
  const lean = await get(path, { 'x-request-id': 'shop-lean-1' });
  const routed = await get(`/${path}`, { 'x-request-id': 'shop-lean-2' });
  assert.equal(lean.headers['x-request-id'], 'shop-lean-1');
  assert.equal(routed.headers['x-request-id'], 'shop-lean-2');
  const [leanLine, routedLine] = ['shop-lean-1', 'shop-lean-2'].map((id) => accessLines().find((l) => l.reqId === id)!);
  const { reqId: _a, ms: _b, time: _c, ...leanRest } = leanLine!;
  const { reqId: _d, ms: _e, time: _f, ...routedRest } = routedLine!;
  assert.deepEqual(leanRest, routedRest);
  assert.deepEqual(
    { method: leanRest.method, route: leanRest.route, path: leanRest.path, status: leanRest.status },
    { method: 'GET', route: '/pay/:token', path: '/pay/:token', status: 200 },
  );
  assert.ok(!svc.output().includes(path.split('/').pop()!));
});

test('an unknown link, a HEAD and a post are the router’s, as before', async () => {
  const unknown = await get(`/pay/${'x'.repeat(43)}`, {});
  assert.equal(unknown.status, 404);
  assert.equal(unknown.headers['cache-control'], 'no-store');
  const path = await newLink();
  const head = await fetch(`${svc.url}${path}`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.ok(head.headers.get('content-security-policy'));
  const post = await fetch(`${svc.url}${path}`, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } });
  assert.equal(post.status, 403);
});
