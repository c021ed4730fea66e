// Rate-limit token buckets in the database, shared by instances on one PostgreSQL database
// (server/limits/db-store.ts).
import type { Kysely } from 'kysely';
import { BIG, isSqlite } from './kit.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('limit_buckets')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('tokens', isSqlite(db) ? 'real' : 'double precision', (c) => c.notNull())
    .addColumn('at', BIG, (c) => c.notNull())
    // 1 when the last take was allowed.
    .addColumn('taken', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('limit_buckets_at').on('limit_buckets').column('at').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
