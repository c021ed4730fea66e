// Amounts are integer kopecks; shown as "1 500,00 ₽" (ru, uz, kk, ky, tg: CLDR's grouping and
// decimal comma for each) or "₽1,500.00" (en). Written out by hand rather than with Intl so the
// server and every browser print the same characters. The ruble sign everywhere: CLDR writes
// "RUB" for uz, ky and tg, which reads as a code, not money.
import type { Locale } from './i18n.ts';

const NBSP = '\u00a0';

export function formatAmount(kopecks: number, locale: Locale): string {
  const sign = kopecks < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(kopecks));
  const rubles = String(Math.floor(abs / 100));
  const cents = String(abs % 100).padStart(2, '0');
  const en = locale === 'en';
  const grouped = rubles.replace(/\B(?=(\d{3})+$)/g, en ? ',' : NBSP);
  return en ? `${sign}₽${grouped}.${cents}` : `${sign}${grouped},${cents}${NBSP}₽`;
}
