// The merchant API over real HTTP against a real SQLite file: createPayout,
// getPayoutStatus and features, every error the Quantum Payouts API lists, and
// idempotent repeats.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASE_AT_REST, storedBytes, TEST_STORE } from '../helpers/store.ts';
import { api } from '../helpers/server.ts';
import { startService, type Service } from '../helpers/service.ts';
import { createTestMerchant, merchantCli } from '../helpers/cli.ts';

let server: Service;
let n = 0;
const order = () => `ORDER_${process.pid}_${++n}`;
const body = (over: Record<string, unknown> = {}) => ({
  orderNumber: order(),
  amount: 150000,
  description: 'Payout for order #12345',
  sessionTimeoutSecs: 1800,
  type: 'card',
  urls: { returnUrl: `${server.publicUrl}/demo/return`, failUrl: `${server.publicUrl}/demo/return?failed=1` },
  ...over,
});

before(async () => {
  server = await startService();
});
after(async () => {
  await server.stop();
});

describe('createPayout', () => {
  test('answers payoutUrl, orderId and orderNumber in the envelope', async () => {
    const req = body();
    const res = await api(server, 'POST', 'createPayout', req);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.result, { error: '0', message: null });
    assert.equal(res.body.orderNumber, req.orderNumber);
    assert.match(res.body.orderId, /^po_[A-Za-z0-9_-]{16}$/);
    // ≥ 128 bits: 43 base64url characters carry 256.
    assert.match(res.body.payoutUrl, new RegExp(`^${server.publicUrl}/pay/[A-Za-z0-9_-]{43}$`));
  });

  test('the link token is not stored in clear', async () => {
    const res = await api(server, 'POST', 'createPayout', body());
    const token = res.body.payoutUrl.split('/pay/')[1];
    const stored = await storedBytes(server.dataDir);
    // The live database must be among what is scanned (on SQLite, its WAL too): a missing one fails the test.
    const expected = TEST_STORE === 'sqlite' ? ['payee.sqlite', 'payee.sqlite-wal'] : [DATABASE_AT_REST];
    for (const name of expected)
      assert.ok(
        stored.some((s) => s.file === name),
        `${name} is scanned`,
      );
    for (const { file, bytes } of stored) {
      assert.equal(bytes.toString('latin1').includes(token), false, `${file} holds the link token`);
    }
  });

  test('the same request again returns the same answer and no second payout', async () => {
    const req = body();
    const first = await api(server, 'POST', 'createPayout', req);
    const second = await api(server, 'POST', 'createPayout', req);
    assert.equal(second.status, 200);
    assert.deepEqual(second.body, first.body);
  });

  test('concurrent identical requests make one payout', async () => {
    const req = body();
    const answers = await Promise.all(Array.from({ length: 20 }, () => api(server, 'POST', 'createPayout', req)));
    const urls = new Set(answers.map((a) => a.body.payoutUrl));
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(20).fill(200),
    );
    assert.equal(urls.size, 1);
  });

  test('the same orderNumber with a different body is refused with 409', async () => {
    const req = body();
    const first = await api(server, 'POST', 'createPayout', req);
    const res = await api(server, 'POST', 'createPayout', { ...req, amount: 150001 });
    assert.equal(res.status, 409);
    assert.equal(res.body.result.error, 'CONFLICT');
    assert.match(res.body.result.message, new RegExp(req.orderNumber));
    const status = await api(server, 'POST', 'getPayoutStatus', { orderNumber: req.orderNumber });
    assert.equal(status.body.amount, 150000);
    assert.equal(status.body.orderId, first.body.orderId);
  });

  test('defaults: only orderNumber, amount and returnUrl are required', async () => {
    const req = { orderNumber: order(), amount: 1, urls: { returnUrl: `${server.publicUrl}/demo/return` } };
    const res = await api(server, 'POST', 'createPayout', req);
    assert.equal(res.status, 200);
    const status = await api(server, 'POST', 'getPayoutStatus', { orderNumber: req.orderNumber });
    assert.equal(status.body.orderStatus, 'uploaded');
    assert.equal(status.body.channel, 'vtb');
    assert.equal(status.body.destination_type, undefined);
  });

  const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      'missing fields are each named',
      { orderNumber: undefined, amount: undefined, urls: {} },
      /orderNumber is required; amount is required; urls\.returnUrl is required/,
    ],
    ['amount not an integer', { amount: 1500.5 }, /^amount must be an integer amount in kopecks$/],
    ['amount as a string', { amount: '150000' }, /^amount must be an integer amount in kopecks$/],
    ['amount zero', { amount: 0 }, /^amount must be positive$/],
    ['amount of 13 digits', { amount: 1_000_000_000_000 }, /^amount must be at most 12 digits$/],
    ['orderNumber over 36 characters', { orderNumber: 'x'.repeat(37) }, /^orderNumber must be at most 36 characters$/],
    ['orderNumber empty', { orderNumber: '  ' }, /^orderNumber must not be empty$/],
    ['returnUrl not a URL', { urls: { returnUrl: 'not a url' } }, /^urls\.returnUrl must be an absolute URL$/],
    [
      'returnUrl on a foreign origin',
      { urls: { returnUrl: 'https://evil.example/x' } },
      /^urls\.returnUrl origin https:\/\/evil\.example is not allowed/,
    ],
    [
      'failUrl on a foreign origin',
      { urls: { returnUrl: 'http://localhost:1/x', failUrl: 'https://evil.example/f' } },
      /urls\.failUrl origin https:\/\/evil\.example is not allowed/,
    ],
    [
      'javascript: returnUrl',
      { urls: { returnUrl: 'javascript:alert(1)' } },
      /urls\.returnUrl scheme javascript: is not allowed/,
    ],
    [
      'app scheme not listed',
      { urls: { returnUrl: 'myapp://payout/done' } },
      /urls\.returnUrl scheme myapp: is not allowed/,
    ],
    ['sessionTimeoutSecs too short', { sessionTimeoutSecs: 10 }, /^sessionTimeoutSecs must be at least 60$/],
    ['sessionTimeoutSecs too long', { sessionTimeoutSecs: 86_401 }, /^sessionTimeoutSecs must be at most 86400/],
    ['unknown type', { type: 'iban' }, /^type must be "card" or "sbp"$/],
    ['description too long', { description: 'x'.repeat(601) }, /^description must be at most 600 characters$/],
    ['unknown field', { amout: 100 }, /^amout is not a known field$/],
    ['channel not configured', { channel: 'alfa' }, /^channel alfa is not configured for card payouts$/],
  ];
  for (const [name, over, message] of invalid) {
    test(`400 VALIDATION_ERROR: ${name}`, async () => {
      const req = JSON.parse(JSON.stringify(body(over)));
      const res = await api(server, 'POST', 'createPayout', req);
      assert.equal(res.status, 400);
      assert.equal(res.body.result.error, 'VALIDATION_ERROR');
      assert.match(res.body.result.message, message);
    });
  }

  test('400 on malformed JSON and on a body that is not an object', async () => {
    for (const [raw, message] of [
      ['{"orderNumber":', 'body is not valid JSON'],
      ['[1,2]', 'body must be a JSON object'],
      ['null', 'body must be a JSON object'],
    ]) {
      const res = await api(server, 'POST', 'createPayout', raw);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body.result, { error: 'VALIDATION_ERROR', message });
    }
  });

  test('415 when the body is not JSON', async () => {
    const res = await api(server, 'POST', 'createPayout', 'orderNumber=1', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    assert.equal(res.status, 415);
    assert.equal(res.body.result.error, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('413 on a huge body, and the server keeps serving', async () => {
    const res = await api(
      server,
      'POST',
      'createPayout',
      JSON.stringify({ ...body(), description: 'x'.repeat(2_000_000) }),
    );
    assert.equal(res.status, 413);
    assert.equal(res.body.result.error, 'PAYLOAD_TOO_LARGE');
    assert.equal((await api(server, 'GET', 'features')).status, 200);
  });

  test('401 without a token or with a wrong one', async () => {
    for (const auth of [undefined, 'Bearer nope', `Basic ${server.token}`, `Bearer ${server.token}x`]) {
      const res = await fetch(`${server.url}/api/v1/createPayout`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: auth } : {}) },
        body: JSON.stringify(body()),
      });
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), {
        result: { error: 'UNAUTHORIZED', message: 'Invalid or missing Bearer token' },
      });
    }
  });

  test('405 for the wrong method and 404 for an unknown endpoint, in the envelope', async () => {
    const wrong = await api(server, 'GET', 'createPayout');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.body.result.error, 'METHOD_NOT_ALLOWED');
    const unknown = await api(server, 'POST', 'createPayouts', body());
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.result.error, 'NOT_FOUND');
  });
});

