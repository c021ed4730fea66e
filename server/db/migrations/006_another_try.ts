// Another try: when the provider definitely refuses the recipient's card or phone, a link
// payout waits (still `processing` for the merchant) for other details within its session,
// up to the merchant's number of tries. Each destination is a "try"; each submission of it
// to a provider stays an attempt of its own, with its own idempotency key.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Destinations the recipient gave so far (the one in use is the last).
  await db.schema
    .alterTable('payouts')
    .addColumn('tries', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // The refusal of the last destination while the link waits for other details (null: not waiting).
  await db.schema.alterTable('payouts').addColumn('declined_code', 'text').execute();
  await db.schema.alterTable('payouts').addColumn('declined_provider_code', 'text').execute();
  // Which destination an attempt sent: the attempts budget counts per destination.
  await db.schema
    .alterTable('payout_attempts')
    .addColumn('try_no', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
