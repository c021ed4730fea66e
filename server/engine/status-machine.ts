// The payout status machine. Every change is one guarded UPDATE (… WHERE status = from)
// inside a transaction, with a history row: a second or concurrent change from the
// same state finds nothing to update and is refused. Every change also writes its
// `payout.status_changed` webhook into the outbox in that same transaction.
import type { PayoutStatus } from '../../src/contract/status.ts';
import type { Db, Tx } from '../db/index.ts';
import { prepared } from '../db/prepared.ts';
import { enqueueStatusChanged } from '../webhooks/payload.ts';
import { saveDestination } from '../merchants/destinations.ts';

export const NEXT: Record<PayoutStatus, readonly PayoutStatus[]> = {
  uploaded: ['created', 'cancelled'],
  created: ['processing', 'failed', 'cancelled'],
  processing: ['success', 'failed', 'cancelled'],
  success: ['refunded'],
  failed: [],
  cancelled: [],
  refunded: [],
};

/**
 * An operator's correction of a final status that a provider contradicted afterwards
 * (paid after we said failed, failed after we said paid): never made by the engine itself.
 */
const CORRECTIONS: Partial<Record<PayoutStatus, readonly PayoutStatus[]>> = {
  failed: ['success'],
  cancelled: ['success'],
  success: ['failed'],
};

export function canMove(from: PayoutStatus, to: PayoutStatus): boolean {
  return NEXT[from].includes(to);
}

export function canCorrect(from: PayoutStatus, to: PayoutStatus): boolean {
  return CORRECTIONS[from]?.includes(to) ?? false;
}

/**
 * The shortest walk of legal steps from `from` to `to` (created → processing → success),
 * so history and webhooks show every step; [] when `to` cannot be reached. Provider
 * answers never move a payout out of `uploaded`: only the recipient's details do.
 */
export function pathTo(from: PayoutStatus, to: PayoutStatus): readonly PayoutStatus[] {
  return WAYS.get(`${from}>${to}`) ?? [];
}

const WAYS: ReadonlyMap<string, readonly PayoutStatus[]> = (() => {
  const ways = new Map<string, readonly PayoutStatus[]>();
  for (const from of Object.keys(NEXT) as PayoutStatus[]) {
    if (from === 'uploaded') continue;
    // Breadth first: the first walk that reaches a status is its shortest.
    const queue: Array<readonly PayoutStatus[]> = [[]];
    for (let walk = queue.shift(); walk; walk = queue.shift()) {
      const at: PayoutStatus = walk.at(-1) ?? from;
      for (const next of NEXT[at]) {
        const key = `${from}>${next}`;
        if (next === from || ways.has(key)) continue;
        ways.set(key, [...walk, next]);
        queue.push([...walk, next]);
      }
    }
  }
  return ways;
})();

export interface TransitionResult {
  moved: boolean;
  from: PayoutStatus;
}

/**
 * Moves a payout to `to` when its current status allows it (or, with `correction`, when
 * an operator may correct it so). Returns moved=false (and changes nothing) when it does
 * not, or no longer does.
 */
export async function transition(
  tx: Tx,
  payoutId: number,
  to: PayoutStatus,
  opts: { reason?: string | null; at: number; set?: Record<string, unknown>; correction?: boolean },
): Promise<TransitionResult> {
  const [row] = await statusOf(tx, payoutId);
  if (!row) throw new Error(`no payout ${payoutId}`);
  const from = row.status;
  if (!(opts.correction ? canCorrect(from, to) : canMove(from, to))) return { moved: false, from };
  const r = await tx
    .updateTable('payouts')
    .set({ ...(opts.set ?? {}), status: to, status_reason: opts.reason ?? null, updated_at: opts.at })
    .where('id', '=', payoutId)
    .where('status', '=', from)
    .executeTakeFirst();
  if (r.numUpdatedRows === 0n) return { moved: false, from };
  await insertHistory(tx, payoutId, from, to, opts.reason ?? null, opts.at);
  // Before the webhook, so a success carries the destination token.
  if (to === 'success') await saveDestination(tx, payoutId, opts.at);
  await enqueueStatusChanged(tx, payoutId, to, opts.at);
  return { moved: true, from };
}

// Every status change runs these: built once (db/prepared.ts).
const statusOf = prepared((db: Db, payoutId: number) =>
  db.selectFrom('payouts').select('status').where('id', '=', payoutId),
);
const insertHistory = prepared(
  (db: Db, payoutId: number, from: PayoutStatus, to: PayoutStatus, reason: string | null, at: number) =>
    db.insertInto('payout_history').values({ payout_id: payoutId, from_status: from, to_status: to, reason, at }),
);
