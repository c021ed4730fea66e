// The card's brand from its number (visa, mastercard, mir, …), for display and reports: the
// page's own rule (src/contract/card-brand.ts), so both always agree.
import { cardBrandOf } from '../../src/contract/card-brand.ts';

export function cardBrand(pan: string): string | null {
  return cardBrandOf(pan)?.type ?? null;
}