describe('getPayoutStatus', () => {
  test('answers the Quantum Payouts fields', async () => {
    const req = body();
    const created = await api(server, 'POST', 'createPayout', req);
    const res = await api(server, 'POST', 'getPayoutStatus', { orderNumber: req.orderNumber });
    assert.equal(res.status, 200);
    const { creationDate, ...rest } = res.body;
    assert.deepEqual(rest, {
      result: { error: '0', message: null },
      orderNumber: req.orderNumber,
      orderStatus: 'uploaded',
      amount: 150000,
      orderId: created.body.orderId,
      description: 'Payout for order #12345',
      destination_type: 'card',
      channel: 'vtb',
    });
    assert.ok(Math.abs(creationDate - Date.now() / 1000) < 60, 'creationDate is a Unix timestamp in seconds');
  });

  test('404 in the envelope for an unknown orderNumber', async () => {
    const res = await api(server, 'POST', 'getPayoutStatus', { orderNumber: 'NO_SUCH_ORDER' });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body.result, { error: 'NOT_FOUND', message: 'no payout with orderNumber NO_SUCH_ORDER' });
  });

  test('400 naming the field when orderNumber is missing', async () => {
    const res = await api(server, 'POST', 'getPayoutStatus', {});
    assert.equal(res.status, 400);
    assert.equal(res.body.result.message, 'orderNumber is required');
  });
});

