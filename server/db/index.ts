// One async data layer over Kysely. SQLite (better-sqlite3, WAL, synchronous=FULL) is
// the embedded default, one process per data directory; DATABASE_URL=postgres://…
// selects PostgreSQL (over `pg`) for any number of instances. Callers see only Kysely
// and never learn which store they are on.
import { secureDataDir } from './files.ts';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  type Compilable,
  type CompiledQuery,
  type Transaction,
} from 'kysely';
import type { Database } from './schema.ts';
import { migrations } from './migrations/index.ts';

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
  const db = where.databaseUrl ? openPostgres(where.databaseUrl) : openSqlite(where.dataDir);
  try {
    await migrate(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

function openSqlite(dataDir: string): Db {
  secureDataDir(dataDir);
  const sqlite = new SQLite(dbFilePath(dataDir));
  sqlite.pragma('journal_mode = WAL');
  // SQLite creates its files with the process umask: the database, WAL and shm become owner-only.
  secureDataDir(dataDir);
  // Money: a commit is on disk before we answer.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const readOnly = new SQLite(dbFilePath(dataDir));
  readOnly.pragma('query_only = ON');
  readOnly.pragma('busy_timeout = 5000');
  const reader = withStatementCache(readOnly);
  const writer = withStatementCache(sqlite);
  const close = () => (reader.close(), writer.close());
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: { ...writer, close } }) });
  readers.set(db, (sql, params) => reader.prepare(sql).all(params));
  return db;
}

/**
 * On SQLite, precompiled reads run on a connection of their own, straight: Kysely's single
 * connection is queued behind each transaction in turn, and its machinery costs more than the
 * read. They see what is committed (WAL), as another process or a PostgreSQL pool would.
 */
const readers = new WeakMap<Db, (sql: string, params: readonly unknown[]) => unknown[]>();

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

/**
 * A query built and compiled once per database, then run with new parameters: for the reads
 * of every page answer, where building and compiling a query costs more than running it.
 * `build` is called once with `placeholders`, which must come out as the query's parameters
 * in the same order (checked), so that each run's `params` take their places.
 */
export function precompiled<P extends unknown[], R>(build: (db: Db, ...params: P) => Compilable<R>, placeholders: P) {
  const queries = new WeakMap<Db, CompiledQuery<R>>();
  return async (db: Db, ...params: P): Promise<R[]> => {
    let query = queries.get(db);
    if (!query) {
      query = build(db, ...placeholders).compile();
      const made = query.parameters;
      if (made.length !== placeholders.length || made.some((p, i) => p !== placeholders[i]))
        throw new Error(`a precompiled query's parameters are not its placeholders: ${query.sql}`);
      queries.set(db, query);
    }
    const read = readers.get(db);
    if (read) return read(query.sql, params) as R[];
    return (await db.executeQuery<R>({ ...query, parameters: params })).rows;
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
