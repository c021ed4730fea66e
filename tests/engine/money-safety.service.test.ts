// The money rule through the whole engine (SQLite on disk, the status machine, the outbox),
// with a provider that answers what each test scripts and a clock each test moves. Each
// test fails when the rule is broken: an `unknown` or a single `not_found` that starts a
// new attempt, a failure recorded on an ambiguous answer, a mismatched amount taken as
// paid, a late answer that contradicts a final status swallowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advance } from '../../server/engine/submit.ts';
import { applyCallbackUpdate } from '../../server/engine/callbacks.ts';
import { flagOverdue, resolveReviews } from '../../server/engine/review.ts';
import {
  AMOUNT,
  attemptsOf,
  engineRig,
  payoutRow,
  reviewsOf,
  untilDue,
  webhookStatuses,
  type EngineRig,
} from './scripted.ts';

/** One status check, when it is due. */
async function check(rig: EngineRig, id: number): Promise<void> {
  await untilDue(rig, id);
  await advance(rig.s, id);
}

const callback = (rig: EngineRig, orderId: string, idempotencyKey: string, outcome: object) =>
  applyCallbackUpdate(rig.s, 'scripted', { ref: { orderId, idempotencyKey }, outcome: outcome as never });

test('an unknown outcome is only ever asked about, however long it lasts: never sent again, never failed', async () => {
  const rig = await engineRig();
  try {
    rig.provider.onSubmit({ status: 'unknown', error: 'timeout' });
    const id = await rig.perform('UNKNOWN-1');
    for (let i = 0; i < 8; i++) {
      rig.provider.onStatus({ status: 'unknown', error: i % 2 ? 'HTTP 503' : 'HTTP 429' });
      await check(rig, id);
    }
    assert.equal(rig.provider.statusCalls.length, 8);
    assert.equal(rig.provider.submits.length, 1, 'one submission, whatever the status checks said');
    const p = await payoutRow(rig, id);
    assert.deepEqual([p.status, p.failure_code], ['processing', null]);
    assert.deepEqual(
      (await attemptsOf(rig, id)).map((a) => a.state),
      ['pending'],
    );
    assert.deepEqual(await webhookStatuses(rig, id), ['processing']);
    assert.deepEqual(rig.provider.unscripted, []);
  } finally {
    await rig.close();
  }
});

test('a single not_found never starts a new attempt; two in a row, one check apart, do', async () => {
  const rig = await engineRig();
  try {
    rig.provider.onSubmit({ status: 'unknown', error: 'connection reset' });
    const id = await rig.perform('NOTFOUND-1');
    // not_found, unknown, not_found: no two in a row.
    rig.provider.onStatus({ status: 'not_found' }, { status: 'unknown', error: 'HTTP 502' }, { status: 'not_found' });
    for (let i = 0; i < 3; i++) await check(rig, id);
    assert.equal(rig.provider.submits.length, 1);
    // A check that is not due yet asks nothing.
    await advance(rig.s, id);
    assert.equal(rig.provider.statusCalls.length, 3);

    rig.provider.onStatus({ status: 'not_found' });
    rig.provider.onSubmit({ status: 'processing', providerRef: 'r2' });
    await check(rig, id);
    assert.deepEqual(
      rig.provider.submits.map((r) => r.idempotencyKey),
      [`${(await payoutRow(rig, id)).order_id}.1`, `${(await payoutRow(rig, id)).order_id}.2`],
      'the second attempt carries its own key',
    );
    assert.deepEqual(
      (await attemptsOf(rig, id)).map((a) => a.state),
      ['rejected', 'accepted'],
    );
    assert.deepEqual(rig.provider.unscripted, []);
  } finally {
    await rig.close();
  }
});

test('past the attempts budget the payout stays processing and waits in review, logged as an error', async () => {
  const rig = await engineRig();
  try {
    // Attempt 1 is lost and confirmed missing; attempt 2 never reaches the provider.
    rig.provider.onSubmit({ status: 'unknown', error: 'timeout' }, { status: 'not_sent', error: 'ECONNREFUSED' });
    rig.provider.onStatus({ status: 'not_found' }, { status: 'not_found' });
    const id = await rig.perform('BUDGET-1');
    await check(rig, id);
    await check(rig, id);
    assert.equal(rig.provider.submits.length, 2);
    await check(rig, id); // the third attempt would exceed PAYEE_MAX_ATTEMPTS=2
    assert.equal(rig.provider.submits.length, 2);

    const p = await payoutRow(rig, id);
    assert.deepEqual([p.status, p.failure_code, p.next_sync_at], ['processing', null, null]);
    assert.deepEqual(
      (await reviewsOf(rig, id)).map((r) => [r.reason, r.state]),
      [['attempts_exhausted', 'open']],
    );
    assert.ok(rig.errors().some((l) => l.orderId === p.order_id && /needs review/.test(String(l.msg))));
    assert.equal((await rig.api('getPayoutStatus', { orderNumber: 'BUDGET-1' })).body.orderStatus, 'processing');
    assert.ok(!(await webhookStatuses(rig, id)).includes('failed'));

    // The operator confirmed with the provider that it has nothing: one more attempt.
    rig.provider.onSubmit({ status: 'success', providerRef: 'r3', amount: AMOUNT });
    const r = await resolveReviews(rig.s, id, { kind: 'retry' }, 'alice', 'provider has no such payout');
    assert.deepEqual(r, { ok: true, resolved: 1, status: 'processing' });
    await advance(rig.s, id);
    assert.equal(rig.provider.submits.at(-1)!.idempotencyKey, `${p.order_id}.3`);
    assert.equal((await payoutRow(rig, id)).status, 'success');
    assert.deepEqual(
      (await reviewsOf(rig, id)).map((x) => [x.state, x.decision, x.resolved_by]),
      [['resolved', 'retry', 'alice']],
    );
  } finally {
    await rig.close();
  }
});

