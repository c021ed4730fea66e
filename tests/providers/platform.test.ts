// The payments platform (hand-off) adapter against its simulator over real HTTP.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  idempotencyUuid,
  platformSignature,
  verifyPlatformSignature,
} from '../../server/providers/platform/signature.ts';
import { platformFactory, type PlatformAdapter } from '../../server/providers/platform/index.ts';
import { startPlatformSimulator, type PlatformSimulator } from '../simulators/platform.ts';
import { adapterDeps, secretFile, startCallbackReceiver } from '../helpers/provider-harness.ts';

test('idempotency key: a stable UUID v4 per key', () => {
  const a = idempotencyUuid('po_abc.1');
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(idempotencyUuid('po_abc.1'), a);
  assert.notEqual(idempotencyUuid('po_abc.2'), a);
});

test('webhook signature: HMAC of the raw body keyed by the token, compared exactly', () => {
  const sig = platformSignature('tk', '{"a":1}');
  assert.equal(verifyPlatformSignature('tk', '{"a":1}', sig), true);
  assert.equal(verifyPlatformSignature('tk', '{"a":1}', `sha256=${sig.toUpperCase()}`), true);
  assert.equal(verifyPlatformSignature('tk', '{"a": 1}', sig), false);
  assert.equal(verifyPlatformSignature('other', '{"a":1}', sig), false);
  assert.equal(verifyPlatformSignature('tk', '{"a":1}', null), false);
});

test('options: a missing token or a bad value is named', () => {
  assert.throws(
    () => platformFactory.create(adapterDeps('pl', { baseUrl: 'http://127.0.0.1:9' })),
    /options\.tokenFile or options\.tokenEnv is required/,
  );
  assert.throws(
    () =>
      platformFactory.create(
        adapterDeps('pl', { baseUrl: 'http://127.0.0.1:9', tokenFile: secretFile('t'), methods: ['cash'] }),
      ),
    /options\.methods/,
  );
});

describe('platform adapter over HTTP', () => {
  let sim: PlatformSimulator;
  let adapter: PlatformAdapter;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let n = 0;
  const orderId = () => `po_pl${++n}_${Date.now()}`;
  const make = (extra: Record<string, unknown> = {}) =>
    platformFactory.create(
      adapterDeps('platform', { baseUrl: sim.url, tokenFile: secretFile(sim.token), requestTimeoutMs: 2000, ...extra }),
    ) as PlatformAdapter;
  const submit = (id: string, a = adapter, key = `${id}.1`) =>
    a.submit({
      orderId: id,
      idempotencyKey: key,
      amount: 123456,
      currency: 'RUB',
      description: 'Order #1',
      callbackUrl: receiver.callbackUrl,
      returnUrl: 'http://localhost:1/pay/tok',
    });
  const updatesFor = (id: string) => receiver.updates().filter((u) => u.ref.orderId === id);

  before(async () => {
    sim = await startPlatformSimulator();
    adapter = make();
    receiver = await startCallbackReceiver(adapter);
  });
  after(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(() => {
    sim.duplicateWebhooks = false;
    sim.outOfOrder = false;
  });

  test('capabilities: a hand-off provider', () => {
    assert.equal(adapter.capabilities.handoff, true);
    assert.deepEqual(adapter.capabilities.methods, ['card']);
  });

  test('create: type payout, decimal amount, externalId, our redirect and webhook URLs; the form url comes back', async () => {
    const id = orderId();
    const r = await submit(id);
    assert.equal(r.status, 'processing');
    const p = [...sim.payments.values()].find((x) => x.externalId === id)!;
    assert.deepEqual(r, { status: 'processing', providerRef: p.id, amount: 123456, redirectUrl: p.url });
    assert.equal(p.amount, '1234.56');
    assert.equal(p.currency, 'RUB');
    assert.equal(p.redirectUrl, 'http://localhost:1/pay/tok');
    assert.equal(p.webhookUrl, `${receiver.callbackUrl}/${id}`);
    assert.deepEqual(await adapter.status({ orderId: id, idempotencyKey: `${id}.1`, providerRef: p.id }), {
      status: 'processing',
      providerRef: p.id,
      amount: 123456,
    });
    sim.echoAmount = '1200.00';
    try {
      const echoed = await adapter.status({ orderId: id, idempotencyKey: `${id}.1`, providerRef: p.id });
      assert.equal((echoed as { amount?: number }).amount, 120000, 'the amount GET shows is passed on to compare');
    } finally {
      sim.echoAmount = null;
    }
  });

  test('the same idempotency key answers the same payment; a lost answer is recovered that way', async () => {
    const id = orderId();
    sim.hangNext = true;
    assert.equal((await submit(id)).status, 'unknown');
    const again = await submit(id);
    assert.equal(again.status, 'processing');
    assert.equal([...sim.payments.values()].filter((x) => x.externalId === id).length, 1);
    assert.equal(sim.createCalls.filter((c) => c.externalId === id).length, 2);
    assert.equal(
      (await adapter.status({ orderId: id, idempotencyKey: `${id}.1` })).status,
      'unknown',
      'no id yet: never guessed as not_found',
    );
  });

  test('the signed webhook is confirmed by GET before it counts; duplicates share an event key', async () => {
    const id = orderId();
    const r = (await submit(id)) as { providerRef: string };
    sim.duplicateWebhooks = true;
    const gets = sim.getCalls.length;
    await sim.settle(r.providerRef, 'succeeded');
    assert.equal(sim.getCalls.length, gets + 2);
    const ups = updatesFor(id);
    assert.equal(ups.length, 2);
    assert.deepEqual(ups[0], ups[1]);
    assert.deepEqual(ups[0]!.outcome, { status: 'success', providerRef: r.providerRef, amount: 123456 });
  });

  test('an out-of-order stale webhook is answered with the confirmed status', async () => {
    const id = orderId();
    const r = (await submit(id)) as { providerRef: string };
    sim.outOfOrder = true;
    await sim.settle(r.providerRef, 'failed');
    assert.deepEqual(
      updatesFor(id).map((u) => u.outcome.status),
      ['failed', 'failed'],
    );
    assert.equal(
      updatesFor(id)[0]!.outcome.status === 'failed' && (updatesFor(id)[0]!.outcome as { code: string }).code,
      'platform_failed',
    );
  });

  test('a webhook with a bad signature is refused without asking the platform', async () => {
    const id = orderId();
    const r = (await submit(id)) as { providerRef: string };
    const gets = sim.getCalls.length;
    assert.equal(await sim.notify(sim.payments.get(r.providerRef)!, 'succeeded', { token: 'tk_forged' }), 401);
    assert.equal(sim.getCalls.length, gets);
    assert.equal(updatesFor(id).length, 0);
  });

  test('refusals: 4xx is a failure; 5xx and a refused token are unknown, never a failure', async () => {
    sim.failNext = { httpStatus: 422, message: 'amount exceeds the payout limit' };
    assert.deepEqual(await submit(orderId()), {
      status: 'failed',
      code: 'platform_rejected',
      message: 'amount exceeds the payout limit',
    });
    sim.failNext = { httpStatus: 503, message: 'maintenance' };
    assert.equal((await submit(orderId())).status, 'unknown');
    const wrong = make({ tokenFile: secretFile('tk_wrong') });
    assert.equal((await submit(orderId(), wrong)).status, 'unknown');
    assert.deepEqual(await adapter.status({ orderId: 'x', idempotencyKey: 'x', providerRef: 'pay_nope' }), {
      status: 'not_found',
    });
  });
});
