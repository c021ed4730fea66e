import { test } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { isUniqueViolation } from './errors.ts';
import { createTestDatabase } from '../../tests/helpers/store.ts';

const ORDER_KEY = { table: 'payouts', columns: ['merchant_id', 'order_number'] };

test('a SQLite unique violation is recognised, and told apart by its key', () => {
  const db = new SQLite(':memory:');
  db.exec(
    'create table payouts (id integer primary key, merchant_id text, order_number text, token text unique, unique (merchant_id, order_number))',
  );
  db.prepare("insert into payouts (merchant_id, order_number, token) values ('m', 'o', 't')").run();
  const thrown = (sql: string) => {
    try {
      db.prepare(sql).run();
    } catch (err) {
      return err;
    }
    assert.fail('expected the insert to fail');
  };
  const orderTaken = thrown("insert into payouts (merchant_id, order_number, token) values ('m', 'o', 'u')");
  const tokenTaken = thrown("insert into payouts (merchant_id, order_number, token) values ('m', 'p', 't')");
  assert.equal(isUniqueViolation(orderTaken), true);
  assert.equal(isUniqueViolation(orderTaken, ORDER_KEY), true);
  assert.equal(isUniqueViolation(tokenTaken), true);
  assert.equal(isUniqueViolation(tokenTaken, ORDER_KEY), false);
  assert.equal(isUniqueViolation(thrown('insert into nowhere values (1)')), false);
});

test('a PostgreSQL unique violation (SQLSTATE 23505) is recognised by its table and key', () => {
  const pg = { code: '23505', table: 'payouts', detail: 'Key (merchant_id, order_number)=(m, o) already exists.' };
  assert.equal(isUniqueViolation(pg), true);
  assert.equal(isUniqueViolation(pg, ORDER_KEY), true);
  assert.equal(isUniqueViolation({ ...pg, detail: 'Key (token)=(t) already exists.' }, ORDER_KEY), false);
  assert.equal(isUniqueViolation({ code: '23503' }), false);
  assert.equal(isUniqueViolation(new Error('UNIQUE constraint failed: payouts.token')), false);
});

test('a unique violation from a real PostgreSQL server is told apart by its key', async () => {
  const client = new pg.Client({ connectionString: await createTestDatabase() });
  await client.connect();
  try {
    await client.query(
      'create table payouts (id bigint primary key, merchant_id text, order_number text, token text unique, unique (merchant_id, order_number))',
    );
    await client.query("insert into payouts values (1, 'm', 'o', 't')");
    const thrown = async (sql: string) =>
      client.query(sql).then(
        () => assert.fail('expected the insert to fail'),
        (err) => err,
      );
    const orderTaken = await thrown("insert into payouts values (2, 'm', 'o', 'u')");
    const tokenTaken = await thrown("insert into payouts values (3, 'm', 'p', 't')");
    assert.equal(isUniqueViolation(orderTaken, ORDER_KEY), true);
    assert.equal(isUniqueViolation(tokenTaken), true);
    assert.equal(isUniqueViolation(tokenTaken, ORDER_KEY), false);
    assert.equal(isUniqueViolation(await thrown('insert into nowhere values (1)')), false);
  } finally {
    await client.end();
  }
});
