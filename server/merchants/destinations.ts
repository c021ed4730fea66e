// Saved destinations: after a card payout for a recipient the merchant named succeeds, its
// card (kept in the vault) is named by a destination token of that merchant. The merchant pays to it again with
// performPayout's target.token, and a returning recipient (same recipient id) is offered
// it on the page, so no one sends the card number again. A token is only ever looked up
// together with its merchant: another merchant's token is unknown. A revoked token stays,
// refused, and its card is no longer offered.
import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db, Tx } from '../db/index.ts';
import type { DestinationsTable } from '../db/schema.ts';

export type Destination = Selectable<DestinationsTable>;

/** `dst_` and 22 random base64url characters: guessing one is hopeless, and useless without the merchant's API token. */
export const DESTINATION_TOKEN = /^dst_[A-Za-z0-9_-]{22}$/;

export async function findDestination(
  db: Db | Tx,
  merchantId: string,
  token: string,
): Promise<Destination | undefined> {
  if (!DESTINATION_TOKEN.test(token)) return undefined;
  return db
    .selectFrom('destinations')
    .selectAll()
    .where('token', '=', token)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
}

/** The card to offer a returning recipient: the last one used, not revoked. */
export async function offeredDestination(
  db: Db,
  merchantId: string,
  recipientRef: string,
): Promise<Destination | undefined> {
  return db
    .selectFrom('destinations')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .where('recipient_ref', '=', recipientRef)
    .where('revoked_at', 'is', null)
    .orderBy('last_used_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function listDestinations(db: Db, merchantId: string): Promise<Destination[]> {
  return db
    .selectFrom('destinations')
    .selectAll()
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at')
    .execute();
}

/** False when the merchant has no such live token. */
export async function revokeDestination(db: Db, merchantId: string, token: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('destinations')
    .set({ revoked_at: now })
    .where('token', '=', token)
    .where('merchant_id', '=', merchantId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/**
 * At a card payout's success, inside its status change: the destination it went to is
 * marked used, or, when the merchant named the recipient (recipient.id: it asked for the
 * card to be kept), its card is saved as the merchant's destination (one live token per
 * card of a merchant) and the payout names the token. Without either, nothing is kept
 * beyond the vault's retention (engine/retention.ts).
 */
export async function saveDestination(tx: Tx, payoutId: number, now: number): Promise<void> {
  const p = await tx
    .selectFrom('payouts')
    .select([
      'merchant_id',
      'recipient_ref',
      'destination_type',
      'destination_token',
      'card_token',
      'card_fingerprint',
      'masked_pan',
      'card_bin',
      'card_last4',
      'card_brand',
    ])
    .where('id', '=', payoutId)
    .executeTakeFirstOrThrow();
  if (p.destination_type !== 'card' || !p.card_token || !p.card_fingerprint || !p.masked_pan) return;
  if (!p.destination_token && !p.recipient_ref) return;
  if (p.destination_token) {
    await tx.updateTable('destinations').set({ last_used_at: now }).where('token', '=', p.destination_token).execute();
    return;
  }
  const live = () =>
    tx
      .selectFrom('destinations')
      .select('token')
      .where('merchant_id', '=', p.merchant_id)
      .where('card_fingerprint', '=', p.card_fingerprint)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  let found = await live();
  if (!found) {
    // A concurrent success of the same card may win the insert: then its token is used.
    await tx
      .insertInto('destinations')
      .values({
        token: `dst_${randomBytes(16).toString('base64url')}`,
        merchant_id: p.merchant_id,
        recipient_ref: p.recipient_ref,
        card_token: p.card_token,
        card_fingerprint: p.card_fingerprint,
        masked_pan: p.masked_pan,
        card_bin: p.card_bin ?? '',
        card_last4: p.card_last4 ?? '',
        card_brand: p.card_brand,
        created_at: now,
        last_used_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    found = (await live())!;
  }
  await tx
    .updateTable('destinations')
    .set({ last_used_at: now, recipient_ref: p.recipient_ref })
    .where('token', '=', found.token)
    .execute();
  await tx.updateTable('payouts').set({ destination_token: found.token }).where('id', '=', payoutId).execute();
}
