// JSON as we accept it from anyone (merchant API, provider callbacks, the page): a key
// given twice in one object is refused, as parsers disagree on which one wins.

export type JsonParse = { ok: true; value: unknown } | { ok: false; reason: 'invalid' | 'duplicate_key'; key?: string };

export function parseJson(text: string): JsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const key = duplicateKey(text);
  return key === undefined ? { ok: true, value } : { ok: false, reason: 'duplicate_key', key };
}

/**
 * The first key that repeats within one object of a text JSON.parse took, or undefined.
 * One pass: a stack of the keys seen per open object or array (arrays hold null).
 */
export function duplicateKey(text: string): string | undefined {
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (expectKey && top) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.has(key)) return key;
        top.add(key);
      }
      expectKey = false;
      i = j;
    } else if (ch === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (ch === '[') {
      stack.push(null);
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      expectKey = stack.at(-1) != null;
    }
  }
  return undefined;
}