test('"keep" leaves a payout with no attempt at the provider alone, until it is overdue again', async () => {
  const rig = await engineRig({ PAYEE_MAX_ATTEMPTS: '1', PAYEE_REVIEW_AFTER_MS: '60000' });
  try {
    rig.provider.onSubmit({ status: 'not_sent', error: 'ENOTFOUND' });
    const id = await rig.perform('KEEP-1');
    await check(rig, id);
    assert.deepEqual(
      (await reviewsOf(rig, id)).map((r) => r.reason),
      ['attempts_exhausted'],
    );
    assert.equal((await resolveReviews(rig.s, id, { kind: 'keep' }, 'dan', 'provider is down; wait')).ok, true);
    await advance(rig.s, id);
    await flagOverdue(rig.s);
    assert.equal(rig.provider.submits.length, 1, 'nothing sent');
    assert.deepEqual(
      (await reviewsOf(rig, id)).map((r) => [r.reason, r.state]),
      [['attempts_exhausted', 'resolved']],
    );
    rig.clock.advance(60_000);
    await flagOverdue(rig.s);
    assert.deepEqual(
      (await reviewsOf(rig, id)).map((r) => [r.reason, r.state]),
      [
        ['attempts_exhausted', 'resolved'],
        ['overdue', 'open'],
      ],
    );
    assert.equal((await payoutRow(rig, id)).status, 'processing');
  } finally {
    await rig.close();
  }
});

test('an echoed amount that differs from ours is never success: the payout stays processing, in review', async () => {
  const rig = await engineRig();
  try {
    rig.provider.onSubmit({ status: 'processing', providerRef: 'r1', amount: AMOUNT });
    const id = await rig.perform('AMOUNT-1');
    rig.provider.onStatus({ status: 'success', providerRef: 'r1', amount: AMOUNT + 100 });
    await check(rig, id);
    const p = await payoutRow(rig, id);
    assert.equal(p.status, 'processing');
    const [review] = await reviewsOf(rig, id);
    assert.equal(review?.reason, 'amount_mismatch');
    assert.deepEqual(JSON.parse(review!.detail).provider.amount, AMOUNT + 100);
    assert.deepEqual(await webhookStatuses(rig, id), ['processing']);
    assert.equal((await rig.api('getPayoutStatus', { orderNumber: 'AMOUNT-1' })).body.orderStatus, 'processing');
  } finally {
    await rig.close();
  }
});

test('a late "paid" after a definite refusal is kept and put to review, never swallowed; the operator corrects it', async () => {
  const rig = await engineRig();
  try {
    rig.provider.onSubmit({ status: 'failed', code: 'card_declined', providerCode: '05' });
    const id = await rig.perform('LATE-1');
    const p = await payoutRow(rig, id);
    assert.deepEqual([p.status, p.failure_code, p.provider_code], ['failed', 'card_declined', '05']);

    await callback(rig, p.order_id, `${p.order_id}.1`, { status: 'success', providerRef: 'late-ref' });
    assert.equal((await payoutRow(rig, id)).status, 'failed', 'a final status is not changed by a provider');
    const [review] = await reviewsOf(rig, id);
    assert.equal(review?.reason, 'contradiction');
    assert.deepEqual(JSON.parse(review!.detail), {
      ours: { status: 'failed' },
      provider: { source: 'callback', status: 'success', providerRef: 'late-ref' },
    });
    const answers = await rig.s.db
      .selectFrom('provider_answers')
      .select(['source', 'status', 'code', 'provider_ref'])
      .where('payout_id', '=', id)
      .orderBy('id')
      .execute();
    assert.deepEqual(answers, [
      { source: 'submit', status: 'failed', code: 'card_declined', provider_ref: null },
      { source: 'callback', status: 'success', code: null, provider_ref: 'late-ref' },
    ]);
    assert.ok(rig.errors().some((l) => l.reason === 'contradiction'));

    const r = await resolveReviews(rig.s, id, { kind: 'success' }, 'bob', 'bank statement shows it paid');
    assert.deepEqual(r, { ok: true, resolved: 1, status: 'success' });
    assert.deepEqual(await webhookStatuses(rig, id), ['failed', 'success']);
    const status = await rig.api('getPayoutStatus', { orderNumber: 'LATE-1' });
    assert.equal(status.body.orderStatus, 'success');
    assert.equal(status.body.failure, undefined);
  } finally {
    await rig.close();
  }
});

