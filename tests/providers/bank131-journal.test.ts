// Bank 131's journal moved from its own file into the service's database: what an
// earlier version recorded there is taken over on first use, so no sent attempt is
// forgotten (forgetting one would let the engine send it again).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Journal } from '../../server/providers/bank131/journal.ts';
import { tempDataDir } from '../helpers/server.ts';
import { openTestDb } from '../helpers/store.ts';

test("an earlier version's journal file is taken into the database on first use", async () => {
  const dataDir = tempDataDir();
  const file = join(dataDir, 'bank131-b131.sqlite');
  const old = new SQLite(file);
  old.exec(`create table attempts (idempotency_key text primary key, order_id text not null, session_id text,
    sent integer not null default 0, at integer not null)`);
  old.prepare('insert into attempts values (?, ?, ?, ?, ?)').run('po_1.1', 'po_1', 'ses_1', 1, 1000);
  old.close();

  const db = await openTestDb(dataDir);
  try {
    const journal = new Journal({ db, dataDir }, 'b131');
    assert.deepEqual(await journal.get('po_1.1'), {
      idempotency_key: 'po_1.1',
      order_id: 'po_1',
      session_id: 'ses_1',
      sent: 1,
      held: 0,
      at: 1000,
    });
    assert.equal(existsSync(file), false, 'the old file is set aside');
    assert.equal(existsSync(`${file}.imported`), true);
    // Another instance name has its own attempts.
    assert.equal(await new Journal({ db, dataDir }, 'other').get('po_1.1'), undefined);
  } finally {
    await db.destroy();
  }
});
