import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request } from 'node:http';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { bodyLimit } from './body-limit.ts';

/** A real server (node-server's own Request), answering with the body it read. */
async function server() {
  const app = new Hono();
  app.use('*', bodyLimit({ maxSize: 10, onError: (c) => c.text('too large', 413) }));
  app.post('/', async (c) => c.text(`read ${await c.req.text()}`));
  const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await once(s, 'listening');
  return { port: (s.address() as AddressInfo).port, close: () => s.close() };
}

function post(port: number, chunks: string[], headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/', headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

test('a body within the limit is read, whether its length is declared or it comes chunked', async () => {
  const s = await server();
  try {
    assert.deepEqual(await post(s.port, ['0123456789'], { 'content-length': '10' }), {
      status: 200,
      body: 'read 0123456789',
    });
    assert.deepEqual(await post(s.port, ['01234', '56789'], { 'transfer-encoding': 'chunked' }), {
      status: 200,
      body: 'read 0123456789',
    });
  } finally {
    s.close();
  }
});

test('a body over the limit is refused, by its declared length or by counting the chunks', async () => {
  const s = await server();
  try {
    assert.equal((await post(s.port, ['0123456789A'], { 'content-length': '11' })).status, 413);
    assert.equal((await post(s.port, ['012345', '6789AB'], { 'transfer-encoding': 'chunked' })).status, 413);
  } finally {
    s.close();
  }
});
