// What a merchant sees of a payout's state, the same in the API (getPayoutStatus,
// performPayout) and in the webhook: one of the six statuses of the Quantum Payouts API
// unless the merchant opted into Payee's extended set (which adds `refunded`), plus two
// additive objects that clients written to that API simply ignore:
//   failure: {code, message}  why a failed or cancelled payout ended (src/contract/failure.ts)
//   refund: {refundDate}      when the provider reported that a paid payout came back
import { FAILURES, isFailureCode, type FailureCode } from '../../src/contract/failure.ts';
import type { PayoutStatus } from '../../src/contract/status.ts';

/** The columns a merchant's view is made from. */
export interface StatusFacts {
  status: PayoutStatus;
  failure_code: string | null;
  status_reason: string | null;
  updated_at: number;
}

export interface MerchantStatus {
  status: PayoutStatus;
  failure?: { code: FailureCode; message: string };
  refund?: { refundDate: number };
}

export function merchantStatus(p: StatusFacts, extendedStatuses: boolean): MerchantStatus {
  const view: MerchantStatus = { status: p.status === 'refunded' && !extendedStatuses ? 'success' : p.status };
  if (p.status === 'failed' || p.status === 'cancelled') {
    const code = failureCode(p);
    view.failure = { code, message: FAILURES[code].message };
  }
  // Refunded is final: its last change is the refund.
  if (p.status === 'refunded') view.refund = { refundDate: Math.floor(p.updated_at / 1000) };
  return view;
}

/** Payouts that ended before codes were kept have only the history reason to go by. */
function failureCode(p: StatusFacts): FailureCode {
  if (isFailureCode(p.failure_code)) return p.failure_code;
  if (isFailureCode(p.status_reason)) return p.status_reason;
  return p.status === 'failed' ? 'provider_declined' : 'cancelled';
}
