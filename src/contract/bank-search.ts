// Ordering and searching SBP banks: popular banks first, then by name; a query matches
// the Russian or the English name or another name the bank is known by (`keys`: former
// names, abbreviations, Latin spellings; bank-aliases.ts), from the start of any word first.
export interface Bank {
  /** NSPK member id, 12 digits. */
  id: string;
  nameRu: string;
  nameEn: string;
  /** 1..12 for the banks most recipients use. */
  popular?: number;
  /** Other names to find it by, folded (bank-aliases.ts searchKeys). */
  keys?: string[];
}

/** Lower case, ё as е, punctuation as spaces: "АЛЬФА-БАНК" and "альфа банк" compare equal. */
export function foldName(s: string): string {
  return s
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Popular banks by rank, then the rest by name (Russian or English). */
export function sortBanks<B extends Bank>(banks: readonly B[], by: 'nameRu' | 'nameEn' = 'nameRu'): B[] {
  const locale = by === 'nameRu' ? 'ru' : 'en';
  return [...banks].sort(
    (a, b) => (a.popular ?? 99) - (b.popular ?? 99) || foldName(a[by]).localeCompare(foldName(b[by]), locale),
  );
}

/** 0: a name starts with the query, 1: a word in a name does, 2: the query is inside a name, -1: no match. */
function matchRank(bank: Bank, q: string): number {
  let best = -1;
  for (const name of [foldName(bank.nameRu), foldName(bank.nameEn), ...(bank.keys ?? [])]) {
    const at = name.indexOf(q);
    if (at < 0) continue;
    const rank = at === 0 ? 0 : name.includes(` ${q}`) ? 1 : 2;
    if (best < 0 || rank < best) best = rank;
  }
  return best;
}

/** Banks matching the query, best matches first; all banks in list order when the query is empty. */
export function searchBanks<B extends Bank>(banks: readonly B[], query: string): B[] {
  const q = foldName(query);
  if (!q) return [...banks];
  return banks
    .map((bank, i) => ({ bank, i, rank: matchRank(bank, q) }))
    .filter((m) => m.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((m) => m.bank);
}
