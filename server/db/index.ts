// One async data layer over Kysely. SQLite (better-sqlite3, WAL, synchronous=FULL)
// is the embedded default; callers see only Kysely, so a PostgreSQL dialect can be
// added here without touching them.
import { secureDataDir } from './files.ts';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { migrations } from './migrations/index.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type { Database };

export function dbFilePath(dataDir: string): string {
  return join(dataDir, 'payee.sqlite');
}

export async function openDb(dataDir: string): Promise<Db> {
  secureDataDir(dataDir);
  const sqlite = new SQLite(dbFilePath(dataDir));
  sqlite.pragma('journal_mode = WAL');
  // SQLite creates its files with the process umask: the database, WAL and shm become owner-only.
  secureDataDir(dataDir);
  // Money: a commit is on disk before we answer.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  await migrate(db);
  return db;
}

/** Kysely prepares every query anew; reusing prepared statements saves that work on every request. */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        if (cache.size >= 500) cache.clear();
        statement = sqlite.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? error}`);
  }
}
