// The money rule as a table: what each provider answer does to a payout, from the
// ambiguous ones (which never end a payout nor start an attempt) to the definite ones, the
// amounts that do not match and the late answers that contradict a final status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, type AnswerSource, type PayoutSnapshot, type ProviderAnswer } from './decide.ts';

const processing: PayoutSnapshot = {
  status: 'processing',
  amount: 150000,
  withdrawRequested: false,
  attempt: { state: 'pending', providerStatus: null },
  otherLive: false,
};
const with_ = (over: Partial<PayoutSnapshot>): PayoutSnapshot => ({ ...processing, ...over });
const pending = (providerStatus: string | null = null) => ({ state: 'pending' as const, providerStatus });
const accepted = { state: 'accepted' as const, providerStatus: 'processing' };
const rejected = { state: 'rejected' as const, providerStatus: 'not_found' };

/** What a plan does, in short: the steps, a new attempt, the failure, the review, the attempt's new state. */
interface Outcome {
  steps: string;
  retry?: true;
  failure?: string;
  review?: string;
  attempt?: string;
  awaits?: string;
}

const rows: Array<[string, ProviderAnswer, PayoutSnapshot, AnswerSource, Outcome]> = [
  // Ambiguous answers: never an end, never a new attempt.
  [
    'unknown at submit: with the provider, maybe',
    { status: 'unknown', error: 'timeout' },
    with_({ status: 'created' }),
    'submit',
    { steps: 'processing' },
  ],
  ['unknown from a status check', { status: 'unknown', error: 'HTTP 503' }, processing, 'status', { steps: '' }],
  [
    'unknown breaks a run of not_found',
    { status: 'unknown', error: 'HTTP 429' },
    with_({ attempt: pending('not_found') }),
    'status',
    { steps: '' },
  ],
  ['the first not_found only notes it', { status: 'not_found' }, processing, 'status', { steps: '' }],
  [
    'a second not_found, one check later: a new attempt',
    { status: 'not_found' },
    with_({ attempt: pending('not_found') }),
    'status',
    { steps: '', retry: true, attempt: 'rejected' },
  ],
  [
    'not_found after an unknown is a first one again',
    { status: 'not_found' },
    with_({ attempt: pending('unknown') }),
    'status',
    { steps: '' },
  ],
  [
    'not_found for an attempt the provider had accepted: review',
    { status: 'not_found' },
    with_({ attempt: accepted }),
    'status',
    { steps: '', review: 'provider_lost' },
  ],
  [
    'not_found for a final payout changes nothing',
    { status: 'not_found' },
    with_({ status: 'success', attempt: accepted }),
    'status',
    { steps: '' },
  ],
  [
    'not_sent ends the attempt; the next one waits',
    { status: 'not_sent', error: 'ECONNREFUSED' },
    with_({ status: 'created' }),
    'submit',
    { steps: '', attempt: 'rejected' },
  ],
  // Definite answers.
  [
    'processing at submit',
    { status: 'processing', providerRef: 'r1' },
    with_({ status: 'created' }),
    'submit',
    { steps: 'processing', attempt: 'accepted' },
  ],
  [
    'success from a status check',
    { status: 'success', amount: 150000 },
    processing,
    'status',
    { steps: 'success', attempt: 'accepted' },
  ],
  [
    'success by callback walks every step',
    { status: 'success' },
    with_({ status: 'created' }),
    'callback',
    { steps: 'processing>success', attempt: 'accepted' },
  ],
  [
    'a refusal with a code of ours',
    { status: 'failed', code: 'card_declined', providerCode: '05' },
    processing,
    'submit',
    { steps: 'failed', failure: 'card_declined/05', attempt: 'rejected' },
  ],
  [
    'a refusal with a code not on our list',
    { status: 'failed', code: 'p2p_low_balance' },
    processing,
    'callback',
    { steps: 'failed', failure: 'provider_declined/p2p_low_balance', attempt: 'rejected' },
  ],
  [
    'a cancellation after we asked to withdraw it',
    { status: 'cancelled' },
    with_({ withdrawRequested: true }),
    'callback',
    { steps: 'cancelled', failure: 'session_expired/-', attempt: 'rejected' },
  ],
  [
    'a cancellation we did not ask for',
    { status: 'cancelled' },
    processing,
    'status',
    { steps: 'cancelled', failure: 'cancelled/-', attempt: 'rejected' },
  ],
  [
    'a refund after success',
    { status: 'refunded' },
    with_({ status: 'success', attempt: accepted }),
    'callback',
    { steps: 'refunded', attempt: 'accepted' },
  ],
  [
    'old news: processing after the end',
    { status: 'processing' },
    with_({ status: 'success', attempt: accepted }),
    'callback',
    { steps: '', attempt: 'accepted' },
  ],
  [
    'old news: a repeated refusal',
    { status: 'failed', code: 'card_declined' },
    with_({ status: 'failed', attempt: rejected }),
    'callback',
    { steps: '' },
  ],
  // Amounts.
  [
    'paid, but another amount: never success',
    { status: 'success', amount: 150001 },
    processing,
    'status',
    { steps: '', review: 'amount_mismatch', attempt: 'accepted' },
  ],
  [
    'another amount at submit: with the provider, in review',
    { status: 'processing', amount: 1 },
    with_({ status: 'created' }),
    'submit',
    { steps: 'processing', review: 'amount_mismatch', attempt: 'accepted' },
  ],
  [
    'refused, but another amount: not taken either',
    { status: 'failed', code: 'card_declined', amount: 9 },
    processing,
    'callback',
    { steps: '', review: 'amount_mismatch', attempt: 'accepted' },
  ],
  // Late answers that contradict a final status.
  [
    'paid after we said failed',
    { status: 'success', providerRef: 'r9' },
    with_({ status: 'failed', attempt: rejected }),
    'callback',
    { steps: '', review: 'contradiction', attempt: 'accepted' },
  ],
  [
    'failed after we said paid',
    { status: 'failed', code: 'bank_rejected' },
    with_({ status: 'success', attempt: accepted }),
    'callback',
    { steps: '', review: 'contradiction', attempt: 'rejected' },
  ],
  [
    'refunded after we said cancelled',
    { status: 'refunded' },
    with_({ status: 'cancelled', attempt: rejected }),
    'callback',
    { steps: '', review: 'contradiction', attempt: 'accepted' },
  ],
  // An attempt we gave up on.
  [
    'it paid the attempt we gave up on, another is live',
    { status: 'success' },
    with_({ attempt: rejected, otherLive: true }),
    'callback',
    { steps: 'success', review: 'duplicate_risk' },
  ],
  [
    'it has the attempt we gave up on, another is live',
    { status: 'processing' },
    with_({ attempt: rejected, otherLive: true }),
    'callback',
    { steps: '', review: 'duplicate_risk' },
  ],
  [
    'it refused the attempt we gave up on, another is live',
    { status: 'failed', code: 'card_declined' },
    with_({ attempt: rejected, otherLive: true }),
    'callback',
    { steps: '' },
  ],
  [
    'it paid the attempt we gave up on, none other: taken back',
    { status: 'success' },
    with_({ attempt: rejected }),
    'callback',
    { steps: 'success', attempt: 'accepted' },
  ],
  // Another try: the recipient may give other details.
  [
    'a declined card with tries left: the link waits for other details',
    { status: 'failed', code: 'card_declined', providerCode: '05' },
    with_({ anotherTry: true }),
    'submit',
    { steps: '', attempt: 'rejected', awaits: 'card_declined/05' },
  ],
  [
    'declined at once at submit: processing for the merchant, waiting for other details',
    { status: 'failed', code: 'recipient_not_found' },
    with_({ status: 'created', anotherTry: true }),
    'submit',
    { steps: 'processing', attempt: 'rejected', awaits: 'recipient_not_found/-' },
  ],
  [
    "the merchant's own balance is no reason for another card",
    { status: 'failed', code: 'insufficient_funds' },
    with_({ anotherTry: true }),
    'submit',
    { steps: 'failed', failure: 'insufficient_funds/-', attempt: 'rejected' },
  ],
  [
    'a code not on our list is not taken as the card',
    { status: 'failed', code: 'p2p_whatever' },
    with_({ anotherTry: true }),
    'callback',
    { steps: 'failed', failure: 'provider_declined/p2p_whatever', attempt: 'rejected' },
  ],
  [
    'no tries or session left: the refusal ends the payout',
    { status: 'failed', code: 'bank_rejected' },
    with_({ anotherTry: false }),
    'status',
    { steps: 'failed', failure: 'bank_rejected/-', attempt: 'rejected' },
  ],
  [
    'a cancellation is never another try',
    { status: 'cancelled', code: 'card_declined' },
    with_({ anotherTry: true }),
    'callback',
    { steps: 'cancelled', failure: 'card_declined/-', attempt: 'rejected' },
  ],
  [
    'a refused attempt we gave up on, none other: not another try',
    { status: 'failed', code: 'card_declined' },
    with_({ attempt: rejected, anotherTry: true }),
    'callback',
    { steps: 'failed', failure: 'card_declined/-' },
  ],
  [
    'the refusal said again while the link waits for other details: old news',
    { status: 'failed', code: 'card_declined' },
    with_({ attempt: rejected, awaitingDetails: true }),
    'callback',
    { steps: '' },
  ],
  [
    'a waiting link is never moved by a provider',
    { status: 'success' },
    with_({ status: 'uploaded', attempt: undefined }),
    'callback',
    { steps: '' },
  ],
];

