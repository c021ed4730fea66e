// Several instances on one database: background work is claimed with expiring leases
// (an instance killed mid-work leaves a lease that runs out, and another takes over),
// and the built-in providers' own records live in the database beside the payouts.
import type { Kysely } from 'kysely';
import { BIG, withId } from './kit.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['payouts', 'webhook_events']) {
    // Who holds the row's background work, and until when (Unix ms).
    await db.schema.alterTable(table).addColumn('lease_owner', 'text').execute();
    await db.schema.alterTable(table).addColumn('lease_until', BIG).execute();
  }

  // Bank 131: what we sent per attempt, written before each request goes out.
  await db.schema
    .createTable('bank131_attempts')
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('at', BIG, (c) => c.notNull())
    .addPrimaryKeyConstraint('bank131_attempts_key', ['instance', 'idempotency_key'])
    .execute();
  await db.schema
    .createIndex('bank131_attempts_order')
    .on('bank131_attempts')
    .columns(['instance', 'order_id'])
    .execute();

  // The sandbox provider: every submit() call it got, and what it accepted.
  await withId(db, db.schema.createTable('sandbox_submissions'))
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('at', BIG, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sandbox_submissions_order')
    .on('sandbox_submissions')
    .columns(['instance', 'order_id'])
    .execute();
  await db.schema
    .createTable('sandbox_received')
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('behaviour', 'text', (c) => c.notNull())
    .addColumn('amount', BIG, (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('created_at', BIG, (c) => c.notNull())
    .addPrimaryKeyConstraint('sandbox_received_key', ['instance', 'idempotency_key'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
