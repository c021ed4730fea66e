import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedMap, MemoryLimitStore } from './store.ts';

test('a bucket lets a burst through, then one request per 1/rate, and says how long to wait', async () => {
  const store = new MemoryLimitStore();
  const rule = { perSecond: 10, burst: 3 };
  const t = 1_000_000;
  assert.deepEqual(await Promise.all([1, 2, 3].map(() => store.take('k', rule, t))), [0, 0, 0]);
  assert.equal(await store.take('k', rule, t), 100);
  assert.equal(await store.take('k', rule, t + 50), 50);
  assert.equal(await store.take('k', rule, t + 100), 0);
  assert.equal(await store.take('other', rule, t), 0, 'keys are counted apart');
});

test('the store and the map never hold more keys than their bound', async () => {
  const store = new MemoryLimitStore(100);
  for (let i = 0; i < 10_000; i++) await store.take(`k${i}`, { perSecond: 1, burst: 1 }, 0);
  assert.equal(store.size, 100);
  const map = new BoundedMap<string, number>(3);
  for (const k of ['a', 'b', 'c']) map.set(k, 1);
  map.get('a');
  map.set('d', 1);
  assert.equal(map.get('b'), undefined, 'the least recently used went first');
  assert.equal(map.get('a'), 1);
});
