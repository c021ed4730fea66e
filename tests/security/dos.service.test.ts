// 2. Denial of service: no memory kept per request name, bounded paths, headers and
// bodies, slow clients cut, a cap on connections per client address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { keptAssetCount } from '../../server/http/static.ts';
import { startService, type Service } from '../helpers/service.ts';
import { eventually } from '../helpers/eventually.ts';

let svc: Service;
let port: number;
before(async () => {
  svc = await startService({ env: { PAYEE_DEMO: '0' } });
  port = Number(new URL(svc.url).port);
});
after(() => svc.stop());

test('thousands of distinct missing assets keep nothing in memory', async () => {
  const keptBefore = keptAssetCount();
  const names = Array.from({ length: 4000 }, (_, i) => `missing-${i}-${'x'.repeat(200)}.js`);
  for (let i = 0; i < names.length; i += 16) {
    await Promise.all(
      names.slice(i, i + 16).map(async (name) => {
        const res = await fetch(`${svc.url}/assets/${name}`);
        await res.arrayBuffer();
        assert.equal(res.status, 404);
      }),
    );
  }
  assert.equal(keptAssetCount(), keptBefore);
});

test('a path over the bound is a 414, a body over the bound on any route a 413, big headers a 431', async () => {
  assert.equal((await fetch(`${svc.url}/assets/${'a'.repeat(5000)}.js`)).status, 414);
  const big = await fetch(`${svc.url}/embed/v1.js`, { method: 'POST', body: 'x'.repeat(100_000) });
  assert.equal(big.status, 413);
  const apiBig = await fetch(`${svc.url}/api/v1/createPayout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `{"x":"${'x'.repeat(100_000)}"}`,
  });
  assert.equal(apiBig.status, 413);
  assert.equal((await apiBig.json()).result.error, 'PAYLOAD_TOO_LARGE');
  const headers = await rawRequest(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(20_000)}\r\n\r\n`);
  assert.match(headers, /^HTTP\/1\.1 431/);
});

function rawRequest(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.on('data', (d) => (out += d));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.end(text);
  });
}

/** Sends `head` and then one more byte every second, until the server closes the connection. */
async function trickle(head: string): Promise<{ ms: number; answer: string }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const started = Date.now();
  let answer = '';
  socket.on('data', (d) => (answer += d));
  socket.on('error', () => {});
  socket.write(head);
  const drip = setInterval(() => socket.write('a'), 1000);
  await once(socket, 'close');
  clearInterval(drip);
  return { ms: Date.now() - started, answer };
}

test('slow headers and slow bodies are cut within 30 s', async () => {
  const [headers, body] = await Promise.all([
    trickle('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: '),
    trickle(
      'POST /api/v1/createPayout HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
    ),
  ]);
  assert.ok(headers.ms < 30_000, `slow headers held ${headers.ms} ms`);
  assert.ok(body.ms < 36_000, `slow body held ${body.ms} ms`);
  assert.match(headers.answer, /^HTTP\/1\.1 408|^$/);
});

test('one client address holds a bounded number of connections', async () => {
  const capped = await startService({ env: { PAYEE_DEMO: '0', PAYEE_MAX_CONNECTIONS_PER_ADDRESS: '5' } });
  const cappedPort = Number(new URL(capped.url).port);
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const s = connect(cappedPort, '127.0.0.1');
      await once(s, 'connect');
      sockets.push(s);
    }
    const extra = connect(cappedPort, '127.0.0.1');
    extra.on('error', () => {});
    extra.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    let answered = '';
    extra.on('data', (d) => (answered += d));
    await once(extra, 'close');
    assert.equal(answered, '', 'the connection over the cap is closed unanswered');
    for (const s of sockets) s.destroy();
    // The others closed, the address may connect again.
    await eventually(
      async () => (await fetch(`${capped.url}/healthz`).catch(() => null))?.status === 200,
      30_000,
      'room again',
    );
  } finally {
    for (const s of sockets) s.destroy();
    await capped.stop();
  }
});
