// POST /api/v1/performPayout over real HTTP against the sandbox: validation, the
// API's answer, idempotency per (merchant, orderNumber), 50 parallel identical calls,
// and the unknown-outcome cases reconciled without a second submission.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { post, sandboxSubmissions, seedMerchant, SERVICE_ENV } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { startService, type Service } from '../helpers/service.ts';
import { tempDataDir } from '../helpers/server.ts';

let svc: Service;
let token: string;
let n = 0;
const order = () => `PP-${++n}`;
const perform = (body: unknown, t = token) => post(svc.url, t, 'performPayout', body);
const status = (orderNumber: string) => post(svc.url, token, 'getPayoutStatus', { orderNumber });
const submissionsOf = async (orderId: string) =>
  (await sandboxSubmissions(svc.dataDir)).filter((x) => x.order_id === orderId);

before(async () => {
  const dataDir = tempDataDir();
  token = (await seedMerchant(dataDir)).token;
  svc = await startService({
    env: SERVICE_ENV,
    dataDir,
    providers: { sandbox: { kind: 'sandbox', delayMs: 0, callbacks: false } },
  });
});
after(() => svc.close());

test('answers the Quantum Payouts fields with the masked card', async () => {
  const r = await perform({
    orderNumber: 'ORDER_12345',
    amount: 150000,
    description: 'One-time payout',
    target: { pan: '4111 1111 1111 1111' },
  });
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body), [
    'result',
    'orderNumber',
    'orderStatus',
    'amount',
    'creationDate',
    'orderId',
    'target',
  ]);
  assert.deepEqual(r.body.result, { error: '0', message: null });
  assert.equal(r.body.orderNumber, 'ORDER_12345');
  assert.equal(r.body.orderStatus, 'success');
  assert.equal(r.body.amount, 150000);
  assert.ok(Math.abs(r.body.creationDate - Date.now() / 1000) < 60);
  assert.deepEqual(r.body.target, { maskedPan: '411111******1111' });
  const s = await status('ORDER_12345');
  assert.equal(s.body.orderStatus, 'success');
  assert.equal(s.body.destination_type, 'card');
  assert.equal(s.body.channel, 'vtb');
});

test('refuses invalid requests, naming the field and never echoing the number', async () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ orderNumber: order(), amount: 100, target: { pan: '4111111111111111' } }, /description is required/],
    [
      { orderNumber: order(), amount: 100, description: '  ', target: { pan: '4111111111111111' } },
      /description must not be empty/,
    ],
    [
      { orderNumber: order(), amount: 100, description: 'x', target: { pan: '4111111111111112' } },
      /target\.pan is not a valid card number/,
    ],
    [
      { orderNumber: order(), amount: 100, description: 'x', target: { pan: '411111111111' } },
      /target\.pan must be 13-19 digits/,
    ],
    [
      { orderNumber: order(), amount: 100, description: 'x', target: { pan: '41111111111111111111' } },
      /target\.pan must be 13-19 digits/,
    ],
    [{ orderNumber: order(), amount: 100, description: 'x', target: {} }, /target\.pan is required/],
    [{ orderNumber: order(), amount: 100, description: 'x' }, /target is required/],
    [
      { orderNumber: 'X'.repeat(33), amount: 100, description: 'x', target: { pan: '4111111111111111' } },
      /orderNumber must be at most 32 characters/,
    ],
    [
      { orderNumber: order(), amount: 0, description: 'x', target: { pan: '4111111111111111' } },
      /amount must be positive/,
    ],
    [
      { orderNumber: order(), amount: 1.5, description: 'x', target: { pan: '4111111111111111' } },
      /amount must be an integer/,
    ],
    [
      {
        orderNumber: order(),
        amount: 100,
        description: 'x',
        target: { pan: '4111111111111111', phone: '79000000001' },
      },
      /target\.phone is not a known field/,
    ],
    [
      { orderNumber: order(), amount: 100, description: 'x', type: 'sbp', target: { pan: '4111111111111111' } },
      /type is not a known field/,
    ],
  ];
  for (const [body, message] of cases) {
    const r = await perform(body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.result.error, 'VALIDATION_ERROR');
    assert.match(r.body.result.message, message);
    assert.doesNotMatch(r.body.result.message, /41111111111/);
  }
});

test('a repeat answers the current state and is never submitted again; a different body is a conflict', async () => {
  const body = { orderNumber: order(), amount: 5000, description: 'repeat', target: { pan: '2200000000000004' } };
  const first = await perform(body);
  const again = await perform(body);
  assert.equal(again.status, 200);
  assert.equal(again.body.orderId, first.body.orderId);
  assert.equal(again.body.orderStatus, 'success');
  assert.equal((await submissionsOf(first.body.orderId)).length, 1);
  for (const changed of [{ amount: 5001 }, { description: 'other' }, { target: { pan: '4111111111111111' } }]) {
    const r = await perform({ ...body, ...changed });
    assert.equal(r.status, 409);
    assert.equal(r.body.result.error, 'CONFLICT');
  }
  assert.equal((await submissionsOf(first.body.orderId)).length, 1);
});