describe('merchants are kept apart', () => {
  test("one merchant cannot see another's payout; features follow each merchant's routes", async () => {
    const other = await createTestMerchant(server.dataDir, [
      '--name',
      'Card only',
      '--return-origin',
      'https://shop.example',
      '--route',
      'card:alfa:sandbox',
    ]);
    const asOther = { url: server.url, token: other.token };
    const req = body();
    await api(server, 'POST', 'createPayout', req);
    const res = await api(asOther, 'POST', 'getPayoutStatus', { orderNumber: req.orderNumber });
    assert.equal(res.status, 404);

    const features = await api(asOther, 'GET', 'features');
    assert.equal(features.status, 200);
    assert.deepEqual(features.body.features, {
      single_payout: true,
      batch_processing: true,
      bearer_auth: true,
      card_payouts: true,
      sbp_payouts: false,
      // No portal user may download files for this merchant.
      file_download: false,
    });
    assert.equal(features.body.system, 'payouts');
    assert.equal(features.body.environment, 'development');
    assert.equal(features.body.version, 'v1');

    // SBP is not routed for this merchant: 403; its card channel is alfa, not vtb.
    const sbp = await api(asOther, 'POST', 'createPayout', {
      ...body({ type: 'sbp' }),
      urls: { returnUrl: 'https://shop.example/r' },
    });
    assert.equal(sbp.status, 403);
    assert.deepEqual(sbp.body.result, {
      error: 'PERMISSION_DENIED',
      message: 'sbp payouts are not enabled for this merchant',
    });
    const card = await api(asOther, 'POST', 'createPayout', {
      ...body(),
      urls: { returnUrl: 'https://shop.example/r' },
    });
    assert.equal(card.status, 200);
    const status = await api(asOther, 'POST', 'getPayoutStatus', { orderNumber: card.body.orderNumber });
    assert.equal(status.body.channel, 'alfa');
  });

  test('403 for a disabled merchant, and its token works again once enabled', async () => {
    const m = await createTestMerchant(server.dataDir, ['--name', 'Paused', '--return-origin', 'https://shop.example']);
    await merchantCli(server.dataDir, ['disable', m.id]);
    const res = await api({ url: server.url, token: m.token }, 'GET', 'features');
    assert.equal(res.status, 403);
    assert.equal(res.body.result.error, 'PERMISSION_DENIED');
    await merchantCli(server.dataDir, ['enable', m.id]);
    assert.equal((await api({ url: server.url, token: m.token }, 'GET', 'features')).status, 200);
  });

  test('a listed app scheme is accepted as returnUrl', async () => {
    const m = await createTestMerchant(server.dataDir, ['--name', 'App', '--app-scheme', 'myapp']);
    const res = await api({ url: server.url, token: m.token }, 'POST', 'createPayout', {
      ...body(),
      urls: { returnUrl: 'myapp://payout/done' },
    });
    assert.equal(res.status, 200);
  });
});
