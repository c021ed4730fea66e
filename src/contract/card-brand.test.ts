// The brand from the first digits: as soon as only one brand fits, never while two still do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cardBrandOf } from './card-brand.ts';

const cases: Array<[string, string | null]> = [
  ['', null],
  ['2', null], // Mir or Mastercard
  ['22', null],
  ['220', 'mir'],
  ['2200000000000004', 'mir'],
  ['2221', 'mastercard'],
  ['4', null], // Visa, or a Maestro 493698…
  ['4111111111111111', 'visa'],
  ['5', null],
  ['5555555555554444', 'mastercard'],
  ['6759649826438453', 'maestro'],
  ['6', null], // Maestro or UnionPay
  ['6200000000000005', 'unionpay'],
  ['378282246310005', 'american-express'],
  ['30569309025904', 'diners-club'],
  ['3528000000000007', 'jcb'],
  ['9', null],
];

for (const [digits, type] of cases) {
  test(`${digits || '(nothing)'}: ${type ?? 'not yet known'}`, () => {
    assert.equal(cardBrandOf(digits)?.type ?? null, type);
  });
}

test('grouping follows the brand: 4-6-5 for American Express, 4-4-4-4 for Mir', () => {
  assert.deepEqual(cardBrandOf('37')?.gaps, [4, 10]);
  assert.deepEqual(cardBrandOf('2201')?.gaps, [4, 8, 12]);
  assert.deepEqual(cardBrandOf('2201')?.lengths, [16, 17, 18, 19]);
});
