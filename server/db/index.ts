// One async data layer over Kysely. SQLite (better-sqlite3, WAL, synchronous=FULL, with
// concurrent requests sharing one commit: group-commit.ts) is the embedded default, one
// process per data directory; DATABASE_URL=postgres://…
// selects PostgreSQL (over `pg`) for any number of instances. Callers see only Kysely
// and never learn which store they are on.
import { secureDataDir } from './files.ts';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { migrations } from './migrations/index.ts';
import { GroupCommitDialect } from './group-commit.ts';
import { readCommittedWith } from './prepared.ts';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type { Database };

/** Where the data lives: a PostgreSQL URL when given, else the SQLite file in dataDir. */
export interface DbLocation {
  dataDir: string;
  databaseUrl?: string;
}

export function dbFilePath(dataDir: string): string {
  return join(dataDir, 'payee.sqlite');
}

export async function openDb(where: DbLocation): Promise<Db> {
  // On PostgreSQL too: the data directory may hold development keys and the demo token.
  if (where.databaseUrl) secureDataDir(where.dataDir);
  if (!where.databaseUrl) return openSqlite(where.dataDir);
  const db = openPostgres(where.databaseUrl);
  await migrateOrDestroy(db);
  return db;
}

async function migrateOrDestroy(db: Db): Promise<void> {
  try {
    await migrate(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

async function openSqlite(dataDir: string): Promise<Db> {
  secureDataDir(dataDir);
  const sqlite = new SQLite(dbFilePath(dataDir));
  sqlite.pragma('journal_mode = WAL');
  // SQLite creates its files with the process umask: the database, WAL and shm become owner-only.
  secureDataDir(dataDir);
  // Money: a commit is on disk before we answer.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const statements = withStatementCache(sqlite);
  // Migrations run on the plain dialect, each committed on its own before the service
  // starts; then the same handle serves with group commit.
  const plain = new Kysely<Database>({
    dialect: new SqliteDialect({ database: { prepare: statements.prepare, close() {} } }),
  });
  try {
    await migrate(plain);
  } catch (err) {
    sqlite.close();
    throw err;
  } finally {
    await plain.destroy();
  }
  // Page reads go straight to a read-only connection of their own (db/prepared.ts, committedRead).
  const readOnly = new SQLite(dbFilePath(dataDir));
  readOnly.pragma('query_only = ON');
  readOnly.pragma('busy_timeout = 5000');
  const closeWriter = statements.close;
  statements.close = () => (readOnly.close(), closeWriter());
  const db = new Kysely<Database>({ dialect: new GroupCommitDialect(statements) });
  readCommittedWith(db, rowsReader(readOnly));
  // Kysely starts a driver on first use and only closes one it started: start it now, so
  // that destroy() closes the file even when nothing ran.
  await sql`select 1`.execute(db);
  return db;
}

/** int8 (bigint, count(*)): amounts in kopecks and Unix milliseconds, far inside 2^53. */
const INT8 = 20;
const parseInt8 = (text: string) => {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`integer ${text} is beyond what a JavaScript number holds exactly`);
  return n;
};

function openPostgres(url: string): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server dropped must not crash the process: the pool replaces it.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Reads with statements kept by their SQL. Rows come as arrays and are named here: better-sqlite3
 * makes each row object property by property, a third of a page answer's read.
 */
function rowsReader(sqlite: SQLite.Database) {
  const cache = new Map<string, { statement: SQLite.Statement; names: string[] }>();
  return (sql: string, params: readonly unknown[]): unknown[] => {
    let kept = cache.get(sql);
    if (!kept) {
      if (cache.size >= 500) cache.clear();
      const statement = sqlite.prepare(sql).raw(true);
      kept = { statement, names: statement.columns().map((c) => c.name) };
      cache.set(sql, kept);
    }
    const { statement, names } = kept;
    return (statement.all(params) as unknown[][]).map((values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
      return row;
    });
  };
}

/** Kysely prepares every query anew; reusing prepared statements saves that work on every request. */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    exec: (sql: string) => sqlite.exec(sql),
    get inTransaction() {
      return sqlite.inTransaction;
    },
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

/** Kysely's migrator holds a lock meanwhile, so instances starting together migrate once. */
async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error)?.message ?? error}`);
  }
}
