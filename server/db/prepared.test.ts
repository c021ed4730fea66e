import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { prepared } from './prepared.ts';
import { openTestDb } from '../../tests/helpers/store.ts';
import { tempDataDir } from '../../tests/helpers/server.ts';

type Items = Kysely<{ prep_items: { id: number; k: string; n: number | null; note: string } }>;

test('a prepared query runs with each call’s values, in and out of a transaction, on either store', async () => {
  const db = await openTestDb(tempDataDir());
  try {
    await sql`create table prep_items (id integer primary key, k text not null, n integer, note text)`.execute(db);
    const insert = prepared((d: Items, row: { id: number; k: string; n: number | null }) =>
      d
        .insertInto('prep_items')
        .values({ ...row, note: 'fixed' })
        .returning(['id', 'k', 'n', 'note']),
    );
    const byK = prepared((d: Items, k: string, n: number) =>
      d
        .selectFrom('prep_items')
        .select(['id', 'note'])
        .where('k', '=', k)
        .where('n', '>=', n)
        .where('note', '=', 'fixed'),
    );
    assert.deepEqual(await insert(db as never as Items, { id: 1, k: 'a', n: 5 }), [
      { id: 1, k: 'a', n: 5, note: 'fixed' },
    ]);
    await db.transaction().execute(async (tx) => {
      assert.deepEqual(await insert(tx as never as Items, { id: 2, k: 'b', n: null }), [
        { id: 2, k: 'b', n: null, note: 'fixed' },
      ]);
    });
    assert.deepEqual(await byK(db as never as Items, 'a', 5), [{ id: 1, note: 'fixed' }]);
    assert.deepEqual(await byK(db as never as Items, 'a', 6), []);
    assert.deepEqual(await byK(db as never as Items, 'b', 0), []);

    // Another shape than the one it was built with is refused, not half applied.
    await assert.rejects(insert(db as never as Items, { id: 3, k: 'c' } as never), /not of the shape/);
    await assert.rejects(insert(db as never as Items, { id: 3, k: 'c', n: 1, note: 'x' } as never), /not of the shape/);
    await assert.rejects(insert(db as never as Items, { id: 3, k: 'c', n: undefined } as never), /no value for n/);
    await assert.rejects(byK(db as never as Items, undefined as never, 1), /not of the shape/);
  } finally {
    await db.destroy();
  }
});

test('a query that decides its shape by an argument is refused when built', async () => {
  const db = await openTestDb(tempDataDir());
  try {
    const shapeByValue = prepared((d: Items, k: string) =>
      d
        .selectFrom('prep_items')
        .select('id')
        .where('k', '=', k.startsWith('x') ? k : 'fixed'),
    );
    await assert.rejects(shapeByValue(db as never as Items, 'a'), /every argument as a value/);
  } finally {
    await db.destroy();
  }
});
