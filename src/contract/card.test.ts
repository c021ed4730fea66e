// Card-number rules: what pasting leaves, the Luhn check, and the 6 + 4 mask.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { luhnValid, maskPan, normalizePan } from './card.ts';

test('spaces and dashes from pasting are dropped, nothing else', () => {
  assert.equal(normalizePan(' 4111 1111-1111 1111 '), '4111111111111111');
  assert.equal(normalizePan('4111a'), '4111a');
});

test('the Luhn check: test cards pass, one wrong digit, letters or nothing fail', () => {
  for (const pan of ['4111111111111111', '2200000000000004', '5555555555554444', '0'])
    assert.equal(luhnValid(pan), true, pan);
  for (const pan of ['4111111111111112', '411111111111111a', '', '4111 1111 1111 1111'])
    assert.equal(luhnValid(pan), false, pan);
});

test('only the first six and the last four are shown, whatever the length', () => {
  assert.equal(maskPan('4111111111111111'), '411111******1111');
  assert.equal(maskPan('2200000000000000004'), '220000*********0004');
  assert.equal(maskPan('4000000000'), '4000000000');
});
