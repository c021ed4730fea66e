// What we sent to Bank 131 per attempt, written before each request goes out, in
// DATA_DIR/bank131-<instance>.sqlite. It lets status() tell "never sent" (safe to
// submit again) from "sent, answer lost", find the session id of an attempt whose
// answer never came (from the bank's webhook, which echoes our order id), and know when
// the bank already has an attempt's key (a lost request is sent again only until then).
import { join } from 'node:path';
import SQLite from 'better-sqlite3';

export interface Attempt {
  idempotency_key: string;
  order_id: string;
  session_id: string | null;
  /** 1 once the payout request (init or start) may have reached the bank. */
  sent: number;
  /** 1 once the bank said it has this idempotency key: never sent again. */
  held: number;
  at: number;
}

export class Journal {
  private db: SQLite.Database | undefined;

  constructor(private file: string) {}

  static forInstance(dataDir: string, instance: string): Journal {
    return new Journal(join(dataDir, `bank131-${instance}.sqlite`));
  }

  /** Opened on first use, so validating the configuration touches no files. */
  private open(): SQLite.Database {
    if (this.db) return this.db;
    const db = new SQLite(this.file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`create table if not exists attempts (
      idempotency_key text primary key, order_id text not null, session_id text, sent integer not null default 0, at integer not null);
      create index if not exists attempts_order on attempts (order_id);`);
    const columns = db.prepare('pragma table_info(attempts)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'held'))
      db.exec('alter table attempts add column held integer not null default 0');
    this.db = db;
    return db;
  }

  get(key: string): Attempt | undefined {
    return this.open().prepare('select * from attempts where idempotency_key = ?').get(key) as Attempt | undefined;
  }

  begin(key: string, orderId: string, at: number): Attempt {
    this.open()
      .prepare('insert or ignore into attempts (idempotency_key, order_id, at) values (?, ?, ?)')
      .run(key, orderId, at);
    return this.get(key)!;
  }

  setSession(key: string, sessionId: string): void {
    this.open().prepare('update attempts set session_id = ? where idempotency_key = ?').run(sessionId, key);
  }

  markSent(key: string): void {
    this.open().prepare('update attempts set sent = 1 where idempotency_key = ?').run(key);
  }

  markHeld(key: string): void {
    this.open().prepare('update attempts set held = 1 where idempotency_key = ?').run(key);
  }

  /** A webhook named the session of one of our orders: remember it for attempts still without one. */
  learnSession(orderId: string, sessionId: string): void {
    this.open()
      .prepare('update attempts set session_id = ? where order_id = ? and sent = 1 and session_id is null')
      .run(sessionId, orderId);
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }
}
