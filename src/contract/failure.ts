// Why a payout failed or was cancelled: one list for every provider. Merchants get it as
// `failure: {code, message}` (getPayoutStatus, performPayout, webhooks); the recipient's
// page explains it in plain words. Each adapter maps its provider's own codes onto this
// list (keeping the provider's code beside it for operators); a code it cannot place is
// `provider_declined`. Documented in docs/api.md: add a code there when you add one here.

export interface FailureInfo {
  /** The refusal is about the recipient's card or phone: other details may well be paid. */
  destination: boolean;
  /** For merchants' developers (English, stable). */
  message: string;
}

export const FAILURES = {
  card_declined: { destination: true, message: "The card's issuing bank declined the payout" },
  invalid_card: { destination: true, message: 'There is no card with this number' },
  card_expired: { destination: true, message: 'The card has expired' },
  recipient_not_found: { destination: true, message: 'The chosen bank has no account for this phone number' },
  bank_rejected: { destination: true, message: "The recipient's bank refused the payout" },
  invalid_details: { destination: true, message: "The provider refused the recipient's details as invalid" },
  insufficient_funds: { destination: false, message: "The merchant's balance with the payout provider is too low" },
  limit_exceeded: { destination: false, message: 'A payout amount or count limit was exceeded' },
  amount_out_of_range: { destination: false, message: 'The amount is outside what the payout provider accepts' },
  method_unavailable: { destination: false, message: 'This payout method is not available for the merchant now' },
  provider_declined: { destination: false, message: 'The payout provider declined the payout' },
  provider_timeout: { destination: false, message: 'The payout provider did not complete the payout in time' },
  not_sent: { destination: false, message: 'The payout never reached the payout provider: nothing was paid' },
  session_expired: { destination: false, message: "The payout link's session ended before the payout was made" },
  cancelled: { destination: false, message: 'The payout was cancelled' },
} as const satisfies Record<string, FailureInfo>;

export type FailureCode = keyof typeof FAILURES;

export function isFailureCode(code: string | null | undefined): code is FailureCode {
  return typeof code === 'string' && Object.hasOwn(FAILURES, code);
}
