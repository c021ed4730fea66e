// The P2P gateway adapter against its simulator over real HTTP.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { payoutSign } from '../../server/providers/p2p/sign.ts';
import { kopecksToDecimal, decimalToKopecks } from '../../server/providers/amount.ts';
import { p2pFactory, type P2pAdapter } from '../../server/providers/p2p/index.ts';
import { P2P_FAILURE_CODES, P2P_FAILURE_MESSAGES } from '../../server/providers/p2p/messages.ts';
import { startP2pSimulator, type P2pSimulator } from '../simulators/p2p.ts';
import { adapterDeps, secretFile, startCallbackReceiver } from '../helpers/provider-harness.ts';

test('sign: the known-answer vector of the gateway documentation', () => {
  assert.equal(
    payoutSign(
      { orderId: 'order123', fiatAmount: '1500.00', requisite: '79161234567', fiatCurrency: 'rub' },
      'test_sign_key',
    ),
    '53f49a84b929a1c6bf16fdf36ed151738def4b30a8088237ce480ffef538aa2f',
  );
});

test('amounts: kopecks to and from two-decimal strings without floating point', () => {
  assert.equal(kopecksToDecimal(150000), '1500.00');
  assert.equal(kopecksToDecimal(1), '0.01');
  assert.equal(kopecksToDecimal(150010), '1500.10');
  assert.equal(kopecksToDecimal(99_999_999_999), '999999999.99');
  assert.throws(() => kopecksToDecimal(1.5));
  assert.equal(decimalToKopecks('1500.00'), 150000);
  assert.equal(decimalToKopecks('0.29'), 29); // 0.29 * 100 is 28.999… in floating point
  assert.equal(decimalToKopecks('10.5'), 1050);
  assert.equal(decimalToKopecks('1,5'), null);
});

test('every failure code has a Russian and an English text for the recipient', () => {
  for (const code of P2P_FAILURE_CODES) {
    assert.ok(P2P_FAILURE_MESSAGES[code].ru.length > 10 && P2P_FAILURE_MESSAGES[code].en.length > 10, code);
    assert.doesNotMatch(P2P_FAILURE_MESSAGES[code].en, /balance|requisite|gateway|merchant/i, 'plain words, no jargon');
  }
});

test('options: a missing credential or a bad value is named', () => {
  const base = { baseUrl: 'http://127.0.0.1:9', merchant: 'm', apiKeyFile: secretFile('a') };
  assert.throws(() => p2pFactory.create(adapterDeps('p', base)), /signKeyFile or options\.signKeyEnv is required/);
  assert.throws(
    () => p2pFactory.create(adapterDeps('p', { ...base, signKeyFile: secretFile('s'), baseUrl: 'nope' })),
    /options\.baseUrl/,
  );
  assert.throws(
    () => p2pFactory.create(adapterDeps('p', { ...base, signKeyEnv: 'PAYEE_TEST_UNSET_VAR' })),
    /PAYEE_TEST_UNSET_VAR/,
  );
  assert.throws(
    () =>
      p2pFactory.create(
        adapterDeps('p', { ...base, signKeyFile: secretFile('s'), bikByBankId: { '100000000111': '12' } }),
      ),
    /9-digit BIK/,
  );
  assert.throws(
    () => p2pFactory.create(adapterDeps('p', { ...base, signKeyFile: secretFile('s'), apiKey: 'inline' })),
    /options\.apiKey/,
  );
});

