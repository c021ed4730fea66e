import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasUnsafeCharacters } from './text.ts';

test('ordinary text in any script, with emoji, is safe', () => {
  for (const text of ['ORDER-2025-0001', 'Выплата по заказу №12', 'Buyurtma uchun to‘lov', 'Төлем 💸', 'a/b_c:d']) {
    assert.equal(hasUnsafeCharacters(text), false, text);
  }
});

test('controls, separators, bidi overrides, zero-width characters and lone surrogates are not', () => {
  const cases = {
    'C0 control': 'a\u0007b',
    newline: 'a\nb',
    DEL: 'a\u007fb',
    'C1 control': 'a\u0085b',
    'line separator': 'a\u2028b',
    'paragraph separator': 'a\u2029b',
    'right-to-left override': 'a\u202eb',
    'left-to-right embedding': 'a\u202ab',
    'right-to-left isolate': 'a\u2067b',
    'pop directional isolate': 'a\u2069b',
    'zero-width space': 'a\u200bb',
    'zero-width joiner': 'a\u200db',
    'byte order mark': '\ufeffab',
    'lone high surrogate': 'a\ud83db',
    'lone low surrogate': 'a\udca9b',
  };
  for (const [name, text] of Object.entries(cases)) assert.equal(hasUnsafeCharacters(text), true, name);
});
