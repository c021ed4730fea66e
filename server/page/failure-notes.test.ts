// Every failure reason a merchant can see has words for the recipient, in both languages
// (a cancellation keeps the page's own note).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAILURES, type FailureCode } from '../../src/contract/failure.ts';
import { failureNote } from './failure-notes.ts';

test('a note for every reason, in Russian and English', () => {
  for (const code of Object.keys(FAILURES) as FailureCode[]) {
    for (const locale of ['ru', 'en'] as const) {
      const note = failureNote(code, locale);
      if (code === 'cancelled') assert.equal(note, undefined);
      else assert.ok(note && note.length > 20, `${code} (${locale})`);
    }
  }
  assert.match(failureNote('card_declined', 'ru')!, /[а-я]/);
  assert.equal(failureNote('p2p_low_balance', 'en'), undefined, 'provider codes are not reasons');
  assert.equal(failureNote(null, 'en'), undefined);
});
