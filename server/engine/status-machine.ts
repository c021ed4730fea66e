// The payout status machine. Every change is one guarded UPDATE (… WHERE status = from)
// inside a transaction, with a history row: a second or concurrent change from the
// same state finds nothing to update and is refused. Every change also writes its
// `payout.status_changed` webhook into the outbox in that same transaction.
import type { PayoutStatus } from '../../src/contract/status.ts';
import type { Tx } from '../db/index.ts';
import { enqueueStatusChanged } from '../webhooks/payload.ts';

const NEXT: Record<PayoutStatus, readonly PayoutStatus[]> = {
  uploaded: ['created', 'cancelled'],
  created: ['processing', 'failed', 'cancelled'],
  processing: ['success', 'failed', 'cancelled'],
  success: ['refunded'],
  failed: [],
  cancelled: [],
  refunded: [],
};

export function canMove(from: PayoutStatus, to: PayoutStatus): boolean {
  return NEXT[from].includes(to);
}

export interface TransitionResult {
  moved: boolean;
  from: PayoutStatus;
}

/**
 * Moves a payout to `to` when its current status allows it. Returns moved=false (and
 * changes nothing) when it does not, or no longer does.
 */
export async function transition(
  tx: Tx,
  payoutId: number,
  to: PayoutStatus,
  opts: { reason?: string | null; at: number; set?: Record<string, unknown> },
): Promise<TransitionResult> {
  const row = await tx.selectFrom('payouts').select('status').where('id', '=', payoutId).executeTakeFirstOrThrow();
  const from = row.status;
  if (!canMove(from, to)) return { moved: false, from };
  const r = await tx
    .updateTable('payouts')
    .set({ ...(opts.set ?? {}), status: to, status_reason: opts.reason ?? null, updated_at: opts.at })
    .where('id', '=', payoutId)
    .where('status', '=', from)
    .executeTakeFirst();
  if (r.numUpdatedRows === 0n) return { moved: false, from };
  await tx
    .insertInto('payout_history')
    .values({ payout_id: payoutId, from_status: from, to_status: to, reason: opts.reason ?? null, at: opts.at })
    .execute();
  await enqueueStatusChanged(tx, payoutId, to, opts.at);
  return { moved: true, from };
}
