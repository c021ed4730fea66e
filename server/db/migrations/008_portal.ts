// The merchant portal: several named API tokens per merchant (with last use), a webhook
// secret that rotates with overlap, portal users
// with server-side sessions, failed-login backoff, and an audit log of setting changes.
import { sql, type Kysely } from 'kysely';
import { BIG, withId } from './kit.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', BIG, (c) => c.notNull())
    .addColumn('last_used_at', BIG)
    .addColumn('revoked_at', BIG)
    .execute();
  await db.schema.createIndex('api_tokens_merchant').on('api_tokens').columns(['merchant_id', 'created_at']).execute();
  // Every merchant's one token so far becomes its first named token.
  await sql`insert into api_tokens (id, merchant_id, name, token_hash, created_at)
    select 'tok_' || id, id, 'default', token_hash, created_at from merchants`.execute(db);

  // A rotated webhook secret keeps signing (beside the new one) until previous_secret_until.
  await db.schema.alterTable('merchants').addColumn('previous_webhook_secret', 'text').execute(); // sealed
  await db.schema.alterTable('merchants').addColumn('previous_secret_until', BIG).execute();

  await db.schema
    .createTable('portal_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Null: a user not linked to any merchant (the API answers NO_COMPANY).
    .addColumn('merchant_id', 'text', (c) => c.references('merchants.id'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'admin', 'viewer')`))
    .addColumn('created_at', BIG, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('portal_sessions')
    // SHA-256 of the cookie's value: a copy of the table logs nobody in.
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('portal_users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', BIG, (c) => c.notNull())
    .addColumn('last_seen_at', BIG, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portal_sessions_user').on('portal_sessions').column('user_id').execute();

  // Failed logins per email (known or not), for the backoff.
  await db.schema
    .createTable('portal_login_failures')
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('blocked_until', BIG, (c) => c.notNull())
    .execute();

  // A CSV of payouts: every row validated before the batch exists, then created in the background.
  await db.schema
    .createTable('payout_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('created_at', BIG, (c) => c.notNull())
    .addColumn('finished_at', BIG)
    .execute();
  await db.schema
    .createTable('payout_batch_rows')
    .addColumn('batch_id', 'text', (c) => c.notNull().references('payout_batches.id'))
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('order_number', 'text', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull()) // JSON: the createPayout body of the row
    .addColumn('order_id', 'text') // set once its payout exists
    .addColumn('error', 'text') // why its payout could not be created
    .addPrimaryKeyConstraint('payout_batch_rows_pk', ['batch_id', 'row_no'])
    .execute();

  await withId(db, db.schema.createTable('portal_audit'))
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull()) // JSON: what changed, never a secret
    .addColumn('at', BIG, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portal_audit_merchant').on('portal_audit').columns(['merchant_id', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
