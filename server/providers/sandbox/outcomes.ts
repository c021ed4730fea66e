// The sandbox's test data: which card numbers and phones lead to which outcome.
// Documented in the README ("Sandbox test data"); keep the two in step.

export type Behaviour =
  /** Accepted, `processing` for delayMs, then `success`. */
  | { kind: 'success' }
  /** Refused at once with this code. */
  | { kind: 'decline'; code: string }
  /** Accepted, `processing` for delayMs, then `failed` with this code. */
  | { kind: 'fail_later'; code: string }
  /** Accepted and never finishes. */
  | { kind: 'stuck' }
  /** Accepted (it will succeed), but the answer is lost: submit reports `unknown`. */
  | { kind: 'commit_then_timeout' }
  /** The request never arrives: submit reports `unknown`, status says not found; the next attempt succeeds. */
  | { kind: 'lost_once' };

export const CARD_BEHAVIOUR: Readonly<Record<string, Behaviour>> = {
  '4111111111111111': { kind: 'success' },
  '2200000000000004': { kind: 'success' },
  '4000000000000002': { kind: 'decline', code: 'insufficient_funds' },
  '4000000000000010': { kind: 'decline', code: 'card_declined' },
  '4000000000000028': { kind: 'stuck' },
  '4000000000000036': { kind: 'commit_then_timeout' },
  '4000000000000044': { kind: 'lost_once' },
  '4000000000000051': { kind: 'fail_later', code: 'limit_exceeded' },
};

/** Phones as 11 digits starting with 7 (+7 900 000-00-01 → 79000000001). */
export const PHONE_BEHAVIOUR: Readonly<Record<string, Behaviour>> = {
  '79000000001': { kind: 'success' },
  '79000000002': { kind: 'decline', code: 'recipient_not_found' },
  '79000000003': { kind: 'stuck' },
  '79000000004': { kind: 'commit_then_timeout' },
  '79000000005': { kind: 'fail_later', code: 'bank_rejected' },
};

/** Every other valid card or phone succeeds. */
export function behaviourFor(recipient: { type: 'card'; pan: string } | { type: 'sbp'; phone: string }): Behaviour {
  const table = recipient.type === 'card' ? CARD_BEHAVIOUR : PHONE_BEHAVIOUR;
  const key = recipient.type === 'card' ? recipient.pan : recipient.phone;
  return table[key] ?? { kind: 'success' };
}
