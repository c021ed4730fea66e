// 5. Abuse limits: the merchant API per token (429 RATE_LIMITED in the seed's envelope,
// with Retry-After), recipient-page posts per link, unknown-link look-ups per address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { seedMerchant } from '../helpers/engine.ts';
import { startService, type Service } from '../helpers/service.ts';
import { tempDataDir } from '../helpers/server.ts';
import { apiPost } from './production.ts';

let svc: Service;
let token: string;
let slowToken: string;
/** Makes the links of the page tests: its budget is not spent by the API burst test. */
let linkToken: string;
before(async () => {
  const dataDir = tempDataDir();
  token = (await seedMerchant(dataDir)).token;
  slowToken = (await seedMerchant(dataDir, { apiRatePerSecond: 1 })).token;
  linkToken = (await seedMerchant(dataDir)).token;
  // The default limits: nothing in the environment raises them.
  svc = await startService({ dataDir, env: { PAYEE_DEMO: '0' } });
});
after(async () => {
  agent.destroy();
  await svc.stop();
});

async function newLink(orderNumber: string): Promise<string> {
  const r = await apiPost(svc, linkToken, 'createPayout', {
    orderNumber,
    amount: 1000,
    urls: { returnUrl: 'https://shop.example/ok' },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return new URL(r.body.payoutUrl).pathname;
}

/** getPayoutStatus over 16 kept-alive connections (one address may hold only so many). */
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
function statusCall(t: string): Promise<{ status: number; retryAfter?: string; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${svc.url}/api/v1/getPayoutStatus`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], body: JSON.parse(text) }),
        );
      },
    );
    req.on('error', reject);
    req.end('{"orderNumber":"none"}');
  });
}

test('a burst over the default 30 requests a second is answered 429 RATE_LIMITED with Retry-After', async () => {
  const answers = await Promise.all(Array.from({ length: 400 }, () => statusCall(token)));
  const limited = answers.filter((a) => a.status === 429);
  // How many refill while they arrive depends on the machine's speed: some are always over.
  assert.ok(limited.length > 0, 'some are limited');
  assert.ok(answers.filter((a) => a.status === 404).length >= 60, 'the burst itself goes through');
  for (const a of limited) {
    assert.equal(a.body.result.error, 'RATE_LIMITED');
    assert.match(a.body.result.message, /too many requests/);
    assert.ok(Number(a.retryAfter) >= 1);
  }
});

test("a merchant's own rate setting applies to its token only", async () => {
  const a = await apiPost(svc, slowToken, 'getPayoutStatus', { orderNumber: 'none' });
  const b = await apiPost(svc, slowToken, 'getPayoutStatus', { orderNumber: 'none' });
  const c = await apiPost(svc, slowToken, 'getPayoutStatus', { orderNumber: 'none' });
  assert.deepEqual([a.status, b.status, c.status], [404, 404, 429]);
  assert.equal(c.headers.get('retry-after'), '1');
});

test('posts to one link are limited: the eleventh at once is a 429 with Retry-After', async () => {
  const path = await newLink('LIMIT-POSTS');
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) {
    const res = await fetch(`${svc.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ type: 'card', pan: '1' }),
    });
    await res.arrayBuffer();
    statuses.push(res.status);
    if (res.status === 429) assert.ok(Number(res.headers.get('retry-after')) >= 1);
  }
  assert.equal(statuses.filter((st) => st === 429).length, 1, statuses.join());
  assert.equal(statuses.at(-1), 429);
});

test('an address that guesses links is held back, for real links too (no oracle)', async () => {
  const real = await newLink('LIMIT-GUESS');
  let status = 0;
  for (let i = 0; i < 200 && status !== 429; i++) {
    const res = await fetch(`${svc.url}/pay/guess${i}/status`);
    await res.arrayBuffer();
    status = res.status;
    assert.ok(status === 404 || status === 429, String(status));
  }
  assert.equal(status, 429);
  const res = await fetch(`${svc.url}${real}/status`);
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get('retry-after')) >= 1);
});
