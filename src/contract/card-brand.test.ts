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
  ['6011111111111117', 'discover'],
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

test('the table agrees with card-validator (the library it was taken from) on every brand and prefix', async () => {
  // The page cannot afford the library's weight; the test keeps the small table honest.
  const { default: validator } = await import('card-validator');
  const numbers = cases.map(([digits]) => digits).filter((d) => d.length >= 12);
  numbers.push('2204000000000000', '2720990000000007', '5019717010103742', '6271136264806203', '6500000000000002');
  for (const pan of numbers) {
    const theirs = validator.number(pan).card;
    const ours = cardBrandOf(pan);
    assert.deepEqual(
      { type: ours?.type, gaps: ours?.gaps, lengths: ours?.lengths },
      { type: theirs?.type, gaps: theirs?.gaps, lengths: theirs?.lengths },
      pan,
    );
  }
});
