// The P2P gateway adapter against its simulator over real HTTP.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { payoutSign } from '../../server/providers/p2p/signature.ts';
import { kopecksToDecimal, decimalToKopecks } from '../../server/providers/amount.ts';
import { p2pFactory, type P2pAdapter } from '../../server/providers/p2p/index.ts';
import { P2P_FAILURE_CODES, P2P_FAILURE_MESSAGES } from '../../server/providers/p2p/errors.ts';
import { startP2pSimulator, type P2pSimulator } from '../simulators/p2p.ts';
import { adapterDeps, secretFile, startCallbackReceiver } from '../helpers/provider-harness.ts';
import { openTestDb } from '../helpers/store.ts';
import type { Db } from '../../server/db/index.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  assert.throws(
    () => p2pFactory.create(adapterDeps('p', { ...base, signKeyFile: secretFile('s'), statusPerMinute: 0 })),
    /options\.statusPerMinute/,
  );
});

describe('P2P adapter over HTTP', () => {
  let sim: P2pSimulator;
  let adapter: P2pAdapter;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let n = 0;
  const orderId = () => `po_test${++n}_${Date.now()}`;
  const card = { type: 'card' as const, pan: '2200700012345678901' };
  const clock = { t: 1_000_000, now: () => clock.t };
  /** The service's database, where the adapter keeps its record of each order. */
  let db: Db;

  const make = (extra: Record<string, unknown> = {}) =>
    p2pFactory.create(
      adapterDeps(
        'p2p',
        {
          baseUrl: sim.url,
          merchant: sim.merchant,
          signKeyFile: secretFile(sim.signKey),
          apiKeyFile: secretFile(sim.apiKey),
          requestTimeoutMs: 2000,
          payoutTimeoutMinutes: 30,
          bikByBankId: { '100000000111': '044525225' },
          ...extra,
        },
        clock,
        db,
      ),
    ) as P2pAdapter;
  const submit = (id: string, recipient: any = card, amount = 150000, through: P2pAdapter = adapter) =>
    through.submit({
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
  /** The order's `timeout` (30 min) and 5 more pass: the callback is overdue. */
  const overdue = () => (clock.t += 35 * 60_000 + 1);

  before(async () => {
    db = await openTestDb(mkdtempSync(join(tmpdir(), 'p2p-test-')));
    sim = await startP2pSimulator();
    adapter = make();
    receiver = await startCallbackReceiver(adapter);
  });
  after(async () => {
    await sim.close();
    await receiver.close();
    await db.destroy();
  });
  beforeEach(() => {
    sim.autoStatus = null;
    sim.duplicateCallbacks = false;
    sim.callbackBeforeAnswer = false;
    sim.echoFiatAmount = null;
    receiver.received.length = 0;
  });

  test('card payout: accepted with the gateway id and amount; its success callback is its word, no status query', async () => {
    const id = orderId();
    const r = await submit(id);
    const order = sim.orders.get(id)!;
    assert.deepEqual(r, { status: 'processing', providerRef: order.internalId, amount: 150000 });
    assert.equal(order.fiatAmount, '1500.00');
    assert.equal(order.requisite, '220070******8901', '19 digits passed as entered');
    assert.match(order.successUrl, new RegExp(`^${receiver.callbackUrl}/success/${id}/[0-9a-f]{32}$`));
    assert.match(order.errorUrl, new RegExp(`^${receiver.callbackUrl}/error/${id}/[0-9a-f]{32}$`));

    await sim.settle(id, 'successful');
    assert.deepEqual(sim.statusCalls, [], 'the gateway asks not to be polled');
    assert.deepEqual(receiver.updates(), [
      {
        ref: { orderId: id },
        outcome: { status: 'success', amount: 150000, providerRef: order.internalId },
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
    const r = await submit(id, card, 100, wrong);
    assert.equal(r.status, 'failed');
    assert.equal(sim.orders.has(id), false);
  });

  test('a lost create answer: unknown; asked about only once overdue, by our order id; "not found" ends nothing', async () => {
    const id = orderId();
    sim.hangNext = true;
    const r = await submit(id);
    assert.equal(r.status, 'unknown');
    const ref = { orderId: id, idempotencyKey: `k_${id}` };
    assert.equal((await adapter.status(ref)).status, 'unknown');
    assert.deepEqual(sim.statusCalls, [], 'not asked before the order’s timeout');
    overdue();
    const asked = await adapter.status(ref);
    assert.equal(asked.status, 'unknown', 'the gateway keys status by its own id and defines no "not found"');
    assert.match((asked as { error: string }).error, /does not find it/);
    assert.deepEqual(sim.statusCalls, [id]);
    assert.equal((await adapter.status(ref)).status, 'unknown');
    assert.equal(sim.statusCalls.length, 1, 'not asked again within statusIntervalMs');

    await sim.settle(id, 'successful');
    assert.deepEqual(
      receiver.updates().map((u) => u.outcome),
      [{ status: 'success', amount: 150000 }],
    );
    assert.equal(sim.createCalls.filter((c) => c === id).length, 1);
  });

  test('a status query by the gateway id reads the answer with its amount', async () => {
    const id = orderId();
    await submit(id);
    const internalId = sim.orders.get(id)!.internalId;
    overdue();
    sim.echoFiatAmount = '1400.00';
    assert.deepEqual(await adapter.status({ orderId: id, idempotencyKey: `k_${id}` }), {
      status: 'processing',
      providerRef: internalId,
      amount: 140000,
    });
    assert.deepEqual(sim.statusCalls.slice(-1), [internalId]);
  });

  test('401 "api key not found", 5xx: unknown, never counted as not found', async () => {
    const wrong = make({ apiKeyFile: secretFile('wrong') });
    const id = orderId();
    await submit(id, card, 150000, wrong);
    overdue();
    const r = await wrong.status({ orderId: id, idempotencyKey: 'k' });
    assert.equal(r.status, 'unknown');
    assert.match((r as { error: string }).error, /X-Api-Key was refused/);
    const id2 = orderId();
    await submit(id2);
    overdue();
    sim.statusFailures = 1;
    assert.equal((await adapter.status({ orderId: id2, idempotencyKey: 'k' })).status, 'unknown');
  });

  test('the instance asks at most statusPerMinute times a minute', async () => {
    const few = make({ statusPerMinute: 2 });
    const ids = [orderId(), orderId(), orderId()];
    for (const id of ids) await submit(id, card, 150000, few);
    overdue();
    const before = sim.statusCalls.length;
    for (const id of ids) await few.status({ orderId: id, idempotencyKey: 'k' });
    assert.equal(sim.statusCalls.length - before, 2);
    clock.t += 60_001;
    await few.status({ orderId: ids[2]!, idempotencyKey: 'k' });
    assert.equal(sim.statusCalls.length - before, 3);
  });

  test('resubmitting an order the gateway already has is unknown, not a failure', async () => {
    const id = orderId();
    await submit(id);
    assert.equal((await submit(id)).status, 'unknown');
  });

  test('duplicate callbacks carry the same event key; a callback before the create answer is taken too', async () => {
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
      amount: 150000,
    });
  });

  test('forged callbacks are refused and change nothing: wrong tag, wrong URL kind, another order', async () => {
    const id = orderId();
    await submit(id);
    const order = sim.orders.get(id)!;
    const tagless = `${receiver.callbackUrl}/success/${id}`;
    assert.equal(await sim.callBack(order, 'successful', `${tagless}/${'0'.repeat(32)}`), 401);
    assert.equal(await sim.callBack(order, 'rejected_gate', order.successUrl), 400, 'an error at the success URL');
    const other = orderId();
    await submit(other);
    assert.equal(await sim.callBack(sim.orders.get(other)!, 'successful', order.successUrl), 400);
    // An untagged URL (given before tags) is confirmed by status_pay_out: it says expectation.
    assert.equal(await sim.callBack(order, 'successful', tagless), 409);
    assert.deepEqual(receiver.updates(), []);
  });

  test('a callback for a payout that is not ours, or no longer waiting, changes nothing', async () => {
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
      const url = order.successUrl.replace(receiver.callbackUrl, picky.callbackUrl);
      assert.equal(await sim.callBack(order, 'successful', url), 404);
      ours.set(id, 'success');
      assert.equal(await sim.callBack(order, 'successful', url), 200);
      assert.deepEqual(
        sim.statusCalls.filter((c) => c === order.internalId),
        [],
      );
      assert.deepEqual(picky.updates(), []);
    } finally {
      await picky.close();
    }
  });

  test('cancel goes to the reject_callback_url the create answer gave; a refusal is reported', async () => {
    const id = orderId();
    await submit(id);
    const internalId = sim.orders.get(id)!.internalId;
    assert.deepEqual(await adapter.cancel({ orderId: id, idempotencyKey: 'k' }), { ok: true });
    assert.deepEqual(sim.rejectCalls.slice(-1), [id]);
    assert.match(sim.rejectUrls.at(-1)!, new RegExp(`\\?id=${internalId}$`));
    await until(() => receiver.updates().length === 1);
    assert.deepEqual(receiver.updates()[0]!.outcome, {
      status: 'cancelled',
      code: 'rejected_merchant',
      amount: 150000,
      providerRef: internalId,
    });

    const paid = orderId();
    await submit(paid);
    await sim.settle(paid, 'successful');
    const refused = await adapter.cancel({ orderId: paid, idempotencyKey: 'k' });
    assert.deepEqual([refused.ok, !refused.ok && refused.reason], [false, 'refused']);
  });
});
