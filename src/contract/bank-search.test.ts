// Finding a bank the way recipients type it: its name in Russian or English, a former name
// (Тинькофф), an abbreviation, or the Russian name typed in Latin letters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchBanks } from './bank-search.ts';
import { searchKeys } from './bank-aliases.ts';
import { BANKS } from './banks.ts';

const banks = BANKS.map((b) => ({ ...b, keys: searchKeys(b) }));
const first = (query: string) => searchBanks(banks, query)[0]?.nameRu;

test('a former name finds the bank under its name of today', () => {
  assert.equal(first('тинькофф'), 'Т-Банк');
  assert.equal(first('Tinkoff'), 'Т-Банк');
  assert.equal(first('открытие'), 'Банк ВТБ');
  assert.equal(first('Яндекс.Деньги'), 'НКО ЮМани');
  assert.equal(first('промсвязь'), 'Банк ПСБ');
});

test('abbreviations the banks use themselves', () => {
  assert.equal(first('мкб'), 'МОСКОВСКИЙ КРЕДИТНЫЙ БАНК');
  assert.equal(first('РСХБ'), 'Россельхозбанк');
});

test('a Russian name typed in Latin letters, the passport way or the short way', () => {
  assert.equal(first('rosselkhoz'), 'Россельхозбанк');
  assert.equal(first('rosselhoz'), 'Россельхозбанк');
  assert.equal(first('sovkom'), 'Совкомбанк');
  assert.equal(first('pochta'), 'Почта Банк');
  assert.equal(first('hlynov'), 'КБ Хлынов');
});

test('the names themselves still come first, and nothing is found for nonsense', () => {
  assert.equal(first('сбер'), 'Сбербанк');
  assert.equal(first('alfa'), 'АЛЬФА-БАНК');
  assert.deepEqual(searchBanks(banks, 'zzzz'), []);
});

test('a bank without other names sends none', () => {
  const alfa = BANKS.find((b) => b.nameEn === 'Alfa-Bank')!;
  assert.deepEqual(searchKeys(alfa), []);
});
