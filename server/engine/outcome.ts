// Applying what a provider says (submit answer, status query, callback) to a payout
// and its attempt, in one transaction. Statuses are walked one legal step at a time
// (created → processing → success), so the history and the webhooks show every step.
import { FINAL_STATUSES, type PayoutStatus } from '../../src/contract/status.ts';
import type { Tx } from '../db/index.ts';
import type { Services } from '../services.ts';
import type { EngineSettings } from '../config.ts';
import type { StatusResult, SubmitResult } from '../providers/types.ts';
import { transition } from './status-machine.ts';

export type ProviderAnswer = SubmitResult | StatusResult;

const WAYS: Partial<Record<PayoutStatus, Partial<Record<PayoutStatus, readonly PayoutStatus[]>>>> = {
  created: {
    processing: ['processing'],
    success: ['processing', 'success'],
    failed: ['failed'],
    cancelled: ['cancelled'],
    refunded: ['processing', 'success', 'refunded'],
  },
  processing: { success: ['success'], failed: ['failed'], cancelled: ['cancelled'], refunded: ['success', 'refunded'] },
  success: { refunded: ['refunded'] },
};

/** The steps from `from` to `to`, or [] when `to` cannot be reached. */
export function pathTo(from: PayoutStatus, to: PayoutStatus): readonly PayoutStatus[] {
  return WAYS[from]?.[to] ?? [];
}

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
 * Records a provider's answer for the payout (and attempt, when known). Returns the
 * payout's status afterwards. `source` tells where the news came from (history reason).
 */
export async function applyAnswer(
  s: Services,
  tx: Tx,
  payoutId: number,
  attemptId: number | undefined,
  answer: ProviderAnswer,
  source: 'submit' | 'status' | 'callback',
): Promise<ApplyResult> {
  const now = s.clock.now();
  const payout = await tx
    .selectFrom('payouts')
    .select(['status', 'sync_count', 'provider_ref'])
    .where('id', '=', payoutId)
    .executeTakeFirstOrThrow();
  const setAttempt = async (state: 'pending' | 'accepted' | 'rejected', error: string | null) => {
    if (attemptId === undefined) return;
    await tx
      .updateTable('payout_attempts')
      .set({ state, provider_status: answer.status, error, updated_at: now })
      .where('id', '=', attemptId)
      .where('state', '!=', 'rejected')
      .execute();
  };
  const schedule = (at: number | null, bump: boolean) =>
    tx
      .updateTable('payouts')
      .set({ next_sync_at: at, ...(bump ? { sync_count: payout.sync_count + 1 } : {}) })
      .where('id', '=', payoutId)
      .execute();

  if (answer.status === 'unknown') {
    // Maybe the provider has it: never submit again blindly; ask it later.
    if (attemptId !== undefined)
      await tx
        .updateTable('payout_attempts')
        .set({ error: answer.error, updated_at: now })
        .where('id', '=', attemptId)
        .execute();
    if (payout.status === 'created')
      await transition(tx, payoutId, 'processing', { reason: 'outcome_unknown', at: now });
    await schedule(nextSyncAt(s.config.engine, now, payout.sync_count), true);
    return { status: payout.status === 'created' ? 'processing' : payout.status, retry: false };
  }
  if (answer.status === 'not_sent') {
    // The provider never got this attempt: it is over, and the next one waits for the next sync (the provider may be down).
    await setAttempt('rejected', `not_sent: ${answer.error}`);
    await schedule(nextSyncAt(s.config.engine, now, payout.sync_count), true);
    return { status: payout.status, retry: false };
  }
  if (answer.status === 'not_found') {
    const attempt =
      attemptId === undefined
        ? undefined
        : await tx
            .selectFrom('payout_attempts')
            .select(['state', 'provider_status'])
            .where('id', '=', attemptId)
            .executeTakeFirst();
    // Only an attempt never confirmed may be given up, and only when the provider says
    // so twice (one sync interval apart): a status lagging behind a create must not pay twice.
    const confirmed = attempt?.state === 'pending' && attempt.provider_status === 'not_found';
    if (attempt?.state === 'accepted')
      s.log.error({ payoutId, source }, 'provider no longer knows a payout it accepted; still asking');
    if (!confirmed || (payout.status !== 'created' && payout.status !== 'processing')) {
      if (attempt?.state === 'pending')
        await tx
          .updateTable('payout_attempts')
          .set({ provider_status: 'not_found', updated_at: now })
          .where('id', '=', attemptId!)
          .execute();
      await schedule(nextSyncAt(s.config.engine, now, payout.sync_count), true);
      return { status: payout.status, retry: false };
    }
    await setAttempt('rejected', 'not_found');
    await schedule(now, false);
    return { status: payout.status, retry: true };
  }

  const target: PayoutStatus = answer.status;
  const code = answer.status === 'failed' ? answer.code : answer.status === 'cancelled' ? (answer.code ?? null) : null;
  await setAttempt(answer.status === 'failed' || answer.status === 'cancelled' ? 'rejected' : 'accepted', code);
  const providerRef = answer.providerRef ?? payout.provider_ref;

  let status = payout.status;
  if (status !== target) {
    const steps = pathTo(status, target);
    // A late `processing` after the outcome is old news; a contradicting final one is not.
    if (steps.length === 0 && target !== 'processing') {
      s.log.error(
        { payoutId, ours: status, provider: target, source },
        'provider reports a status we cannot move to; left for review',
      );
    }
    for (const step of steps) {
      const reason = step === target && code ? code : `${source}:${answer.status}`;
      const r = await transition(tx, payoutId, step, { reason, at: now, set: { provider_ref: providerRef } });
      if (!r.moved) break;
      status = step;
    }
  } else if (providerRef !== payout.provider_ref) {
    await tx.updateTable('payouts').set({ provider_ref: providerRef }).where('id', '=', payoutId).execute();
  }
  // Final: no more polling (a refund after success arrives by callback).
  const final = FINAL_STATUSES.has(status);
  await schedule(final ? null : nextSyncAt(s.config.engine, now, payout.sync_count), !final);
  return { status, retry: false };
}
