// Saved destinations: a card a merchant's recipient was paid to, kept in the vault and
// named by an opaque token of that merchant, so the next payout needs no card number.
import { sql, type Kysely } from 'kysely';
import { BIG } from './kit.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('destinations')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    // The merchant's own id for the recipient (createPayout's recipient.id), when it gave one.
    .addColumn('recipient_ref', 'text')
    .addColumn('card_token', 'text', (c) => c.notNull())
    .addColumn('card_fingerprint', 'text', (c) => c.notNull())
    .addColumn('masked_pan', 'text', (c) => c.notNull())
    .addColumn('card_bin', 'text', (c) => c.notNull())
    .addColumn('card_last4', 'text', (c) => c.notNull())
    .addColumn('card_brand', 'text')
    .addColumn('created_at', BIG, (c) => c.notNull())
    .addColumn('last_used_at', BIG, (c) => c.notNull())
    .addColumn('revoked_at', BIG)
    .execute();
  // One live token per card of a merchant; a revoked one stays, refused.
  await sql`create unique index destinations_live on destinations (merchant_id, card_fingerprint) where revoked_at is null`.execute(
    db,
  );
  await db.schema
    .createIndex('destinations_recipient')
    .on('destinations')
    .columns(['merchant_id', 'recipient_ref'])
    .execute();
  await db.schema.alterTable('payouts').addColumn('recipient_ref', 'text').execute();
  // The saved destination this payout was sent to (given, or saved at its success).
  await db.schema.alterTable('payouts').addColumn('destination_token', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