for (const [name, answer, snapshot, source, expected] of rows) {
  test(name, () => {
    const plan = decide(answer, snapshot, source);
    const got: Outcome = { steps: plan.steps.join('>') };
    if (plan.retry) got.retry = true;
    if (plan.failure) got.failure = `${plan.failure.code}/${plan.failure.providerCode ?? '-'}`;
    if (plan.review) got.review = plan.review.reason;
    if (plan.attempt?.state) got.attempt = plan.attempt.state;
    if (plan.awaitDetails) got.awaits = `${plan.awaitDetails.code}/${plan.awaitDetails.providerCode ?? '-'}`;
    assert.deepEqual(got, expected);
  });
}

test('only a definite refusal ever plans a failed or cancelled end', () => {
  for (const [, answer, snapshot, source] of rows) {
    const plan = decide(answer, snapshot, source);
    const ends = plan.steps.at(-1);
    if (ends === 'failed' || ends === 'cancelled')
      assert.ok(answer.status === 'failed' || answer.status === 'cancelled');
    if (plan.retry) assert.equal(answer.status, 'not_found');
  }
});

test('a contradiction keeps both sides for the operator', () => {
  const plan = decide(
    { status: 'success', providerRef: 'r9', amount: 150000 },
    with_({ status: 'failed', attempt: rejected }),
    'callback',
  );
  assert.deepEqual(plan.review?.detail, {
    ours: { status: 'failed' },
    provider: { source: 'callback', status: 'success', providerRef: 'r9', amount: 150000 },
  });
  assert.equal(plan.providerRef, undefined, 'the payout keeps its own reference');
});

test('status checks: after the backoff while open, at once for a new attempt, none once final', () => {
  assert.equal(decide({ status: 'unknown', error: 'x' }, processing, 'status').sync, 'later');
  assert.equal(decide({ status: 'not_found' }, with_({ attempt: pending('not_found') }), 'status').sync, 'now');
  assert.equal(decide({ status: 'success' }, processing, 'status').sync, 'keep');
  assert.equal(decide({ status: 'processing' }, processing, 'status').sync, 'later');
});
