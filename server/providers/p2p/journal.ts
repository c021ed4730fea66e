// What we know of each order at the gateway, in DATA_DIR/p2p-<instance>.sqlite: when it
// was sent (a callback is overdue only after the order's timeout), the gateway's id and
// the reject URL its create answer gave, and when we last asked about it.
import { join } from 'node:path';
import SQLite from 'better-sqlite3';

export interface Order {
  order_id: string;
  internal_id: string | null;
  reject_url: string | null;
  sent_at: number;
  asked_at: number | null;
}

export class Journal {
  private db: SQLite.Database | undefined;

  constructor(private file: string) {}

  static forInstance(dataDir: string, instance: string): Journal {
    return new Journal(join(dataDir, `p2p-${instance}.sqlite`));
  }

  /** Opened on first use, so validating the configuration touches no files. */
  private open(): SQLite.Database {
    if (this.db) return this.db;
    const db = new SQLite(this.file);
    db.pragma('journal_mode = WAL');
    db.exec(`create table if not exists orders (
      order_id text primary key, internal_id text, reject_url text, sent_at integer not null, asked_at integer)`);
    this.db = db;
    return db;
  }

  get(orderId: string): Order | undefined {
    return this.open().prepare('select * from orders where order_id = ?').get(orderId) as Order | undefined;
  }

  /** Before create_pay_out goes out; a later attempt of the same order keeps what the gateway said before. */
  sending(orderId: string, at: number): void {
    this.open()
      .prepare(
        'insert into orders (order_id, sent_at) values (?, ?) on conflict (order_id) do update set sent_at = excluded.sent_at',
      )
      .run(orderId, at);
  }

  accepted(orderId: string, internalId: string, rejectUrl: string | undefined): void {
    this.open()
      .prepare('update orders set internal_id = ?, reject_url = coalesce(?, reject_url) where order_id = ?')
      .run(internalId, rejectUrl ?? null, orderId);
  }

  asked(orderId: string, at: number): void {
    this.open().prepare('update orders set asked_at = ? where order_id = ?').run(at, orderId);
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }
}
