// The Quantum Payouts upstream adapter against its simulator over real HTTP.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { verifyWebhookSignature } from '../../server/providers/quantum/signature.ts';
import { quantumFactory, type QuantumAdapter } from '../../server/providers/quantum/index.ts';
import { startQuantumSimulator, type QuantumSimulator } from '../simulators/quantum.ts';
import { adapterDeps, secretFile, startCallbackReceiver } from '../helpers/provider-harness.ts';

const VECTOR_BODY =
  '{"event":"payout.status_changed","eventId":"2f4b1b0a0c2a4d32b2b0c9d311e7e59b","occurredAt":"2025-09-15T19:40:21+03:00","payout":{"id":123456,"externalId":"ORDER-2025-0001","status":"success","amount":150000,"currency":"RUB"}}';
const VECTOR_KEY = 'sk_test_1234567890abcdef1234567890abcdef12345678';
const VECTOR_SIG = 'sha256=42498ace54edf22484596b6e88e7cbc11fa014783d47363b4786a58318a6044e';

test('webhook HMAC: the known-answer vector, also when the body arrives pretty-printed', () => {
  assert.equal(verifyWebhookSignature(VECTOR_KEY, VECTOR_BODY, VECTOR_SIG), true);
  assert.equal(verifyWebhookSignature(VECTOR_KEY, JSON.stringify(JSON.parse(VECTOR_BODY), null, 2), VECTOR_SIG), true);
  assert.equal(verifyWebhookSignature(VECTOR_KEY, VECTOR_BODY.replace('success', 'failed'), VECTOR_SIG), false);
  assert.equal(verifyWebhookSignature('another-secret', VECTOR_BODY, VECTOR_SIG), false);
  assert.equal(verifyWebhookSignature(VECTOR_KEY, VECTOR_BODY, null), false);
  assert.equal(verifyWebhookSignature(VECTOR_KEY, 'not json', VECTOR_SIG), false);
});

test('options: a missing token or a bad value is named', () => {
  assert.throws(
    () => quantumFactory.create(adapterDeps('q', { baseUrl: 'http://127.0.0.1:9/api/v1' })),
    /options\.tokenFile or options\.tokenEnv is required/,
  );
  assert.throws(
    () => quantumFactory.create(adapterDeps('q', { baseUrl: 'ftp://x', tokenFile: secretFile('t') })),
    /options\.baseUrl/,
  );
  assert.throws(
    () =>
      quantumFactory.create(
        adapterDeps('q', { baseUrl: 'http://127.0.0.1:9', tokenFile: secretFile('t'), token: 'inline' }),
      ),
    /options\.token/,
  );
});

