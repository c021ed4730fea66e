// performPayout: a card payout registered and submitted in one call, with the card
// number from the merchant's request. The number is tokenized before anything else;
// one payout per (merchant, orderNumber): a repeat answers the current state and is
// never submitted again.
import type { Merchant } from '../merchants/store.ts';
import { findRoute } from '../merchants/settings.ts';
import type { Services } from '../services.ts';
import { requestHash, newOrderId } from './ids.ts';
import { findByOrderNumber, getPayoutById, isOrderNumberTaken, type PayoutRow } from './payouts.ts';
import { cardColumns, savedCardColumns } from './details.ts';
import { findDestination } from '../merchants/destinations.ts';
import { advance } from './submit.ts';

export type DirectPayoutInput = {
  orderNumber: string;
  amount: number;
  description: string;
  /** The recipient's full name, validated like the page's field; given to a provider that needs it. */
  fullName?: string;
  /** The merchant's id for the recipient: the card is kept for it once paid (saved destinations). */
  recipientRef?: string;
} & (
  | {
      /** Digits only, Luhn-valid (validated by the caller). */
      pan: string;
    }
  | {
      /** A saved destination of this merchant (server/merchants/destinations.ts). */
      destinationToken: string;
    }
);

/** Why a direct payout is refused; the API turns each into its error code. */
export type DirectPayoutRefusal =
  | 'not_enabled'
  | 'provider_unavailable'
  | 'needs_provider_page'
  | 'needs_full_name'
  | 'amount_out_of_range'
  | 'unknown_destination'
  | 'revoked_destination';

export type DirectPayoutResult =
  | { ok: true; payout: PayoutRow; repeat: boolean }
  | { ok: false; reason: 'conflict'; message: string; payout: PayoutRow }
  | { ok: false; reason: DirectPayoutRefusal; message: string };

/** How long the request waits for the provider's first answer before replying with the current state. */
const ANSWER_WAIT_MS = 15_000;

export async function performDirectPayout(
  s: Services,
  merchant: Merchant,
  input: DirectPayoutInput,
): Promise<DirectPayoutResult> {
  const refuse = (reason: DirectPayoutRefusal, message: string): DirectPayoutResult => ({ ok: false, reason, message });
  const saved = 'destinationToken' in input ? await findDestination(s.db, merchant.id, input.destinationToken) : null;
  if (saved === undefined) return refuse('unknown_destination', 'target.token is not a destination of this merchant');
  // The same card by number or by token is the same request.
  const card = saved ? savedCardColumns(saved) : await cardColumns(s, (input as { pan: string }).pan);
  const hash = requestHash({
    origin: 'direct',
    orderNumber: input.orderNumber,
    amount: input.amount,
    description: input.description,
    card: card.card_fingerprint,
    fullName: input.fullName,
    recipientRef: input.recipientRef,
  });
  const repeatOrConflict = (payout: PayoutRow): DirectPayoutResult =>
    payout.request_hash === hash
      ? { ok: true, payout, repeat: true }
      : {
          ok: false,
          reason: 'conflict',
          message: `orderNumber ${input.orderNumber} is already used by a different payout`,
          payout,
        };
  const existing = await findByOrderNumber(s, merchant.id, input.orderNumber);
  if (existing) return repeatOrConflict(existing);
  if (saved?.revoked_at != null) return refuse('revoked_destination', 'target.token was revoked');

  const route = findRoute(merchant.settings, 'card');
  if (!route) return refuse('not_enabled', 'card payouts are not enabled for this merchant');
  const adapter = s.providers.get(route.provider);
  if (!adapter || !adapter.capabilities.methods.includes('card')) {
    s.log.error(
      { merchantId: merchant.id, provider: route.provider },
      'card route names a provider instance that is not configured for cards',
    );
    return refuse('provider_unavailable', 'card payouts are not available for this merchant now');
  }
  const caps = adapter.capabilities;
  if (caps.handoff)
    return refuse(
      'needs_provider_page',
      "this merchant's card provider collects the details on its own page: use createPayout",
    );
  const needsName = (caps.requiredFields.card ?? []).includes('fullName');
  if (needsName && !input.fullName) {
    return refuse(
      'needs_full_name',
      "this merchant's card provider needs the recipient's full name: send target.fullName, or use createPayout",
    );
  }
  if (input.amount < caps.minAmount || input.amount > caps.maxAmount) {
    return refuse(
      'amount_out_of_range',
      `amount must be between ${caps.minAmount} and ${caps.maxAmount} kopecks for this merchant's card provider`,
    );
  }

  const now = s.clock.now();
  let payoutId: number;
  try {
    payoutId = await s.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('payouts')
        .values({
          order_id: newOrderId(),
          merchant_id: merchant.id,
          order_number: input.orderNumber,
          request_hash: hash,
          origin: 'direct',
          amount: input.amount,
          currency: 'RUB',
          description: input.description,
          type: 'card',
          channel: route.channel,
          session_timeout_secs: 0,
          expires_at: now,
          status: 'created',
          destination_type: 'card',
          provider: route.provider,
          recipient_name: needsName ? input.fullName : null,
          ...card,
          destination_token: saved?.token ?? null,
          recipient_ref: input.recipientRef ?? null,
          created_at: now,
          updated_at: now,
          // This request submits it next: the status sync, the net for a crash before that,
          // comes back only as late as it would for a holder's lapsed lease (it could otherwise
          // see the row in the same SQLite group and submit it first, as its own request).
          next_sync_at: now + s.config.engine.leaseMs,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('payout_history')
        .values({ payout_id: row.id, from_status: null, to_status: 'created', reason: 'perform_payout', at: now })
        .execute();
      return row.id;
    });
  } catch (err) {
    // A concurrent request with the same orderNumber won the insert.
    if (isOrderNumberTaken(err)) return repeatOrConflict((await findByOrderNumber(s, merchant.id, input.orderNumber))!);
    throw err;
  }

  let timer: NodeJS.Timeout | undefined;
  let waiting = true;
  await Promise.race([
    firstAnswer(s, payoutId, () => waiting),
    new Promise<void>((r) => (timer = setTimeout(r, ANSWER_WAIT_MS))),
  ]);
  waiting = false;
  clearTimeout(timer);
  return { ok: true, payout: (await getPayoutById(s, payoutId))!, repeat: false };
}

/**
 * Submits the payout here, or, when the status sync (of this instance or another) claimed
 * it first, waits while that one holds it still `created`, for the provider's answer.
 */
async function firstAnswer(s: Services, payoutId: number, waiting: () => boolean): Promise<void> {
  await advance(s, payoutId);
  // On PostgreSQL our claim skips a row the sync is claiming in a transaction not yet
  // committed, and a read then shows it free: one more claim sees the sync's lease, or takes it.
  const first = await getPayoutById(s, payoutId);
  if (first?.status === 'created' && first.lease_owner === null) await advance(s, payoutId);
  for (;;) {
    const p = await getPayoutById(s, payoutId);
    if (!waiting() || p?.status !== 'created' || p.lease_owner === null) return;
    await new Promise((r) => setTimeout(r, Math.min(50, s.config.engine.tickMs)));
  }
}
