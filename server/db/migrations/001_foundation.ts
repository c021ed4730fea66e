import { sql, type Kysely } from 'kysely';
import { BIG, withId } from './kit.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('merchants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('webhook_secret', 'text') // sealed (AES-GCM), never in clear
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', BIG, (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('payouts'))
    .addColumn('order_id', 'text', (c) => c.notNull().unique())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('order_number', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull().check(sql`origin in ('link', 'direct')`))
    .addColumn('amount', BIG, (c) => c.notNull().check(sql`amount > 0 and amount <= 999999999999`))
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('RUB'))
    .addColumn('description', 'text')
    .addColumn('type', 'text', (c) => c.check(sql`type in ('card', 'sbp')`))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('return_url', 'text')
    .addColumn('fail_url', 'text')
    .addColumn('session_timeout_secs', 'integer', (c) => c.notNull())
    .addColumn('expires_at', BIG, (c) => c.notNull())
    .addColumn('link_token_hash', 'text', (c) => c.unique())
    .addColumn('link_token', 'text') // sealed, so a repeated createPayout can answer the same URL
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('destination_type', 'text', (c) => c.check(sql`destination_type in ('card', 'sbp')`))
    .addColumn('provider', 'text')
    .addColumn('provider_ref', 'text')
    .addColumn('card_token', 'text')
    .addColumn('masked_pan', 'text')
    .addColumn('card_bin', 'text')
    .addColumn('card_last4', 'text')
    .addColumn('card_brand', 'text')
    .addColumn('card_fingerprint', 'text')
    .addColumn('phone_token', 'text')
    .addColumn('masked_phone', 'text')
    .addColumn('bank_id', 'text')
    .addColumn('recipient_name', 'text')
    .addColumn('created_at', BIG, (c) => c.notNull())
    .addColumn('updated_at', BIG, (c) => c.notNull())
    .addUniqueConstraint('payouts_merchant_order', ['merchant_id', 'order_number'])
    .execute();
  await db.schema.createIndex('payouts_status_expires').on('payouts').columns(['status', 'expires_at']).execute();

  await withId(db, db.schema.createTable('payout_history'))
    .addColumn('payout_id', BIG, (c) => c.notNull().references('payouts.id'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', BIG, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payout_history_payout').on('payout_history').column('payout_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
