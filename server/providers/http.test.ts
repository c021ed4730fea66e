import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyFetchFailure, exchange, inconclusiveStatus } from './http.ts';

async function listen(handler: Parameters<typeof createServer>[1]) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

test('a refused connection never left: not_sent', async () => {
  // A port that was just free: nothing listens there.
  const gone = await listen(() => {});
  await gone.close();
  const x = await exchange(fetch, gone.url, { method: 'POST', body: '{}' }, 10_000);
  assert.deepEqual(x, { kind: 'not_sent', error: 'ECONNREFUSED' });
});

test('a name that does not resolve never left: not_sent (as fetch reports it)', () => {
  const err = Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('getaddrinfo ENOTFOUND bank.invalid'), { code: 'ENOTFOUND' }),
  });
  assert.deepEqual(classifyFetchFailure(err), { kind: 'not_sent', error: 'ENOTFOUND' });
  const again = { ...err, name: 'TypeError', cause: { code: 'EAI_AGAIN' } };
  assert.equal(classifyFetchFailure(again).kind, 'not_sent');
});

test('every address refused is not_sent; one that reset is unknown', () => {
  const refused = { code: 'ECONNREFUSED' };
  const all = new TypeError('fetch failed', { cause: { errors: [refused, refused] } });
  assert.equal(classifyFetchFailure(all).kind, 'not_sent');
  const mixed = new TypeError('fetch failed', { cause: { errors: [refused, { code: 'ECONNRESET' }] } });
  assert.equal(classifyFetchFailure(mixed).kind, 'unknown');
});

test('a connection dropped after the request went out: unknown', async () => {
  const rude = await listen((req) => req.socket.destroy());
  try {
    const x = await exchange(fetch, rude.url, { method: 'POST', body: '{}' }, 10_000);
    assert.equal(x.kind, 'unknown');
  } finally {
    await rude.close();
  }
});

test('no answer in time: unknown, naming the limit', async () => {
  const silent = await listen(() => {});
  try {
    const x = await exchange(fetch, silent.url, { method: 'GET' }, 200);
    assert.deepEqual(x, { kind: 'unknown', error: 'no answer within 200 ms' });
  } finally {
    await silent.close();
  }
});

test('5xx, 429, 401 and 403 prove nothing; other statuses are answers', () => {
  for (const status of [500, 502, 503, 429, 401, 403]) assert.ok(inconclusiveStatus(status), String(status));
  for (const status of [200, 201, 400, 404, 409, 422]) assert.equal(inconclusiveStatus(status), undefined);
});