describe('P2P adapter over HTTP', () => {
  let sim: P2pSimulator;
  let adapter: P2pAdapter;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let n = 0;
  const orderId = () => `po_test${++n}_${Date.now()}`;
  const card = { type: 'card' as const, pan: '2200700012345678901' };

  const make = (extra: Record<string, unknown> = {}) =>
    p2pFactory.create(
      adapterDeps('p2p', {
        baseUrl: sim.url,
        merchant: sim.merchant,
        signKeyFile: secretFile(sim.signKey),
        apiKeyFile: secretFile(sim.apiKey),
        requestTimeoutMs: 2000,
        statusBackoffMs: 0,
        bikByBankId: { '100000000111': '044525225' },
        ...extra,
      }),
    ) as P2pAdapter;
  const submit = (id: string, recipient: any = card, amount = 150000) =>
    adapter.submit({
      orderId: id,
      idempotencyKey: `k_${id}`,
      amount,
      currency: 'RUB',
      description: 'Reward',
      recipient,
      callbackUrl: receiver.callbackUrl,
    });
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(cond(), 'condition not reached');
  };

  before(async () => {
    sim = await startP2pSimulator();
    adapter = make();
    receiver = await startCallbackReceiver(adapter);
  });
  after(async () => {
    await sim.close();
    await receiver.close();
  });
  beforeEach(() => {
    sim.autoStatus = null;
    sim.duplicateCallbacks = false;
    sim.callbackBeforeAnswer = false;
    receiver.received.length = 0;
  });

  test('card payout: accepted, then the success callback is confirmed by status_pay_out', async () => {
    const id = orderId();
    const r = await submit(id);
    assert.equal(r.status, 'processing');
    assert.equal((r as { providerRef?: string }).providerRef, sim.orders.get(id)!.internalId);
    const order = sim.orders.get(id)!;
    assert.equal(order.fiatAmount, '1500.00');
    assert.equal(order.requisite, '220070******8901', '19 digits passed as entered');
    assert.equal(order.successUrl, `${receiver.callbackUrl}/success/${id}`);
    assert.equal(order.errorUrl, `${receiver.callbackUrl}/error/${id}`);

    const before = sim.statusCalls.length;
    await sim.settle(id, 'successful');
    assert.equal(sim.statusCalls.length, before + 1, 'one status_pay_out to confirm the callback');
    assert.deepEqual(receiver.updates(), [
      {
        ref: { orderId: id },
        outcome: { status: 'success', providerRef: undefined },
        eventKey: `p2p:${id}:successful`,
      },
    ]);
    assert.equal(sim.callbacks.at(-1)!.httpStatus, 200);
  });

  test('SBP payout: digits-only phone, bank name from our list, BIK from the mapping', async () => {
    const id = orderId();
    const r = await submit(id, { type: 'sbp', phone: '79161234567', bankId: '100000000111' });
    assert.equal(r.status, 'processing');
    const o = sim.orders.get(id)!;
    assert.deepEqual(
      [o.paymentMethod, o.requisite, o.bankName, o.bik],
      ['sbp', '79161234567', 'Sberbank', '044525225'],
    );
    const id2 = orderId();
    assert.equal(
      (await submit(id2, { type: 'sbp', phone: '79161234567', bankId: '100000000004' })).status,
      'processing',
    );
    assert.equal(sim.orders.get(id2)!.bik, null, 'no BIK configured for this bank: omitted');
  });

  for (const [error, code] of [
    ['low balance', 'p2p_low_balance'],
    ['overloading requisite', 'p2p_requisite_overloaded'],
    ['this payment method is disabled for your merchant', 'p2p_method_disabled'],
    ['something new', 'p2p_rejected'],
  ] as const) {
    test(`gateway error "${error}" is a failure ${code} with a plain message`, async () => {
      sim.failNext = { error };
      const r = await submit(orderId());
      assert.deepEqual(r, { status: 'failed', code, message: P2P_FAILURE_MESSAGES[code].en });
    });
  }

  test('a wrong sign key is refused by the gateway and never paid', async () => {
    const wrong = make({ signKeyFile: secretFile('not-the-key') });
    const id = orderId();
    const r = await wrong.submit({
      orderId: id,
      idempotencyKey: 'k',
      amount: 100,
      currency: 'RUB',
      description: null,
      recipient: card,
      callbackUrl: receiver.callbackUrl,
    });
    assert.equal(r.status, 'failed');
    assert.equal(sim.orders.has(id), false);
  });

  test('a timeout after the gateway committed is unknown, and status_pay_out reconciles it', async () => {
    const id = orderId();
    sim.hangNext = true;
    const r = await submit(id);
    assert.equal(r.status, 'unknown');
    assert.deepEqual(await adapter.status({ orderId: id, idempotencyKey: 'k' }), {
      status: 'processing',
      providerRef: undefined,
    });
    await sim.settle(id, 'successful');
    assert.equal((await adapter.status({ orderId: id, idempotencyKey: 'k' })).status, 'success');
    assert.equal(sim.createCalls.filter((c) => c === id).length, 1);
  });

  test('a gateway slower than our timeout: unknown, and the order it committed meanwhile is found', async () => {
    const id = orderId();
    sim.delayMs = 2600; // requestTimeoutMs is 2000
    try {
      assert.equal((await submit(id)).status, 'unknown');
    } finally {
      sim.delayMs = 0;
    }
    await until(() => sim.orders.has(id));
    assert.equal((await adapter.status({ orderId: id, idempotencyKey: 'k' })).status, 'processing');
  });

  test('a 5xx is unknown; not_found only when the gateway says it does not know the order', async () => {
    const id = orderId();
    sim.failNext = { error: 'internal error', httpStatus: 502 };
    assert.equal((await submit(id)).status, 'unknown');
    assert.deepEqual(await adapter.status({ orderId: id, idempotencyKey: 'k' }), { status: 'not_found' });
    sim.statusFailures = 1;
    assert.equal((await adapter.status({ orderId: id, idempotencyKey: 'k' })).status, 'unknown');
  });

  test('resubmitting an order the gateway already has is unknown, not a failure', async () => {
    const id = orderId();
    await submit(id);
    assert.equal((await submit(id)).status, 'unknown');
  });

  test('duplicate callbacks carry the same event key; a callback before the create answer is confirmed too', async () => {
    sim.duplicateCallbacks = true;
    sim.callbackBeforeAnswer = true;
    sim.autoStatus = 'rejected_gate';
    const id = orderId();
    const r = await submit(id);
    assert.equal(r.status, 'processing');
    const ups = receiver.updates();
    assert.equal(ups.length, 2);
    assert.deepEqual(ups[0], ups[1]);
    assert.deepEqual(ups[0]!.outcome, {
      status: 'failed',
      code: 'rejected_gate',
      message: P2P_FAILURE_MESSAGES.rejected_gate.en,
      providerRef: undefined,
    });
  });

  test('a callback whose claim status_pay_out does not confirm is refused and changes nothing', async () => {
    const id = orderId();
    await submit(id);
    const order = sim.orders.get(id)!;
    assert.equal(await sim.callBack(order, 'successful'), 409);
    await sim.settle(id, 'successful');
    assert.equal(await sim.callBack(order, 'rejected_gate'), 409, 'a stale or forged error after success');
    assert.equal(
      await sim.callBack({ ...order, orderId: 'po_nobody' }, 'successful', `${receiver.callbackUrl}/success/po_nobody`),
      404,
    );
    assert.deepEqual(
      receiver.updates().map((u) => u.outcome.status),
      ['success'],
    );
  });

  test('a callback for a payout that is not ours, or no longer waiting, costs no status inquiry', async () => {
    const ours = new Map<string, string>();
    const picky = await startCallbackReceiver(adapter, {
      payoutStatus: async (ref) =>
        ours.has(ref.orderId!) ? { status: ours.get(ref.orderId!)!, orderId: ref.orderId! } : undefined,
    });
    try {
      const id = orderId();
      await submit(id);
      await sim.settle(id, 'successful');
      const order = { ...sim.orders.get(id)! };
      const inquiries = sim.statusCalls.length;
      assert.equal(await sim.callBack(order, 'successful', `${picky.callbackUrl}/success/${id}`), 404);
      ours.set(id, 'success');
      assert.equal(await sim.callBack(order, 'successful', `${picky.callbackUrl}/success/${id}`), 200);
      assert.equal(sim.statusCalls.length, inquiries);
      assert.deepEqual(picky.updates(), []);
    } finally {
      await picky.close();
    }
  });

  test('a callback whose URL and body name different orders is refused', async () => {
    const id = orderId();
    await submit(id);
    const other = orderId();
    await submit(other);
    await sim.settle(other, 'successful');
    receiver.received.length = 0;
    assert.equal(
      await sim.callBack(sim.orders.get(other)!, 'successful', `${receiver.callbackUrl}/success/${id}`),
      400,
    );
    assert.equal(receiver.updates().length, 0);
  });

  test('cancel sends rejected_pay_out; the error callback confirms a cancellation', async () => {
    const id = orderId();
    await submit(id);
    await adapter.cancel({ orderId: id, idempotencyKey: 'k' });
    assert.deepEqual(sim.rejectCalls.slice(-1), [id]);
    await until(() => receiver.updates().length === 1);
    assert.deepEqual(receiver.updates()[0]!.outcome, {
      status: 'cancelled',
      code: 'rejected_merchant',
      providerRef: undefined,
    });
  });

  test('status queries are spaced out (the gateway asks not to be polled)', async () => {
    const clock = {
      t: 1_000_000,
      now() {
        return this.t;
      },
    };
    const gentle = p2pFactory.create({
      ...adapterDeps('p2p', {
        baseUrl: sim.url,
        merchant: sim.merchant,
        signKeyFile: secretFile(sim.signKey),
        apiKeyFile: secretFile(sim.apiKey),
        statusBackoffMs: 30_000,
        statusBackoffMaxMs: 60_000,
      }),
      clock,
    });
    const id = orderId();
    await submit(id);
    const ref = { orderId: id, idempotencyKey: 'k' };
    const calls = () => sim.statusCalls.filter((c) => c === id).length;
    await gentle.status(ref);
    await gentle.status(ref);
    assert.equal(calls(), 1, 'second query within 30 s answered from the last one');
    clock.t += 30_000;
    await gentle.status(ref);
    assert.equal(calls(), 2);
    clock.t += 30_000;
    await gentle.status(ref);
    assert.equal(calls(), 2, 'the interval doubled to 60 s');
    clock.t += 30_000;
    await gentle.status(ref);
    assert.equal(calls(), 3);
  });

  test('a wrong API key makes the status unknown, never not_found', async () => {
    const wrong = make({ apiKeyFile: secretFile('wrong') });
    const id = orderId();
    await submit(id);
    assert.equal((await wrong.status({ orderId: id, idempotencyKey: 'k' })).status, 'unknown');
  });
});
