// The review list: payouts whose outcome Payee cannot establish on its own, or where a
// provider's answer disagrees with what we know. An item never changes what the merchant
// sees (a payout in review stays `processing`, a final one stays final); an operator works
// it with `npm run payouts -- review|show|resolve` and decides.
import { sql } from 'kysely';
import type { Services } from '../services.ts';
import type { Tx } from '../db/index.ts';
import type { PayoutStatus } from '../../src/contract/status.ts';
import type { FailureCode } from '../../src/contract/failure.ts';
import { pathTo, transition } from './status-machine.ts';

/** Why a payout is in review, as operators read it. */
export const REVIEW_REASONS = {
  attempts_exhausted: 'the provider confirmed it never received any of the attempts the budget allows',
  overdue: 'no final answer from the provider within the review budget (PAYEE_REVIEW_AFTER_MS)',
  provider_lost: 'the provider no longer knows a payout it had accepted',
  amount_mismatch: 'the provider reported an amount that differs from ours',
  contradiction: 'the provider contradicts a final status (paid after failed, or failed after paid)',
  duplicate_risk: 'the provider has an attempt we gave up on while another attempt may be with it',
  withdraw_refused: 'the session ended and the provider refused to withdraw the payout (it may pay it still)',
} as const;
export type ReviewReason = keyof typeof REVIEW_REASONS;

/** Items that a definite final answer settles on its own: they were only waiting for one. */
const SETTLED_BY_ANSWER: readonly ReviewReason[] = [
  'attempts_exhausted',
  'overdue',
  'provider_lost',
  'withdraw_refused',
];

type Deps = Pick<Services, 'db' | 'clock' | 'config' | 'log'>;

/** Opens an item (once per payout and reason while open) and logs it at error level. */
export async function openReview(
  s: Pick<Services, 'log'>,
  tx: Tx,
  payoutId: number,
  reason: ReviewReason,
  detail: Record<string, unknown>,
  at: number,
): Promise<void> {
  const r = await tx
    .insertInto('payout_reviews')
    .values({ payout_id: payoutId, reason, detail: JSON.stringify(detail), state: 'open', opened_at: at })
    // The literal matches the partial unique index (a bound parameter would not).
    .onConflict((oc) =>
      oc
        .columns(['payout_id', 'reason'])
        .where(sql<boolean>`state = 'open'`)
        .doNothing(),
    )
    .executeTakeFirst();
  if (!r.numInsertedOrUpdatedRows) return;
  const p = await tx.selectFrom('payouts').select('order_id').where('id', '=', payoutId).executeTakeFirstOrThrow();
  s.log.error({ orderId: p.order_id, reason, detail }, `payout needs review: ${REVIEW_REASONS[reason]}`);
}

/** A definite answer finished the payout: items that only waited for one are closed. */
export async function settleReviews(tx: Tx, payoutId: number, status: PayoutStatus, at: number): Promise<void> {
  await tx
    .updateTable('payout_reviews')
    .set({
      state: 'resolved',
      resolved_at: at,
      resolved_by: 'payee',
      decision: status,
      note: 'the provider answered',
    })
    .where('payout_id', '=', payoutId)
    .where('state', '=', 'open')
    .where('reason', 'in', SETTLED_BY_ANSWER)
    .execute();
}

const BATCH = 100;

/** Payouts still without a final answer past their review time go to review (and keep being asked). */
export async function flagOverdue(s: Deps): Promise<boolean> {
  const now = s.clock.now();
  const due = await s.db
    .selectFrom('payouts')
    .select(['id', 'status', 'review_at'])
    .where('status', 'in', ['created', 'processing'])
    .where('review_at', '<=', now)
    // Waiting for the recipient's other details is no provider's delay: the session bounds it.
    .where('declined_code', 'is', null)
    .limit(BATCH)
    .execute();
  for (const p of due) {
    await s.db.transaction().execute(async (tx) => {
      // Only while still due: of several instances, the one that clears it opens the item.
      const mine = await tx
        .updateTable('payouts')
        .set({ review_at: null })
        .where('id', '=', p.id)
        .where('review_at', '=', p.review_at)
        .executeTakeFirst();
      if (mine.numUpdatedRows === 0n) return;
      await openReview(s, tx, p.id, 'overdue', { status: p.status, dueAt: p.review_at }, now);
    });
  }
  return due.length === BATCH;
}

/** What an operator decides for a payout's open items. */
export type ReviewDecision =
  /** The provider confirmed the payout was paid. */
  | { kind: 'success' }
  /** The provider confirmed it was not paid, for this reason. */
  | { kind: 'failed'; code: FailureCode }
  /** The provider confirmed it has nothing: send it again (a new attempt, one more than the budget if needed). */
  | { kind: 'retry' }
  /** Leave the payout as it is (keep asking the provider; back in review after another budget). */
  | { kind: 'keep' };

export type ResolveResult =
  | { ok: true; resolved: number; status: PayoutStatus }
  | { ok: false; reason: 'nothing_open' | 'not_allowed' | 'changed'; message: string };

/**
 * Closes every open item of a payout with the operator's decision, applied in the same
 * transaction: a status an operator confirmed with the provider (a correction when the
 * payout was already final and the provider contradicted it), a new attempt, or nothing.
 * Who decided, when and why are kept with the items.
 */
