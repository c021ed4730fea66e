import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely } from 'kysely';
import { GroupCommitDialect, type GroupedDatabase } from './group-commit.ts';
import { isUniqueViolation } from './errors.ts';
import { tempDataDir } from '../../tests/helpers/server.ts';

interface Schema {
  items: { id?: number; k: string };
}

/** A grouped database on a real file, counting COMMITs, and a second handle on the same file to look from. */
function open(options: { failCommits?: number } = {}) {
  const file = join(tempDataDir('payee-group-commit-'), 'db.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.exec('create table items (id integer primary key, k text not null unique)');
  const counts = { commits: 0 };
  let failCommits = options.failCommits ?? 0;
  const database: GroupedDatabase = {
    prepare: (sql) => sqlite.prepare(sql),
    exec(sql) {
      if (sql === 'commit') {
        counts.commits++;
        if (failCommits-- > 0) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      }
      return sqlite.exec(sql);
    },
    get inTransaction() {
      return sqlite.inTransaction;
    },
    close: () => sqlite.close(),
  };
  const db = new Kysely<Schema>({ dialect: new GroupCommitDialect(database) });
  const other = new SQLite(file, { readonly: true });
  const committed = () => (other.prepare('select k from items order by k').all() as { k: string }[]).map((r) => r.k);
  return { db, file, counts, committed, close: async () => (other.close(), await db.destroy()) };
}

test('concurrent transactions and statements share one COMMIT, and each is committed when it resolves', async () => {
  const { db, counts, committed, close } = open();
  try {
    const seen: string[][] = [];
    await Promise.all([
      ...['a', 'b', 'c'].map((k) =>
        db
          .transaction()
          .execute((tx) => tx.insertInto('items').values({ k }).execute())
          .then(() => seen.push(committed())),
      ),
      db
        .insertInto('items')
        .values({ k: 'd' })
        .execute()
        .then(() => seen.push(committed())),
    ]);
    assert.equal(counts.commits, 1);
    // Seen from another connection the moment each caller got its answer: all four, committed.
    for (const rows of seen) assert.deepEqual(rows, ['a', 'b', 'c', 'd']);
  } finally {
    await close();
  }
});

test('a failing transaction undoes only its own writes; the others in its group commit', async () => {
  const { db, counts, committed, close } = open();
  try {
    const results = await Promise.allSettled([
      db.transaction().execute((tx) => tx.insertInto('items').values({ k: 'kept' }).execute()),
      db.transaction().execute(async (tx) => {
        await tx.insertInto('items').values({ k: 'undone' }).execute();
        throw new Error('changed my mind');
      }),
      db.insertInto('items').values({ k: 'lone' }).execute(),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal((results[1] as PromiseRejectedResult).reason.message, 'changed my mind');
    assert.equal(counts.commits, 1);
    assert.deepEqual(committed(), ['kept', 'lone']);
  } finally {
    await close();
  }
});

test('a unique violation inside a transaction surfaces as one, and the rest of the group commits', async () => {
  const { db, committed, close } = open();
  try {
    await db.insertInto('items').values({ k: 'taken' }).execute();
    const results = await Promise.allSettled([
      db.transaction().execute(async (tx) => {
        await tx.insertInto('items').values({ k: 'mine' }).execute();
        await tx.insertInto('items').values({ k: 'taken' }).execute();
      }),
      db.transaction().execute((tx) => tx.insertInto('items').values({ k: 'other' }).execute()),
    ]);
    assert.equal(results[0].status, 'rejected');
    assert.equal(isUniqueViolation(results[0].reason, { table: 'items', columns: ['k'] }), true);
    assert.equal(results[1].status, 'fulfilled');
    assert.deepEqual(committed(), ['other', 'taken']);
  } finally {
    await close();
  }
});

test('a failed COMMIT rejects everyone in the group, and the next group starts afresh', async () => {
  const { db, committed, close } = open({ failCommits: 1 });
  try {
    const results = await Promise.allSettled([
      db.transaction().execute((tx) => tx.insertInto('items').values({ k: 'a' }).execute()),
      db.insertInto('items').values({ k: 'b' }).execute(),
      db.selectFrom('items').selectAll().execute(),
    ]);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.equal(r.reason.message, 'disk I/O error');
    }
    assert.deepEqual(committed(), []);
    await db.insertInto('items').values({ k: 'c' }).execute();
    assert.deepEqual(committed(), ['c']);
  } finally {
    await close();
  }
});

test('a group held busy commits once it passes its bound; work queued after the commit joins the next group', async () => {
  const file = join(tempDataDir('payee-group-commit-'), 'db.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('create table items (id integer primary key, k text not null unique)');
  const db = new Kysely<Schema>({
    dialect: new GroupCommitDialect(sqlite as unknown as GroupedDatabase, {
      maxStatements: 1,
      maxMs: 60_000,
      busyTimeoutMs: 5000,
    }),
  });
  try {
    const first = db.insertInto('items').values({ k: 'first' }).execute();
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    // Holds the connection across turns of the event loop, so it never goes idle.
    const slow = db.transaction().execute(async (tx) => {
      await tx.insertInto('items').values({ k: 'slow' }).execute();
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      await gate;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const later = db.insertInto('items').values({ k: 'later' }).execute();
    letGo();
    await Promise.all([first, slow]);
    // The commit went before `later` in the line: it is not in the group that committed.
    const other = new SQLite(file, { readonly: true });
    const seen = (other.prepare('select k from items order by k').all() as { k: string }[]).map((r) => r.k);
    await later;
    other.close();
    assert.deepEqual(seen, ['first', 'slow']);
  } finally {
    await db.destroy();
  }
});

test('while another connection holds the write lock, a group waits for it without stopping the event loop', async () => {
  const { db, file, committed, close } = open();
  try {
    await db.insertInto('items').values({ k: 'before' }).execute();
    const writer = new SQLite(file, { timeout: 0 });
    writer.exec("begin immediate; insert into items (k) values ('theirs')");
    const mine = db.insertInto('items').values({ k: 'mine' }).execute();
    // The event loop still turns: the other connection commits, and our group goes on.
    await new Promise((resolve) => setTimeout(resolve, 0));
    writer.exec('commit');
    writer.close();
    await mine;
    assert.deepEqual(committed(), ['before', 'mine', 'theirs']);
  } finally {
    await close();
  }
});
