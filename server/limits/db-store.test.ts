import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, openTestDb } from '../../tests/helpers/store.ts';
import { tempDataDir } from '../../tests/helpers/server.ts';
import { openDb } from '../db/index.ts';
import { DbLimitStore } from './db-store.ts';

test('database buckets: a burst, then one request per 1/rate, the wait said; keys apart', async () => {
  const db = await openTestDb(tempDataDir());
  try {
    const store = new DbLimitStore(db);
    const rule = { perSecond: 10, burst: 3 };
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) assert.equal(await store.take('k', rule, t), 0);
    assert.equal(await store.take('k', rule, t), 100);
    assert.equal(await store.take('k', rule, t + 50), 50);
    assert.equal(await store.take('k', rule, t + 100), 0);
    assert.equal(await store.take('other', rule, t), 0, 'keys are counted apart');
    assert.equal(await store.take('slow', { perSecond: 0.5, burst: 1 }, t), 0);
    assert.equal(await store.take('slow', { perSecond: 0.5, burst: 1 }, t), 2000);
  } finally {
    await db.destroy();
  }
});

test('two instances on one PostgreSQL database share each budget, concurrent takes counted one by one', async () => {
  const databaseUrl = await createTestDatabase();
  const [a, b] = await Promise.all([1, 2].map(() => openDb({ dataDir: tempDataDir(), databaseUrl })));
  try {
    const rule = { perSecond: 1, burst: 10 };
    const stores = [new DbLimitStore(a!), new DbLimitStore(b!)];
    const waits = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 2]!.take('m', rule, 5_000)));
    assert.equal(waits.filter((w) => w === 0).length, 10, 'exactly the burst is allowed across both');
  } finally {
    await Promise.all([a!.destroy(), b!.destroy()]);
  }
});
