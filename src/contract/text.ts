// Text that may reach a merchant's systems or a recipient's screen (orderNumber,
// description, a merchant's display name) must not carry characters that break
// parsers or deceive readers: C0/C1 controls, U+2028/U+2029 (line breaks inside JSON
// strings that some JSON-in-code and signature snippets choke on), bidi controls (they
// reorder what a recipient reads), zero-width characters, and lone surrogates.
import * as v from 'valibot';

const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when the text holds a character listed above. */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE.test(text);
}

/** The valibot check every such field runs; the message names no character (it may be invisible). */
export const safeText = () =>
  v.check<string, string>(
    (text) => !hasUnsafeCharacters(text),
    'must not contain control, line-separator, bidirectional or zero-width characters',
  );
