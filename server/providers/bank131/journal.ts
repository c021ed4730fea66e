// What we sent to Bank 131 per attempt, written before each request goes out, in the
// service's database (bank131_attempts), so any instance reads what another sent. It
// lets status() tell "never sent" (safe to submit again) from "sent, answer lost", and
// find the session id of an attempt whose answer never came (from the bank's webhook,
// which echoes our order id), and know when the bank already has an attempt's key (a
// lost request is sent again only until then).
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { Bank131AttemptsTable } from '../../db/schema.ts';

export type Attempt = Omit<Selectable<Bank131AttemptsTable>, 'instance'>;

export class Journal {
  private imported: Promise<void> | undefined;

  constructor(
    private deps: { db: Db; dataDir: string },
    private instance: string,
  ) {}

  /**
   * Journals of earlier versions lived in DATA_DIR/bank131-<instance>.sqlite: taken into
   * the database on first use (the file is then renamed aside), so no attempt is forgotten.
   */
  private ready(): Promise<void> {
    this.imported ??= (async () => {
      const file = join(this.deps.dataDir, `bank131-${this.instance}.sqlite`);
      if (!existsSync(file)) return;
      const old = new SQLite(file, { readonly: true });
      const rows = old.prepare('select * from attempts').all() as Attempt[];
      old.close();
      for (const row of rows) {
        await this.deps.db
          .insertInto('bank131_attempts')
          .values({ ...row, instance: this.instance })
          .onConflict((oc) => oc.columns(['instance', 'idempotency_key']).doNothing())
          .execute();
      }
      renameSync(file, `${file}.imported`);
    })();
    return this.imported;
  }

  async get(key: string): Promise<Attempt | undefined> {
    await this.ready();
    return this.deps.db
      .selectFrom('bank131_attempts')
      .select(['idempotency_key', 'order_id', 'session_id', 'sent', 'held', 'at'])
      .where('instance', '=', this.instance)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  async begin(key: string, orderId: string, at: number): Promise<Attempt> {
    await this.ready();
    await this.deps.db
      .insertInto('bank131_attempts')
      .values({ instance: this.instance, idempotency_key: key, order_id: orderId, at })
      .onConflict((oc) => oc.columns(['instance', 'idempotency_key']).doNothing())
      .execute();
    return (await this.get(key))!;
  }

  async setSession(key: string, sessionId: string): Promise<void> {
    await this.attempt(key).set({ session_id: sessionId }).execute();
  }

  async markSent(key: string): Promise<void> {
    await this.attempt(key).set({ sent: 1 }).execute();
  }

  async markHeld(key: string): Promise<void> {
    await this.attempt(key).set({ held: 1 }).execute();
  }

  /** A webhook named the session of one of our orders: remember it for attempts still without one. */
  async learnSession(orderId: string, sessionId: string): Promise<void> {
    await this.ready();
    await this.deps.db
      .updateTable('bank131_attempts')
      .set({ session_id: sessionId })
      .where('instance', '=', this.instance)
      .where('order_id', '=', orderId)
      .where('sent', '=', 1)
      .where('session_id', 'is', null)
      .execute();
  }

  private attempt(key: string) {
    return this.deps.db
      .updateTable('bank131_attempts')
      .where('instance', '=', this.instance)
      .where('idempotency_key', '=', key);
  }
}
