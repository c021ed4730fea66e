// Payout statuses, as the Quantum Payouts API names them, plus `refunded` (our extension: a
// provider reported a refund after success).
export const PAYOUT_STATUSES = [
  'uploaded',
  'created',
  'processing',
  'success',
  'failed',
  'cancelled',
  'refunded',
] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<PayoutStatus> = new Set(['success', 'failed', 'cancelled', 'refunded']);

export const PAYOUT_TYPES = ['card', 'sbp'] as const;
export type PayoutType = (typeof PAYOUT_TYPES)[number];