export async function resolveReviews(
  s: Deps,
  payoutId: number,
  decision: ReviewDecision,
  by: string,
  note: string,
): Promise<ResolveResult> {
  const now = s.clock.now();
  return s.db.transaction().execute(async (tx): Promise<ResolveResult> => {
    const p = await tx
      .selectFrom('payouts')
      .select(['status', 'extra_attempts'])
      .where('id', '=', payoutId)
      .executeTakeFirstOrThrow();
    const items = await tx
      .selectFrom('payout_reviews')
      .select(['id', 'reason'])
      .where('payout_id', '=', payoutId)
      .where('state', '=', 'open')
      .execute();
    if (items.length === 0)
      return { ok: false, reason: 'nothing_open', message: 'this payout has no open review item' };
    const open = p.status === 'created' || p.status === 'processing';
    const reason = `operator:${by}`;

    if (decision.kind === 'success' || decision.kind === 'failed') {
      const to = decision.kind;
      const set = {
        next_sync_at: null,
        review_at: null,
        failure_code: decision.kind === 'failed' ? decision.code : null,
        provider_code: null,
      };
      if (open) {
        for (const step of pathTo(p.status, to)) {
          const r = await transition(tx, payoutId, step, { reason, at: now, set });
          if (!r.moved) return { ok: false, reason: 'changed', message: 'the payout changed meanwhile; look again' };
        }
      } else if (p.status !== to) {
        // Only a provider's contradiction of a final status allows changing it.
        const contradicted = items.some((i) => i.reason === 'contradiction' || i.reason === 'duplicate_risk');
        const r = contradicted
          ? await transition(tx, payoutId, to, { reason, at: now, set, correction: true })
          : { moved: false };
        if (!r.moved)
          return {
            ok: false,
            reason: 'not_allowed',
            message: `the payout is ${p.status}: it can be set to ${to} only after the provider contradicted it`,
          };
      }
    } else if (decision.kind === 'retry') {
      if (!open)
        return { ok: false, reason: 'not_allowed', message: `the payout is ${p.status}: nothing to send again` };
      const attempts = await tx
        .selectFrom('payout_attempts')
        .select(['id', 'state'])
        .where('payout_id', '=', payoutId)
        .execute();
      await tx
        .updateTable('payout_attempts')
        .set({ state: 'rejected', error: `not held by the provider (${reason})`, updated_at: now })
        .where('payout_id', '=', payoutId)
        .where('state', '!=', 'rejected')
        .execute();
      const budget = s.config.engine.maxAttempts + p.extra_attempts;
      await tx
        .updateTable('payouts')
        .set({
          next_sync_at: now,
          review_at: now + s.config.engine.reviewAfterMs,
          extra_attempts: p.extra_attempts + (attempts.length >= budget ? 1 : 0),
        })
        .where('id', '=', payoutId)
        .execute();
    } else if (open) {
      // Ask again now when an attempt may be with the provider; with none, nothing is sent until an operator says so.
      const live = await tx
        .selectFrom('payout_attempts')
        .select('id')
        .where('payout_id', '=', payoutId)
        .where('state', '!=', 'rejected')
        .executeTakeFirst();
      await tx
        .updateTable('payouts')
        .set({ ...(live ? { next_sync_at: now } : {}), review_at: now + s.config.engine.reviewAfterMs })
        .where('id', '=', payoutId)
        .execute();
    }

    await tx
      .updateTable('payout_reviews')
      .set({
        state: 'resolved',
        resolved_at: now,
        resolved_by: by,
        decision: decision.kind === 'failed' ? `failed:${decision.code}` : decision.kind,
        note,
      })
      .where(
        'id',
        'in',
        items.map((i) => i.id),
      )
      .execute();
    const after = await tx.selectFrom('payouts').select('status').where('id', '=', payoutId).executeTakeFirstOrThrow();
    s.log.warn({ payoutId, decision, by, items: items.length }, 'review resolved by an operator');
    return { ok: true, resolved: items.length, status: after.status };
  });
}

export interface ReviewItem {
  id: number;
  payoutId: number;
  orderId: string;
  orderNumber: string;
  merchantId: string;
  status: PayoutStatus;
  amount: number;
  reason: ReviewReason;
  detail: Record<string, unknown>;
  openedAt: number;
}

/** Open items, oldest first. */
export async function openReviews(s: Pick<Services, 'db'>, limit = 200): Promise<ReviewItem[]> {
  const rows = await s.db
    .selectFrom('payout_reviews as r')
    .innerJoin('payouts as p', 'p.id', 'r.payout_id')
    .select([
      'r.id',
      'r.payout_id',
      'p.order_id',
      'p.order_number',
      'p.merchant_id',
      'p.status',
      'p.amount',
      'r.reason',
      'r.detail',
      'r.opened_at',
    ])
    .where('r.state', '=', 'open')
    .orderBy('r.opened_at')
    .orderBy('r.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    payoutId: r.payout_id,
    orderId: r.order_id,
    orderNumber: r.order_number,
    merchantId: r.merchant_id,
    status: r.status,
    amount: r.amount,
    reason: r.reason as ReviewReason,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    openedAt: r.opened_at,
  }));
}
