// A payout from a link is bounded by its session: when the session ends while the
// payout is still with a provider that can withdraw it (the P2P gateway's
// rejected_pay_out, Bank 131's session/cancel), we ask the provider once to withdraw
// it. Nothing changes here: the provider's answer (cancelled, or the result if the
// payout won the race) arrives by callback or status sync like any other; a refusal to
// withdraw goes to the review list, since the payout may still be paid. Payouts
// from performPayout have no session and are never withdrawn.
import type { Services } from '../services.ts';
import type { CancelResult } from '../providers/types.ts';
import { openReview } from './review.ts';

const BATCH = 100;

/** True when a full batch was due (there may be more). */
export async function withdrawOverdue(s: Services): Promise<boolean> {
  const now = s.clock.now();
  const due = await s.db
    .selectFrom('payouts as p')
    .innerJoin('payout_attempts as a', (j) => j.onRef('a.payout_id', '=', 'p.id').on('a.state', '!=', 'rejected'))
    .select(['p.id', 'p.order_id', 'p.provider', 'p.provider_ref', 'a.idempotency_key'])
    .where('p.origin', '=', 'link')
    .where('p.status', 'in', ['created', 'processing'])
    .where('p.expires_at', '<=', now)
    .where('p.withdraw_requested_at', 'is', null)
    .limit(BATCH)
    .execute();
  for (const p of due) {
    // Recorded first: a crash during the call must not make us ask again and again. Only
    // where still unrecorded: of several instances, the one that records it asks.
    const mine = await s.db
      .updateTable('payouts')
      .set({ withdraw_requested_at: now })
      .where('id', '=', p.id)
      .where('withdraw_requested_at', 'is', null)
      .executeTakeFirst();
    if (mine.numUpdatedRows === 0n) continue;
    const adapter = p.provider ? s.providers.get(p.provider) : undefined;
    if (!adapter?.cancel) continue;
    const result = await adapter
      .cancel({ orderId: p.order_id, idempotencyKey: p.idempotency_key, providerRef: p.provider_ref })
      .catch((err: Error): CancelResult => ({ ok: false, reason: 'unknown', message: err.message }));
    const log = { orderId: p.order_id, provider: adapter.instance };
    if (result.ok) s.log.info(log, 'session ended: asked the provider to withdraw the payout');
    else if (result.reason === 'unknown')
      s.log.warn({ ...log, error: result.message }, 'withdrawing the payout: no answer');
    else {
      // The provider keeps it (it may pay it yet): an operator sees it, the status sync goes on.
      await s.db
        .transaction()
        .execute((tx) =>
          openReview(s, tx, p.id, 'withdraw_refused', { provider: adapter.instance, answer: result.message }, now),
        );
    }
    // Ask where it stands now rather than at the next backoff step.
    await s.db.updateTable('payouts').set({ next_sync_at: s.clock.now() }).where('id', '=', p.id).execute();
  }
  return due.length === BATCH;
}
