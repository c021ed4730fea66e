// The card's brand from its number (visa, mastercard, mir, …), for display and reports.
import cardValidator from 'card-validator';

export function cardBrand(pan: string): string | null {
  return cardValidator.number(pan).card?.type ?? null;
}
