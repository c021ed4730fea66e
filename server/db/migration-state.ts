// Whether the database's schema is the one this version of the service was written for:
// nothing pending, and nothing applied that this version does not know (a newer version
// migrated it). The service migrates at start; a readiness probe asks again.
import { DEFAULT_MIGRATION_TABLE, Migrator, sql } from 'kysely';
import type { Db } from './index.ts';
import { migrations } from './migrations/index.ts';

export type MigrationState = { ok: true } | { ok: false; reason: string };

export async function migrationState(db: Db): Promise<MigrationState> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const pending = (await migrator.getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
  if (pending.length) return { ok: false, reason: `migrations not applied: ${pending.join(', ')}` };
  const applied = await sql<{ name: string }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(db);
  const unknown = applied.rows.map((r) => r.name).filter((name) => !(name in migrations));
  if (unknown.length) {
    return { ok: false, reason: `the database has migrations this version does not know: ${unknown.join(', ')}` };
  }
  return { ok: true };
}
