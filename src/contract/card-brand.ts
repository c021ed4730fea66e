// The card's brand from the first digits typed: for the brand mark and the grouping of the
// digits on the page, and for reports on the server. The prefixes, lengths and gaps are the
// ones the card schemes publish (as collected by braintree's credit-card-type), for the
// brands recipients in Russia hold; a number of any other brand simply shows no mark.

export interface CardBrand {
  type: string;
  name: string;
  /** Digits before which a space goes. */
  gaps: readonly number[];
  lengths: readonly number[];
}

type Prefix = number | readonly [number, number];

const G4 = [4, 8, 12];
const BRANDS: ReadonlyArray<CardBrand & { prefixes: readonly Prefix[] }> = [
  { type: 'mir', name: 'Mir', prefixes: [[2200, 2204]], gaps: G4, lengths: [16, 17, 18, 19] },
  { type: 'visa', name: 'Visa', prefixes: [4], gaps: G4, lengths: [16, 18, 19] },
  {
    type: 'mastercard',
    name: 'Mastercard',
    prefixes: [[51, 55], [2221, 2229], [223, 229], [23, 26], [270, 271], 2720],
    gaps: G4,
    lengths: [16],
  },
  {
    type: 'maestro',
    name: 'Maestro',
    prefixes: [493698, [500000, 504174], [504176, 506698], [506779, 508999], [56, 59], 63, 67, 6],
    gaps: G4,
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  },
  {
    type: 'unionpay',
    name: 'UnionPay',
    prefixes: [
      [620, 626],
      [627700, 627779],
      [627781, 627799],
      [6282, 6289],
      [8110, 8171],
    ],
    gaps: G4,
    lengths: [14, 15, 16, 17, 18, 19],
  },
  // Not a card recipients in Russia hold, but its numbers start like Maestro's: without it a
  // Discover card would show the wrong mark.
  { type: 'discover', name: 'Discover', prefixes: [6011, [644, 649], 65], gaps: G4, lengths: [16, 19] },
  { type: 'jcb', name: 'JCB', prefixes: [2131, 1800, [3528, 3589]], gaps: G4, lengths: [16, 17, 18, 19] },
  { type: 'american-express', name: 'American Express', prefixes: [34, 37], gaps: [4, 10], lengths: [15] },
  {
    type: 'diners-club',
    name: 'Diners Club',
    prefixes: [[300, 305], 36, 38, 39],
    gaps: [4, 10],
    lengths: [14, 16, 19],
  },
];

/** Do these digits (maybe fewer than the prefix has) start like the prefix? */
function startsLike(digits: string, prefix: Prefix): boolean {
  const [lo, hi] = typeof prefix === 'number' ? [prefix, prefix] : prefix;
  const n = Math.min(String(lo).length, digits.length);
  const head = +digits.slice(0, n);
  return head >= +String(lo).slice(0, n) && head <= +String(hi).slice(0, n);
}

/**
 * The brand when the digits so far fit exactly one, or when the longest prefix that fits is
 * one brand's (6… may still be UnionPay, 62… is); null when it cannot tell yet.
 */
export function cardBrandOf(digits: string): CardBrand | null {
  let best: CardBrand | null = null;
  let bestLength = 0;
  let tie = false;
  for (const brand of BRANDS) {
    for (const prefix of brand.prefixes) {
      if (!startsLike(digits, prefix)) continue;
      const length = Math.min(String(typeof prefix === 'number' ? prefix : prefix[0]).length, digits.length);
      if (length > bestLength) [best, bestLength, tie] = [brand, length, false];
      else if (length === bestLength && best !== brand) tie = true;
    }
  }
  return digits && !tie ? best : null;
}
