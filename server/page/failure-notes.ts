// What the recipient reads when a payout failed (or was cancelled) for a known reason, and
// what the form says above itself when the provider refused the details and another try is
// open: plain words that say what happened and who can help, keyed on the one list of
// reasons (src/contract/failure.ts), in each language's file (src/contract/locales/).
// A reason without a note keeps the page's general one; `cancelled` has none on purpose.
import type { Locale } from '../../src/contract/i18n.ts';
import { PACKS } from '../../src/contract/messages.ts';
import type { FailureCode } from '../../src/contract/failure.ts';

export function failureNote(code: string | null, locale: Locale): string | undefined {
  return code ? PACKS[locale].failureNotes[code as FailureCode] : undefined;
}

export function anotherTryNote(code: string, locale: Locale): string | undefined {
  return PACKS[locale].anotherTry[code as FailureCode];
}
