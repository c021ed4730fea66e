// Kopecks <-> the decimal strings the P2P gateway (and the payments platform) speak:
// integer arithmetic only, so 1500.10 never turns into 1500.0999.
export function kopecksToDecimal(kopecks: number): string {
  if (!Number.isSafeInteger(kopecks) || kopecks < 0)
    throw new RangeError(`amount must be a non-negative integer of kopecks, got ${kopecks}`);
  const rub = Math.floor(kopecks / 100);
  const kop = kopecks % 100;
  return `${rub}.${kop.toString().padStart(2, '0')}`;
}

/** "1500.00", "1500.5" or "1500" -> kopecks; null when it is not such a number. */
export function decimalToKopecks(text: string): number | null {
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
