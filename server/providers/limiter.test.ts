import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from './limiter.ts';

const tick = () => new Promise((r) => setImmediate(r));

test('never more than the limit within a window of their answers; the rest wait their turn in order', async () => {
  let t = 0;
  const limiter = new RateLimiter(2, 1000, () => t);
  const started: number[] = [];
  const releases: Array<() => void> = [];
  for (const i of [0, 1, 2, 3]) void limiter.take().then((release) => (started.push(i), releases.push(release)));
  await tick();
  assert.deepEqual(started, [0, 1]);
  t = 5000;
  await tick();
  assert.deepEqual(started, [0, 1], 'still under way: their slots stay taken, however long ago they started');
  releases[0]!();
  t = 5999;
  await tick();
  assert.deepEqual(started, [0, 1], 'a window has not passed since the answer came');
  t = 6001;
  await new Promise((r) => setTimeout(r, 1100));
  assert.deepEqual(started, [0, 1, 2]);
  releases[1]!();
  releases[2]!();
  t = 8000;
  await new Promise((r) => setTimeout(r, 1100));
  assert.deepEqual(started, [0, 1, 2, 3]);
  releases[3]!();
});
