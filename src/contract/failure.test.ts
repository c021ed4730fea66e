// The one list of failure reasons is what merchants read in docs/api.md: every code there,
// with its exact message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FAILURES, isFailureCode } from './failure.ts';

test('every failure reason is documented for merchants with its message', () => {
  const doc = readFileSync(resolve(import.meta.dirname, '../../docs/api.md'), 'utf8');
  const rows = new Map([...doc.matchAll(/^\| `([a-z_]+)` \| (yes|no) \| (.+) \|$/gm)].map((m) => [m[1], m.slice(2)]));
  for (const [code, info] of Object.entries(FAILURES)) {
    assert.deepEqual(rows.get(code), [info.destination ? 'yes' : 'no', info.message], code);
  }
  assert.deepEqual(
    [...rows.keys()].filter((c) => !isFailureCode(c)),
    [],
    'no code documented that does not exist',
  );
});
