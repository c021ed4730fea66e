// Every failure reason a merchant can see has words for the recipient, in every language
// (a cancellation keeps the page's own note); so has every refusal that allows another try.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAILURES, type FailureCode } from '../../src/contract/failure.ts';
import { anotherTryNote, failureNote } from './failure-notes.ts';
import { LOCALES } from '../../src/contract/i18n.ts';

test('a note for every reason, in every language', () => {
  for (const code of Object.keys(FAILURES) as FailureCode[]) {
    for (const locale of LOCALES) {
      const note = failureNote(code, locale);
      if (code === 'cancelled') assert.equal(note, undefined);
      else assert.ok(note && note.length > 20, `${code} (${locale})`);
    }
  }
  assert.match(failureNote('card_declined', 'ru')!, /[а-я]/);
  assert.equal(failureNote('p2p_low_balance', 'en'), undefined, 'provider codes are not reasons');
  assert.equal(failureNote(null, 'en'), undefined);
});

test("a note above the form for every refusal of the recipient's details, in every language", () => {
  for (const code of Object.keys(FAILURES) as FailureCode[]) {
    for (const locale of LOCALES) {
      const note = anotherTryNote(code, locale);
      if (FAILURES[code].destination) assert.ok(note && note.length > 20, `${code} (${locale})`);
      else assert.equal(note, undefined, `${code} is not about the recipient's details`);
    }
  }
});
