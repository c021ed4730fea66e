// Bank 131 error codes in our failure codes. The bank may add or change codes
// without notice: anything not listed here is a generic `provider_error`.

const FAILURE_CODES: Readonly<Record<string, string>> = {
  card_number_does_not_exist: 'invalid_card',
  bank_card_expired: 'card_expired',
  account_not_found: 'recipient_not_found',
  declined_by_issuer_bank: 'card_declined',
  not_permitted_by_issuer_bank: 'card_declined',
  operation_rejected: 'declined',
  insufficient_funds: 'insufficient_funds',
  insufficient_wallet_balance: 'insufficient_funds',
  activity_count_exceeded: 'limit_exceeded',
  provider_exceeds_amount_limit: 'limit_exceeded',
  amount_less_allowed_provider: 'amount_out_of_range',
  provider_internal_error: 'provider_unavailable',
  provider_issuer_unavailable: 'provider_unavailable',
  provider_timeout: 'provider_unavailable',
  invalid_request: 'invalid_request',
  identification_error: 'provider_auth_error',
  authentication_error: 'provider_auth_error',
  authorization_error: 'provider_auth_error',
  confirm_timeout: 'confirm_timeout',
  session_cancelled: 'cancelled',
  session_cancelled_by_partner: 'cancelled',
};

const GENERIC_FAILURE = 'provider_error';

export function failureCode(bankCode: string | undefined | null): string {
  return (bankCode && Object.hasOwn(FAILURE_CODES, bankCode) && FAILURE_CODES[bankCode]) || GENERIC_FAILURE;
}

/**
 * Refusals that do not prove the bank has nothing: the payout may exist (a reused
 * idempotency key, a state conflict) or the bank failed midway. Reconcile by status.
 */
const INCONCLUSIVE = new Set(['internal_error', 'idempotency_key_already_exists', 'session_wrong_state']);

export function isInconclusive(bankCode: string): boolean {
  return INCONCLUSIVE.has(bankCode);
}
