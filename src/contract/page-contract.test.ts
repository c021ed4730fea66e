// The shared pieces of the recipient page: amounts, language choice, the bank list and
// its search, and the details schema the browser and the server both run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAmount } from './money.ts';
import { pickLocale } from './i18n.ts';
import { searchBanks } from './bank-search.ts';
import { BANKS, findBank } from './banks.ts';
import { parseDetails, recipientSchema } from './recipient.ts';

test('amounts in kopecks read as rubles: "1 500,00 ₽" in Russian, "₽1,500.00" in English', () => {
  assert.equal(formatAmount(150000, 'ru'), '1\u00a0500,00\u00a0₽');
  assert.equal(formatAmount(150000, 'en'), '₽1,500.00');
  assert.equal(formatAmount(5, 'ru'), '0,05\u00a0₽');
  assert.equal(formatAmount(999_999_999_999, 'ru'), '9\u00a0999\u00a0999\u00a0999,99\u00a0₽');
  assert.equal(formatAmount(100, 'en'), '₽1.00');
});

test('the language: ?lang= first, then Accept-Language by weight, else Russian', () => {
  assert.equal(pickLocale(undefined, undefined), 'ru');
  assert.equal(pickLocale(undefined, 'en-US,en;q=0.9'), 'en');
  assert.equal(pickLocale(undefined, 'de-DE,de;q=0.9,en;q=0.8,ru;q=0.7'), 'en');
  assert.equal(pickLocale(undefined, 'en;q=0.5,ru;q=0.8'), 'ru');
  assert.equal(pickLocale(undefined, 'de,fr'), 'ru');
  assert.equal(pickLocale(undefined, 'en;q=0'), 'ru');
  assert.equal(pickLocale('en', 'ru'), 'en');
  assert.equal(pickLocale('ru', 'en'), 'ru');
  assert.equal(pickLocale('xx', 'en'), 'en');
});

test('the built-in bank list: popular banks first in rank order, then by Russian name; ids unique', () => {
  assert.equal(BANKS.length, 192);
  assert.deepEqual(
    BANKS.slice(0, 4).map((b) => b.nameEn),
    ['Sberbank', 'T-Bank', 'VTB Bank', 'Alfa-Bank'],
  );
  assert.ok(BANKS.slice(0, 12).every((b) => b.popular));
  assert.ok(BANKS.slice(12).every((b) => !b.popular));
  assert.equal(new Set(BANKS.map((b) => b.id)).size, 192);
  assert.equal(findBank('100000000111')?.nameRu, 'Сбербанк');
  assert.equal(findBank('999999999999'), undefined);
});

test('bank search: Russian or English, any case, ё as е, word starts before the middle of a name', () => {
  const names = (q: string) => searchBanks(BANKS, q).map((b) => b.nameEn);
  assert.deepEqual(names('альфа'), ['Alfa-Bank']);
  assert.deepEqual(names('ALFA'), ['Alfa-Bank']);
  assert.deepEqual(names('альфа банк'), ['Alfa-Bank']);
  assert.equal(names('сбер')[0], 'Sberbank');
  assert.equal(names('raiff')[0], 'Raiffeisenbank');
  assert.equal(names('пойдем')[0], 'KB Poydem!');
  // A name starting with the query comes before one with the query inside a word.
  const bank = names('банк');
  assert.equal(bank[0], 'VTB Bank'); // "Банк ВТБ", the most popular bank whose name starts so
  assert.ok(bank.indexOf('Sovcombank') > bank.indexOf('Bank 131'));
  assert.equal(searchBanks(BANKS, '').length, 192);
  assert.deepEqual(searchBanks(BANKS, 'zzzz'), []);
});

const both = recipientSchema(
  [
    { type: 'card', requiredFields: [] },
    { type: 'sbp', requiredFields: ['fullName'] },
  ],
  (id) => findBank(id) !== undefined,
);

test('card details: spaces and dashes dropped; empty, letters, length and Luhn each named', () => {
  assert.deepEqual(parseDetails(both, { type: 'card', pan: '4111 1111-1111 1111', phone: 'ignored' }), {
    ok: true,
    details: { type: 'card', pan: '4111111111111111' },
  });
  const error = (pan: unknown) => {
    const r = parseDetails(both, { type: 'card', pan });
    return r.ok ? null : r.errors.pan;
  };
  assert.equal(error(''), 'pan_required');
  assert.equal(error(undefined), 'pan_required');
  assert.equal(error('4111 1111 abcd 1111'), 'pan_digits');
  assert.equal(error('411111111111'), 'pan_length');
  assert.equal(error('41111111111111111111'), 'pan_length');
  assert.equal(error('4111111111111112'), 'pan_luhn');
});

test('SBP details: the phone in any usual form becomes 11 digits; the bank must be on the list; the name when required', () => {
  for (const phone of ['+7 (900) 000-00-01', '89000000001', '9000000001', '7 900 000 00 01']) {
    const r = parseDetails(both, { type: 'sbp', phone, bankId: '100000000111', fullName: ' Иван  Петров ' });
    assert.deepEqual(
      r,
      { ok: true, details: { type: 'sbp', phone: '79000000001', bankId: '100000000111', fullName: 'Иван Петров' } },
      phone,
    );
  }
  assert.deepEqual(parseDetails(both, { type: 'sbp', phone: '+7 (', bankId: '', fullName: '' }), {
    ok: false,
    errors: { phone: 'phone_required', bankId: 'bank_required', fullName: 'name_required' },
  });
  assert.deepEqual(parseDetails(both, { type: 'sbp', phone: '+7 900 12', bankId: '123456789012', fullName: 'Иван' }), {
    ok: false,
    errors: { phone: 'phone_invalid', bankId: 'bank_unknown', fullName: 'name_invalid' },
  });
});

test('a method not on offer, or none, is refused as such', () => {
  const cardOnly = recipientSchema([{ type: 'card', requiredFields: [] }], () => true);
  assert.deepEqual(parseDetails(cardOnly, { type: 'sbp', phone: '89000000001', bankId: '100000000111' }), {
    ok: false,
    errors: { type: 'type_required' },
  });
  assert.deepEqual(parseDetails(cardOnly, {}), { ok: false, errors: { type: 'type_required' } });
  assert.deepEqual(parseDetails(cardOnly, null), { ok: false, errors: { type: 'type_required' } });
});