test('a late "failed" after success is kept and put to review; the payout stays success', async () => {
  const rig = await engineRig();
  try {
    rig.provider.onSubmit({ status: 'success', providerRef: 'r1' });
    const id = await rig.perform('LATE-2');
    const p = await payoutRow(rig, id);
    await callback(rig, p.order_id, `${p.order_id}.1`, { status: 'failed', code: 'bank_rejected' });
    assert.equal((await payoutRow(rig, id)).status, 'success');
    assert.deepEqual(
      (await reviewsOf(rig, id)).map((x) => x.reason),
      ['contradiction'],
    );
    // An operator cannot fail a paid payout without such a contradiction on record.
    const other = await resolveReviews(rig.s, id, { kind: 'keep' }, 'bob', 'asked the bank');
    assert.equal(other.ok, true);
    const again = await resolveReviews(rig.s, id, { kind: 'failed', code: 'bank_rejected' }, 'bob', 'x');
    assert.deepEqual(again.ok ? undefined : again.reason, 'nothing_open');
  } finally {
    await rig.close();
  }
});

test('an answer for an attempt we gave up on, while another is live, is a duplicate risk in review', async () => {
  const rig = await engineRig();
  try {
    rig.provider.onSubmit({ status: 'unknown', error: 'timeout' }, { status: 'processing', providerRef: 'r2' });
    rig.provider.onStatus({ status: 'not_found' }, { status: 'not_found' });
    const id = await rig.perform('DUP-1');
    await check(rig, id);
    await check(rig, id);
    const p = await payoutRow(rig, id);
    assert.equal(rig.provider.submits.length, 2);
    await callback(rig, p.order_id, `${p.order_id}.1`, { status: 'success', providerRef: 'r1' });
    const after = await payoutRow(rig, id);
    assert.equal(after.status, 'success', 'money left: the merchant is told');
    assert.deepEqual(
      (await reviewsOf(rig, id)).map((x) => [x.reason, x.state]),
      [['duplicate_risk', 'open']],
    );
  } finally {
    await rig.close();
  }
});

test('a payout with no final answer within the review budget goes to review; a final answer settles it', async () => {
  const rig = await engineRig({ PAYEE_REVIEW_AFTER_MS: '60000' });
  try {
    rig.provider.onSubmit({ status: 'processing', providerRef: 'r1' });
    const id = await rig.perform('OVERDUE-1');
    await flagOverdue(rig.s);
    assert.deepEqual(await reviewsOf(rig, id), []);
    rig.clock.advance(60_000);
    await flagOverdue(rig.s);
    await flagOverdue(rig.s);
    assert.deepEqual(
      (await reviewsOf(rig, id)).map((x) => [x.reason, x.state]),
      [['overdue', 'open']],
    );
    assert.equal((await payoutRow(rig, id)).status, 'processing');

    rig.provider.onStatus({ status: 'success', providerRef: 'r1', amount: AMOUNT });
    await check(rig, id);
    assert.equal((await payoutRow(rig, id)).status, 'success', 'a late answer for a payout not final applies');
    assert.deepEqual(
      (await reviewsOf(rig, id)).map((x) => [x.state, x.decision, x.resolved_by]),
      [['resolved', 'success', 'payee']],
    );
  } finally {
    await rig.close();
  }
});

test('an operator decides a failure with a code of the list; the merchant sees it', async () => {
  const rig = await engineRig();
  try {
    rig.provider.onSubmit({ status: 'unknown', error: 'timeout' });
    rig.provider.onStatus({ status: 'success', providerRef: 'r1', amount: 1 });
    const id = await rig.perform('OPERATOR-1');
    await check(rig, id);
    const r = await resolveReviews(rig.s, id, { kind: 'failed', code: 'not_sent' }, 'carol', 'provider refunded us');
    assert.deepEqual(r, { ok: true, resolved: 1, status: 'failed' });
    const status = await rig.api('getPayoutStatus', { orderNumber: 'OPERATOR-1' });
    assert.equal(status.body.orderStatus, 'failed');
    assert.equal(status.body.failure.code, 'not_sent');
    const history = await rig.s.db
      .selectFrom('payout_history')
      .select(['to_status', 'reason'])
      .where('payout_id', '=', id)
      .orderBy('id')
      .execute();
    assert.deepEqual(history.at(-1), { to_status: 'failed', reason: 'operator:carol' });
  } finally {
    await rig.close();
  }
});
