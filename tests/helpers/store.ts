// Which store the tests run on: SQLite files in temp data directories (the default), or
// with PAYEE_TEST_STORE=postgres a fresh PostgreSQL database per data directory, created
// on first use and dropped when the test process exits. Services, child processes and
// command-line tools all get it through DATABASE_URL, so tests read the same either way.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import pg from 'pg';
import { openDb, type Db } from '../../server/db/index.ts';

export const TEST_STORE: 'sqlite' | 'postgres' = process.env.PAYEE_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** The server the test databases are made on (trust auth, as CI's local PostgreSQL). */
const ADMIN_URL = process.env.PAYEE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Every test database's name starts so: easy to tell apart, and to clean up. */
export const TEST_DB_PREFIX = 'payee_test_';

const urls = new Map<string, Promise<string>>();
const created: string[] = [];

/** A new, empty PostgreSQL database; dropped when this process exits. */
export async function createTestDatabase(): Promise<string> {
  const name = `${TEST_DB_PREFIX}${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  if (created.push(name) === 1) process.once('exit', dropCreated);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The environment that puts a data directory's service (or tool) on the store under test. */
export async function storeEnv(dataDir: string): Promise<Record<string, string>> {
  if (TEST_STORE === 'sqlite') return {};
  let url = urls.get(dataDir);
  if (!url) urls.set(dataDir, (url = createTestDatabase()));
  return { DATABASE_URL: await url };
}

/** The database of a data directory's service, opened beside it (the service may be running). */
export async function openTestDb(dataDir: string): Promise<Db> {
  return openDb({ dataDir, databaseUrl: (await storeEnv(dataDir)).DATABASE_URL });
}

/** At exit nothing async runs: psql drops them, closing what still holds them. */
function dropCreated(): void {
  for (const name of created) {
    spawnSync('psql', [ADMIN_URL, '-q', '-c', `drop database if exists ${name} with (force)`], { stdio: 'ignore' });
  }
}

/**
 * What the store keeps at rest for a data directory, to scan for secrets: the files in
 * it (on SQLite the database and its WAL among them) and, on PostgreSQL, a full dump of
 * the directory's database.
 */
export async function storedBytes(dataDir: string): Promise<Array<{ file: string; bytes: Buffer }>> {
  const stored = readdirSync(dataDir)
    .map((name) => join(dataDir, name))
    .filter((file) => statSync(file).isFile())
    // Read by another process: closing a descriptor of a database file in this one would drop
    // the POSIX locks of a service running in this process, and SQLite would lose track of its WAL.
    .map((file) => ({ file: basename(file), bytes: execFileSync('cat', [file], { maxBuffer: 256 << 20 }) }));
  const url = (await storeEnv(dataDir)).DATABASE_URL;
  if (url) stored.push({ file: DUMP, bytes: execFileSync('pg_dump', [url], { maxBuffer: 256 << 20 }) });
  return stored;
}

/** The name storedBytes gives the PostgreSQL dump. */
export const DUMP = 'pg_dump of the database';
/** The file storedBytes must find for a scan to mean anything: the live database. */
export const DATABASE_AT_REST = TEST_STORE === 'postgres' ? DUMP : 'payee.sqlite';
