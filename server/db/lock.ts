// SQLite serves one service process per data directory: a second one would race the
// first one's background work (and SQLite's single writer). The service holds an
// exclusive lock on DATA_DIR/payee.lock for its whole life; the operating system lets it
// go when the process ends, however it ends, so a killed service never blocks the next.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';

export type DataDirLock = { ok: true; release(): void } | { ok: false; reason: 'in_use'; message: string };

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'payee.lock');
  const lock = new SQLite(file, { timeout: 0 });
  try {
    // In exclusive mode the lock a write takes is kept until the connection closes.
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('create table if not exists holder (pid integer not null, since integer not null)');
    lock.exec(`delete from holder; insert into holder values (${process.pid}, ${Date.now()})`);
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    return {
      ok: false,
      reason: 'in_use',
      message:
        `another Payee process is running on the data directory ${dataDir}; SQLite serves one process. ` +
        'To run several instances, set DATABASE_URL to a PostgreSQL database they share.',
    };
  }
  return { ok: true, release: () => lock.close() };
}
