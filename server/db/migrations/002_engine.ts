// The payout engine: the card/phone vault, submission attempts (exactly-once), status
// sync scheduling, and the transactional webhook outbox with its delivery log.
import { sql, type Kysely } from 'kysely';
import { BIG, withId } from './kit.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('vault_items')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('pan', 'phone')`))
    .addColumn('sealed', 'text', (c) => c.notNull()) // keyId:base64(iv|tag|ciphertext), AAD bound to the token
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull()) // keyed HMAC, for de-duplication
    .addColumn('created_at', BIG, (c) => c.notNull())
    .addUniqueConstraint('vault_items_kind_fingerprint', ['kind', 'fingerprint'])
    .execute();

  await withId(db, db.schema.createTable('payout_attempts'))
    .addColumn('payout_id', BIG, (c) => c.notNull().references('payouts.id'))
    .addColumn('attempt_no', 'integer', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('provider', 'text', (c) => c.notNull())
    // pending: written before the call, outcome not known; accepted: the provider has it;
    // rejected: confirmed failed or never received (only then may a next attempt start).
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'accepted', 'rejected')`))
    .addColumn('provider_status', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', BIG, (c) => c.notNull())
    .addColumn('updated_at', BIG, (c) => c.notNull())
    .addUniqueConstraint('payout_attempts_no', ['payout_id', 'attempt_no'])
    .execute();
  // At most one live attempt per payout, whatever the code does.
  await sql`create unique index payout_attempts_live on payout_attempts (payout_id) where state != 'rejected'`.execute(
    db,
  );

  await db.schema.alterTable('payouts').addColumn('next_sync_at', BIG).execute();
  await db.schema
    .alterTable('payouts')
    .addColumn('sync_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // When we asked the provider to withdraw a payout whose session ended (asked once).
  await db.schema.alterTable('payouts').addColumn('withdraw_requested_at', BIG).execute();
  await db.schema.createIndex('payouts_sync').on('payouts').columns(['status', 'next_sync_at']).execute();

  await withId(db, db.schema.createTable('webhook_events'))
    .addColumn('event_id', 'text', (c) => c.notNull().unique())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('payout_id', BIG, (c) => c.notNull().references('payouts.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull()) // the exact minified JSON body sent
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'delivered', 'failed', 'skipped')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', BIG, (c) => c.notNull())
    .addColumn('last_http_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', BIG, (c) => c.notNull())
    .addColumn('delivered_at', BIG)
    .execute();
  await db.schema
    .createIndex('webhook_events_due')
    .on('webhook_events')
    .columns(['state', 'next_attempt_at'])
    .execute();
  await db.schema.createIndex('webhook_events_payout').on('webhook_events').columns(['payout_id', 'id']).execute();

  await withId(db, db.schema.createTable('webhook_attempts'))
    .addColumn('event_row_id', BIG, (c) => c.notNull().references('webhook_events.id'))
    .addColumn('attempt_no', 'integer', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('at', BIG, (c) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_attempts_event').on('webhook_attempts').column('event_row_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
