import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from './json.ts';

test('a key twice in one object is refused, at any depth and however it is escaped', () => {
  const table: Array<[string, string | undefined]> = [
    ['{"a":1,"b":2}', undefined],
    ['{"a":1,"a":2}', 'a'],
    ['{"amount":100,"x":{"amount":1}}', undefined],
    ['{"x":{"k":1,"k":2}}', 'k'],
    ['[{"a":1},{"a":2}]', undefined],
    ['[{"a":1,"a":2}]', 'a'],
    ['{"a":"\\"a\\":1,","b":[1,{"c":1}],"d":{}}', undefined],
    ['{"a\\u0062":1,"ab":2}', 'ab'],
    ['{"s":"{\\"a\\":1,\\"a\\":2}"}', undefined],
    ['{"x":[1,2,{"y":1}],"x2":1,"y":2}', undefined],
    ['{"x":[],"x":1}', 'x'],
  ];
  for (const [text, key] of table) {
    const r = parseJson(text);
    if (key === undefined) assert.equal(r.ok, true, text);
    else assert.deepEqual(r, { ok: false, reason: 'duplicate_key', key }, text);
  }
  assert.deepEqual(parseJson('{"a":'), { ok: false, reason: 'invalid' });
});
