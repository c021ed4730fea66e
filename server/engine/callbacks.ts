// What a provider's callback says, applied to our payout: found by the reference the
// adapter gives (our orderId, the attempt's idempotency key, or the provider's id),
// only among payouts routed to that provider instance.
import type { Services } from '../services.ts';
import type { CallbackResult, PayoutRef } from '../providers/types.ts';
import type { PayoutStatus } from '../../src/contract/status.ts';
import { applyAnswer } from './outcome.ts';
import type { PayoutRow } from './payouts.ts';

type Update = Extract<CallbackResult, { accepted: true }>['updates'][number];

export async function findPayoutByRef(
  s: Services,
  instance: string,
  ref: Partial<PayoutRef>,
): Promise<PayoutRow | undefined> {
  const q = s.db.selectFrom('payouts').selectAll().where('provider', '=', instance);
  if (ref.orderId) return q.where('order_id', '=', ref.orderId).executeTakeFirst();
  if (ref.idempotencyKey) {
    const a = await s.db
      .selectFrom('payout_attempts')
      .select('payout_id')
      .where('idempotency_key', '=', ref.idempotencyKey)
      .where('provider', '=', instance)
      .executeTakeFirst();
    return a && q.where('id', '=', a.payout_id).executeTakeFirst();
  }
  if (ref.providerRef) return q.where('provider_ref', '=', ref.providerRef).executeTakeFirst();
  return undefined;
}

export async function applyCallbackUpdate(
  s: Services,
  instance: string,
  update: Update,
): Promise<{ orderId: string; status: PayoutStatus } | undefined> {
  const payout = await findPayoutByRef(s, instance, update.ref);
  if (!payout) return undefined;
  const attempt = await s.db
    .selectFrom('payout_attempts')
    .select(['id', 'idempotency_key'])
    .where('payout_id', '=', payout.id)
    .$if(Boolean(update.ref.idempotencyKey), (q) => q.where('idempotency_key', '=', update.ref.idempotencyKey!))
    .$if(!update.ref.idempotencyKey, (q) => q.where('state', '!=', 'rejected'))
    .executeTakeFirst();
  const r = await s.db
    .transaction()
    .execute((tx) => applyAnswer(s, tx, payout.id, attempt?.id, update.outcome, 'callback'));
  return { orderId: payout.order_id, status: r.status };
}
