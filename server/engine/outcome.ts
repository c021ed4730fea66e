// Applying what a provider says (submit answer, status query, callback) to a payout and
// its attempt, in one transaction: the answer is kept, decide() (decide.ts) says what it
// means, and this step carries that out through transition() one legal step at a time
// (created → processing → success), so the history and the webhooks show every step.
import { FINAL_STATUSES, type PayoutStatus } from '../../src/contract/status.ts';
import type { Insertable } from 'kysely';
import type { Db, Tx } from '../db/index.ts';
import type { ProviderAnswersTable } from '../db/schema.ts';
import { prepared } from '../db/prepared.ts';
import type { Services } from '../services.ts';
import type { EngineSettings } from '../config.ts';
import { transition } from './status-machine.ts';
import { decide, type AnswerSource, type Plan, type ProviderAnswer } from './decide.ts';
import { openReview, settleReviews } from './review.ts';
import { getMerchant } from '../merchants/store.ts';

export type { ProviderAnswer } from './decide.ts';

/** The next status check: PAYEE_SYNC_FIRST_MS, doubling per check, capped at PAYEE_SYNC_MAX_MS. */
export function nextSyncAt({ syncFirstMs, syncMaxMs }: EngineSettings, now: number, syncCount: number): number {
  return now + Math.min(syncMaxMs, syncFirstMs * 2 ** Math.min(syncCount, 30));
}

export interface ApplyResult {
  status: PayoutStatus;
  /** The provider confirmed it never got the attempt: a new one may start now. */
  retry: boolean;
}

/**
 * Records a provider's answer for the payout (and attempt, when known) and applies what
 * it means. Returns the payout's status afterwards.
 */
export async function applyAnswer(
  s: Services,
  tx: Tx,
  payoutId: number,
  attemptId: number | undefined,
  answer: ProviderAnswer,
  source: AnswerSource,
): Promise<ApplyResult> {
  const now = s.clock.now();
  const [payout] = await answerFacts(tx, payoutId);
  if (!payout) throw new Error(`no payout ${payoutId}`);
  const attempts = await attemptsOf(tx, payoutId);
  const attempt = attempts.find((a) => a.id === attemptId);
  // Another card or phone may be asked for only on a link, within its session and the merchant's tries.
  const anotherTry =
    payout.origin === 'link' &&
    now < payout.expires_at &&
    payout.tries < ((await getMerchant(tx, payout.merchant_id))?.settings.maxTries ?? 1);
  const plan = decide(
    answer,
    {
      status: payout.status,
      amount: payout.amount,
      withdrawRequested: payout.withdraw_requested_at !== null,
      attempt: attempt && { state: attempt.state, providerStatus: attempt.provider_status },
      otherLive: attempts.some((a) => a.id !== attemptId && a.state !== 'rejected'),
      anotherTry,
      awaitingDetails: payout.declined_code !== null,
    },
    source,
  );

  await recordAnswer(tx, payoutId, attempt?.id ?? null, answer, source, now);
  if (attempt && plan.attempt) {
    const { state, providerStatus, error } = plan.attempt;
    await tx
      .updateTable('payout_attempts')
      .set({
        ...(state ? { state } : {}),
        ...(providerStatus ? { provider_status: providerStatus } : {}),
        ...(error !== undefined ? { error } : {}),
        updated_at: now,
      })
      .where('id', '=', attempt.id)
      .execute();
  }

  const status = await walk(tx, payoutId, payout.status, plan, now);
  if (plan.providerRef && plan.providerRef !== payout.provider_ref) {
    await tx.updateTable('payouts').set({ provider_ref: plan.providerRef }).where('id', '=', payoutId).execute();
  }
  if (plan.review) await openReview(s, tx, payoutId, plan.review.reason, plan.review.detail, now);
  if (plan.awaitDetails && status === 'processing') {
    // Nothing to ask the provider until the recipient gives other details (details.ts) or the session ends.
    await tx
      .updateTable('payouts')
      .set({
        declined_code: plan.awaitDetails.code,
        declined_provider_code: plan.awaitDetails.providerCode,
        next_sync_at: null,
      })
      .where('id', '=', payoutId)
      .execute();
    return { status, retry: false };
  }

  const final = FINAL_STATUSES.has(status);
  if (final && !FINAL_STATUSES.has(payout.status)) await settleReviews(tx, payoutId, status, now);
  // Final: no more status checks (a refund after success arrives by callback).
  const next = final
    ? { next_sync_at: null }
    : plan.sync === 'now'
      ? { next_sync_at: now }
      : plan.sync === 'later'
        ? { next_sync_at: nextSyncAt(s.config.engine, now, payout.sync_count), sync_count: payout.sync_count + 1 }
        : undefined;
  if (next) await tx.updateTable('payouts').set(next).where('id', '=', payoutId).execute();
  return { status, retry: plan.retry };
}