test('50 parallel identical calls: one payout, one submission to the provider', async () => {
  const body = { orderNumber: order(), amount: 777, description: 'parallel', target: { pan: '4111111111111111' } };
  const answers = await Promise.all(Array.from({ length: 50 }, () => perform(body)));
  assert.ok(
    answers.every((a) => a.status === 200),
    JSON.stringify(answers.find((a) => a.status !== 200)?.body),
  );
  const ids = new Set(answers.map((a) => a.body.orderId));
  assert.equal(ids.size, 1);
  await eventually(async () => (await status(body.orderNumber)).body.orderStatus === 'success', 10_000, 'success');
  assert.equal((await submissionsOf([...ids][0]!)).length, 1);
  const rows = await svc.services.db
    .selectFrom('payouts')
    .select('id')
    .where('order_number', '=', body.orderNumber)
    .execute();
  assert.equal(rows.length, 1);
});

test('a declined card ends failed with the provider reason', async () => {
  const r = await perform({
    orderNumber: order(),
    amount: 100,
    description: 'decline',
    target: { pan: '4000000000000002' },
  });
  assert.equal(r.body.orderStatus, 'failed');
  const p = await svc.services.db
    .selectFrom('payouts')
    .selectAll()
    .where('order_id', '=', r.body.orderId)
    .executeTakeFirstOrThrow();
  assert.equal(p.status_reason, 'insufficient_funds');
  assert.equal((await submissionsOf(r.body.orderId)).length, 1);
});

test('committed at the provider, answer lost: reconciled to success, never sent twice', async () => {
  const r = await perform({
    orderNumber: order(),
    amount: 100,
    description: 'timeout',
    target: { pan: '4000000000000036' },
  });
  assert.equal(r.body.orderStatus, 'processing');
  await eventually(async () => (await status(r.body.orderNumber)).body.orderStatus === 'success', 10_000, 'reconciled');
  assert.equal((await submissionsOf(r.body.orderId)).length, 1);
  const db = svc.services.db;
  const p = await db
    .selectFrom('payouts')
    .select('id')
    .where('order_id', '=', r.body.orderId)
    .executeTakeFirstOrThrow();
  const history = await db
    .selectFrom('payout_history')
    .select(['to_status', 'reason'])
    .where('payout_id', '=', p.id)
    .orderBy('id')
    .execute();
  assert.deepEqual(history, [
    { to_status: 'created', reason: 'perform_payout' },
    { to_status: 'processing', reason: 'outcome_unknown' },
    { to_status: 'success', reason: 'status:success' },
  ]);
  const attempts = await db.selectFrom('payout_attempts').selectAll().where('payout_id', '=', p.id).execute();
  assert.deepEqual(
    attempts.map((a) => a.state),
    ['accepted'],
  );
});

test('a request the provider never received is sent again only after it says so', async () => {
  const r = await perform({
    orderNumber: order(),
    amount: 100,
    description: 'lost',
    target: { pan: '4000000000000044' },
  });
  await eventually(async () => (await status(r.body.orderNumber)).body.orderStatus === 'success', 10_000, 'success');
  const subs = await submissionsOf(r.body.orderId);
  assert.deepEqual(
    subs.map((x) => x.idempotency_key),
    [`${r.body.orderId}.1`, `${r.body.orderId}.2`],
  );
  const attempts = await svc.services.db
    .selectFrom('payout_attempts as a')
    .innerJoin('payouts as p', 'p.id', 'a.payout_id')
    .select(['a.state', 'a.error'])
    .where('p.order_id', '=', r.body.orderId)
    .orderBy('a.attempt_no')
    .execute();
  assert.deepEqual(attempts, [
    { state: 'rejected', error: 'not_found' },
    { state: 'accepted', error: null },
  ]);
});

test('a merchant without a card route, or whose provider needs more than a card number, is refused', async () => {
  const sbpOnly = await seedMerchant(svc.dataDir, { routes: [{ type: 'sbp', channel: 'vtb', provider: 'sandbox' }] });
  let r = await perform(
    { orderNumber: order(), amount: 100, description: 'x', target: { pan: '4111111111111111' } },
    sbpOnly.token,
  );
  assert.equal(r.status, 403);
  assert.equal(r.body.result.error, 'PERMISSION_DENIED');
  const cardsOff = await seedMerchant(svc.dataDir, { payoutTypes: ['sbp'] });
  r = await perform(
    { orderNumber: order(), amount: 100, description: 'x', target: { pan: '4111111111111111' } },
    cardsOff.token,
  );
  assert.equal(r.status, 403);
});