describe('Quantum upstream adapter over HTTP', () => {
  let sim: QuantumSimulator;
  let adapter: QuantumAdapter;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let n = 0;
  const orderId = () => `po_q${++n}_${Date.now()}`;
  const card = { type: 'card' as const, pan: '4111111111111111' };
  const make = (extra: Record<string, unknown> = {}) =>
    quantumFactory.create(
      adapterDeps('quantum', {
        baseUrl: sim.url,
        tokenFile: secretFile(sim.token),
        webhookSecretFile: secretFile(sim.webhookSecret),
        requestTimeoutMs: 2000,
        retries: 0,
        ...extra,
      }),
    ) as QuantumAdapter;
  const submit = (id: string, a = adapter) =>
    a.submit({
      orderId: id,
      idempotencyKey: `${id}.1`,
      amount: 150000,
      currency: 'RUB',
      description: null,
      recipient: card,
      callbackUrl: receiver.callbackUrl,
    });
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(cond(), 'condition not reached');
  };
  const updatesFor = (id: string) => receiver.updates().filter((u) => u.ref.orderId === id);

  before(async () => {
    sim = await startQuantumSimulator();
    adapter = make();
    await adapter.refreshFeatures();
    receiver = await startCallbackReceiver(adapter);
    sim.webhookUrl = `${receiver.callbackUrl}/webhook`;
  });
  after(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(() => {
    sim.features.card_payouts = true;
    sim.duplicateWebhooks = false;
    sim.outOfOrder = false;
  });

  test('capabilities follow the account features: cards when card_payouts is on', async () => {
    assert.deepEqual(adapter.capabilities.methods, ['card']);
    sim.features.card_payouts = false;
    const off = make();
    await off.refreshFeatures();
    assert.deepEqual(off.capabilities.methods, []);
    const calls = sim.performCalls.length;
    assert.equal((await submit(orderId(), off)).status, 'failed');
    assert.equal(sim.performCalls.length, calls, 'not even asked');
  });

  test('card payout: processing, then the signed success webhook; orderNumber is our orderId', async () => {
    const id = orderId();
    const r = await submit(id);
    assert.equal(r.status, 'processing');
    assert.equal((r as { providerRef?: string }).providerRef, sim.payouts.get(id)!.bankOrderId);
    assert.equal(sim.payouts.get(id)!.maskedPan, '411111******1111');
    assert.equal(sim.payouts.get(id)!.description, 'Payout');
    await until(() => updatesFor(id).length === 1);
    await sim.settle(id, 'success');
    assert.deepEqual(
      updatesFor(id).map((u) => u.outcome.status),
      ['processing', 'success'],
    );
    assert.match(updatesFor(id)[1]!.eventKey!, /^quantum:[0-9a-f]{32}$/);
    assert.equal(sim.webhooks.at(-1)!.httpStatus, 200);
  });

  test('a repeated submit of one order reaches the bank once (performPayout is idempotent per orderNumber)', async () => {
    const id = orderId();
    await submit(id);
    assert.equal((await submit(id)).status, 'processing');
    assert.equal(sim.bankSubmissions.filter((o) => o === id).length, 1);
  });

  for (const [httpStatus, error, expected] of [
    [400, 'VALIDATION_ERROR', { status: 'failed', code: 'upstream_validation_error' }],
    [403, 'PERMISSION_DENIED', { status: 'unknown' }],
    [500, 'INTERNAL_ERROR', { status: 'unknown' }],
    [429, 'TOO_MANY_REQUESTS', { status: 'unknown' }],
  ] as const) {
    test(`performPayout answering ${error} is ${expected.status}`, async () => {
      sim.failNext = { httpStatus, error, message: `simulated ${error}` };
      const r = await submit(orderId());
      assert.equal(r.status, expected.status);
      if ('code' in expected) assert.deepEqual(r, { ...expected, message: `simulated ${error}` });
    });
  }

  test('a refused token is unknown, never a failure (the request may not even have been read)', async () => {
    const wrong = make({ tokenFile: secretFile('qt_wrong') });
    const r = await submit(orderId(), wrong);
    assert.equal(r.status, 'unknown');
    assert.match((r as { error: string }).error, /credentials were refused/);
  });

  test('429 without the result envelope is tried again after a back-off, then answered', async () => {
    const patient = make({ retries: 5, retryBackoffMs: 10 });
    const id = orderId();
    const throttledBefore = sim.throttled;
    sim.throttleNextMs = 300;
    const r = await submit(id, patient);
    assert.equal(r.status, 'processing');
    assert.ok(sim.throttled > throttledBefore);
    assert.equal(sim.bankSubmissions.filter((o) => o === id).length, 1);
  });

  test('an answer without the result envelope is unknown; an unknown status keeps the payout processing', async () => {
    const id = orderId();
    await submit(id);
    sim.payouts.get(id)!.status = 'on_hold';
    assert.equal((await adapter.status({ orderId: id, idempotencyKey: `${id}.1` })).status, 'processing');
    const bare = await startCallbackReceiver(adapter); // any server that does not speak the account's API
    const elsewhere = make({ baseUrl: `${bare.callbackUrl}/api/v1` });
    const r = await elsewhere.status({ orderId: id, idempotencyKey: `${id}.1` });
    await bare.close();
    assert.equal(r.status, 'unknown');
  });

  test('the amount the account echoes is passed on, in status answers and webhooks', async () => {
    const id = orderId();
    await submit(id);
    await until(() => updatesFor(id).length === 1);
    sim.echoAmount = 140000;
    try {
      assert.equal(
        ((await adapter.status({ orderId: id, idempotencyKey: `${id}.1` })) as { amount?: number }).amount,
        140000,
      );
      await sim.settle(id, 'success');
      assert.deepEqual(updatesFor(id)[1]!.outcome, { status: 'success', amount: 140000 });
    } finally {
      sim.echoAmount = null;
    }
  });

  test('a timeout after the account committed is unknown; getPayoutStatus reconciles; unknown orders are not_found', async () => {
    const id = orderId();
    sim.hangNext = true;
    assert.equal((await submit(id)).status, 'unknown');
    assert.equal((await adapter.status({ orderId: id, idempotencyKey: `${id}.1` })).status, 'processing');
    await sim.settle(id, 'failed');
    assert.deepEqual(await adapter.status({ orderId: id, idempotencyKey: `${id}.1` }), {
      status: 'failed',
      code: 'upstream_failed',
      message: 'the upstream account reports the payout failed',
      providerRef: sim.payouts.get(id)!.bankOrderId,
      amount: 150000,
    });
    assert.equal(sim.bankSubmissions.filter((o) => o === id).length, 1);
    assert.deepEqual(await adapter.status({ orderId: 'po_never_sent', idempotencyKey: 'x' }), { status: 'not_found' });
  });

  test('duplicate webhooks carry one event key; out-of-order ones are passed on in arrival order', async () => {
    const id = orderId();
    await submit(id);
    await until(() => updatesFor(id).length === 1);
    sim.duplicateWebhooks = true;
    sim.outOfOrder = true;
    await sim.settle(id, 'success');
    const ups = updatesFor(id).slice(1);
    assert.deepEqual(
      ups.map((u) => u.outcome.status),
      ['success', 'success', 'processing', 'processing'],
    );
    assert.equal(ups[0]!.eventKey, ups[1]!.eventKey);
  });

  test('a webhook with a bad signature, or none, is refused', async () => {
    const id = orderId();
    await submit(id);
    await until(() => updatesFor(id).length === 1);
    const p = sim.payouts.get(id)!;
    assert.equal(await sim.notify(p, 'success', { secret: 'not-the-secret' }), 401);
    const res = await fetch(sim.webhookUrl!, {
      method: 'POST',
      body: VECTOR_BODY,
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(res.status, 401);
    assert.deepEqual(
      updatesFor(id).map((u) => u.outcome.status),
      ['processing'],
    );
  });
});