// Every answer (submission, status, callback) runs these: built once (db/prepared.ts).
const answerFacts = prepared((db: Db, payoutId: number) =>
  db
    .selectFrom('payouts')
    .select([
      'status',
      'amount',
      'sync_count',
      'provider_ref',
      'withdraw_requested_at',
      'merchant_id',
      'origin',
      'expires_at',
      'tries',
      'declined_code',
    ])
    .where('id', '=', payoutId),
);
const attemptsOf = prepared((db: Db, payoutId: number) =>
  db.selectFrom('payout_attempts').select(['id', 'state', 'provider_status']).where('payout_id', '=', payoutId),
);
const lastAnswer = prepared((db: Db, payoutId: number) =>
  db.selectFrom('provider_answers').selectAll().where('payout_id', '=', payoutId).orderBy('id', 'desc').limit(1),
);
const countRepeat = prepared((db: Db, id: number, repeats: number, at: number) =>
  db.updateTable('provider_answers').set({ repeats, last_at: at }).where('id', '=', id),
);
const insertAnswer = prepared((db: Db, row: Insertable<ProviderAnswersTable>) =>
  db.insertInto('provider_answers').values(row),
);

/** Walks the plan's steps; stops where a step is no longer allowed (a concurrent change won). */
async function walk(tx: Tx, payoutId: number, from: PayoutStatus, plan: Plan, at: number): Promise<PayoutStatus> {
  let status = from;
  for (const [i, step] of plan.steps.entries()) {
    const last = i === plan.steps.length - 1;
    const failure = last ? plan.failure : undefined;
    const r = await transition(tx, payoutId, step, {
      reason: failure ? failure.reason : plan.reason,
      at,
      set: failure ? { failure_code: failure.code, provider_code: failure.providerCode } : undefined,
    });
    if (!r.moved) break;
    status = step;
  }
  return status;
}

/** Keeps the answer beside our record; the same answer again (a status poll) only counts. */
async function recordAnswer(
  tx: Tx,
  payoutId: number,
  attemptId: number | null,
  answer: ProviderAnswer,
  source: AnswerSource,
  at: number,
): Promise<void> {
  const row = {
    payout_id: payoutId,
    attempt_id: attemptId,
    source,
    status: answer.status,
    code: 'code' in answer ? (answer.code ?? null) : null,
    provider_code: 'providerCode' in answer ? (answer.providerCode ?? null) : null,
    amount: 'amount' in answer ? (answer.amount ?? null) : null,
    provider_ref: 'providerRef' in answer ? (answer.providerRef ?? null) : null,
    error: 'error' in answer ? answer.error.slice(0, 500) : null,
  };
  const [last] = await lastAnswer(tx, payoutId);
  const same = last && (Object.keys(row) as Array<keyof typeof row>).every((k) => last[k] === row[k]);
  if (same) await countRepeat(tx, last.id, last.repeats + 1, at);
  else await insertAnswer(tx, { ...row, first_at: at, last_at: at });
}
