// Every answer carries X-Request-Id (the caller's when valid, else a new one); the access log
// writes one line per request at info with that id and the route pattern, never a link token;
// the webhooks a request causes carry its id, and so do provider calls made on its behalf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { fetchWithRequestId, withRequestId } from '../../server/request-id.ts';
import { startService } from '../helpers/service.ts';
import { seedMerchant, SERVICE_ENV, webhookReceiver } from '../helpers/engine.ts';
import { tempDataDir } from '../helpers/server.ts';

const SANDBOX_NOW = { sandbox: { kind: 'sandbox', delayMs: 0, callbacks: false } };

const logLines = (out: string) =>
  out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

test('a valid X-Request-Id is echoed, logged at info and put on the webhooks the request causes', async () => {
  const receiver = await webhookReceiver();
  const dataDir = tempDataDir();
  const m = await seedMerchant(dataDir, { webhook: { url: receiver.url, enabled: true, useSignature: true } });
  const svc = await startService({ env: SERVICE_ENV, dataDir, providers: SANDBOX_NOW });
  try {
    const res = await fetch(`${svc.url}/api/v1/performPayout`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=UTF-8',
        Authorization: `Bearer ${m.token}`,
        'X-Request-Id': 'shop-req-42',
      },
      body: JSON.stringify({
        orderNumber: 'RID-1',
        amount: 1000,
        description: 'x',
        target: { pan: '4111111111111111' },
      }),
    });
    assert.equal(res.status, 200, await res.text());
    assert.equal(res.headers.get('x-request-id'), 'shop-req-42');

    await receiver.until((r) => r.length > 0);
    assert.equal(receiver.received[0]!.headers['x-request-id'], 'shop-req-42');

    const line = logLines(svc.output()).find((l) => l.msg === 'request' && l.reqId === 'shop-req-42');
    assert.ok(line, svc.output());
    assert.equal(line.level, 30, 'info');
    assert.equal(line.method, 'POST');
    assert.equal(line.route, '/api/v1/performPayout');
    assert.equal(line.status, 200);
    assert.equal(typeof line.ms, 'number');
    assert.doesNotMatch(svc.output(), /4111111111111111|Bearer/);
  } finally {
    await svc.stop();
    await receiver.close();
  }
});

test('a missing or malformed X-Request-Id is replaced by a new one', async () => {
  const svc = await startService({ env: SERVICE_ENV });
  try {
    const made = (await svc.app.request('/healthz')).headers.get('x-request-id');
    assert.match(made ?? '', /^[0-9a-f-]{36}$/);
    for (const bad of ['has space', 'x'.repeat(129), 'line\u0085break', '']) {
      const res = await svc.app.request('/robots.txt', { headers: { 'X-Request-Id': bad } });
      const id = res.headers.get('x-request-id');
      assert.match(id ?? '', /^[0-9a-f-]{36}$/, `replaced: ${JSON.stringify(bad)}`);
    }
  } finally {
    await svc.stop();
  }
});

test('the access log names the route of a payout link, never its token', async () => {
  const dataDir = tempDataDir();
  const m = await seedMerchant(dataDir);
  const svc = await startService({ env: SERVICE_ENV, dataDir });
  try {
    const created = await svc.app.request('/api/v1/createPayout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=UTF-8', Authorization: `Bearer ${m.token}` },
      body: JSON.stringify({
        orderNumber: 'RID-2',
        amount: 1000,
        type: 'card',
        urls: { returnUrl: 'https://shop.example/r' },
      }),
    });
    const { payoutUrl } = await created.json();
    const path = new URL(payoutUrl).pathname;
    const token = path.split('/')[2]!;
    await svc.app.request(`${path}/status`);
    await svc.app.request(path, { headers: { 'X-Request-Id': 'page-1' } });
    const lines = logLines(svc.output()).filter((l) => l.msg === 'request');
    const page = lines.find((l) => l.reqId === 'page-1');
    assert.equal(page.route, '/pay/:token');
    assert.equal(page.path, '/pay/:token');
    assert.ok(lines.some((l) => l.path.startsWith('/pay/:token/')));
    assert.ok(!svc.output().includes(token), 'the link token is never logged');
  } finally {
    await svc.stop();
  }
});

test('provider calls made on behalf of a request send its id', async () => {
  const seen: Array<string | undefined> = [];
  const provider = createServer((req, res) => {
    seen.push(req.headers['x-request-id'] as string | undefined);
    res.end('{}');
  });
  provider.listen(0, '127.0.0.1');
  await once(provider, 'listening');
  const url = `http://127.0.0.1:${(provider.address() as { port: number }).port}/`;
  try {
    const call = fetchWithRequestId(fetch);
    await withRequestId('req-7', async () =>
      (await call(url, { headers: { 'Content-Type': 'application/json' } })).text(),
    );
    await (await call(url)).text();
    await withRequestId('req-8', async () => (await call(url, { headers: { 'X-Request-Id': 'own' } })).text());
    assert.deepEqual(seen, ['req-7', undefined, 'own']);
  } finally {
    provider.close();
  }
});
