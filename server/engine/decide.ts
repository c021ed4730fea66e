// What a provider's answer means for a payout: a pure decision from (answer, what we know
// of the payout, where the answer came from) to a plan, which outcome.ts applies in one
// transaction. The money rule lives here, for every adapter:
//   - only a definite answer (a refusal, or a final status of the payout we submitted)
//     ends a payout;
//   - `unknown` (timeouts, 5xx, 429, auth errors, unreadable answers) never ends one and
//     never starts a new attempt;
//   - `not_found` starts a new attempt only when the provider says it twice, one status
//     check apart, about an attempt it never confirmed; `not_sent` ends that attempt and
//     the next one waits for the next check;
//   - an echoed amount that differs from ours is never taken as paid: review;
//   - an answer that contradicts a final status is kept and put to review, never swallowed;
//   - a definite refusal of the recipient's card or phone (a `destination` failure) while the
//     recipient may still give other details ends only that attempt: the payout stays
//     `processing` and its link waits for another card or phone (another try).
import { FINAL_STATUSES, type PayoutStatus } from '../../src/contract/status.ts';
import { FAILURES, isFailureCode, type FailureCode } from '../../src/contract/failure.ts';
import type { ProviderOutcome, StatusResult, SubmitResult } from '../providers/types.ts';
import type { AttemptState } from '../db/schema.ts';
import { pathTo } from './status-machine.ts';
import type { ReviewReason } from './review.ts';

/** A `resend` is carried out by the engine (the same attempt again), never decided upon. */
export type ProviderAnswer = SubmitResult | Exclude<StatusResult, { status: 'resend' }>;
export type AnswerSource = 'submit' | 'status' | 'callback';

/** What the decision needs to know of the payout when the answer arrives. */
export interface PayoutSnapshot {
  status: PayoutStatus;
  amount: number;
  /** We asked the provider to withdraw it (its link's session ended). */
  withdrawRequested: boolean;
  /** The attempt the answer is about, when known. */
  attempt?: { state: AttemptState; providerStatus: string | null };
  /** Another attempt of this payout may be with the provider (pending or accepted). */
  otherLive: boolean;
  /** The recipient may still give other details: a link payout within its session and its tries. */
  anotherTry?: boolean;
  /** The link waits for other details after a refusal of the last ones. */
  awaitingDetails?: boolean;
}

export interface Plan {
  /** Status steps to walk, each a legal move; [] leaves the status as it is. */
  steps: readonly PayoutStatus[];
  /** History reason of the steps; a failure's last step takes `failure.reason`. */
  reason: string;
  failure?: { code: FailureCode; providerCode: string | null; reason: string };
  /** What to write on the attempt the answer is about. */
  attempt?: { state?: AttemptState; providerStatus?: string; error?: string | null };
  providerRef?: string;
  /** The next status check: after the backoff, at once, or as scheduled (final payouts are never checked). */
  sync: 'later' | 'now' | 'keep';
  /** The attempt surely never reached the provider: a new one may start now. */
  retry: boolean;
  review?: { reason: ReviewReason; detail: Record<string, unknown> };
  /** The provider refused the recipient's details: the link waits for others (no status checks meanwhile). */
  awaitDetails?: { code: FailureCode; providerCode: string | null };
}

const PAID: ReadonlySet<PayoutStatus> = new Set(['success', 'refunded']);
const NOT_PAID: ReadonlySet<PayoutStatus> = new Set(['failed', 'cancelled']);

const isOpen = (status: PayoutStatus) => status === 'created' || status === 'processing';

export function decide(answer: ProviderAnswer, p: PayoutSnapshot, source: AnswerSource): Plan {
  const base: Plan = { steps: [], reason: `${source}:${answer.status}`, sync: 'keep', retry: false };
  const open = isOpen(p.status);
  if (open) base.sync = 'later';
  const a = p.attempt;

  switch (answer.status) {
    case 'unknown':
      // Maybe the provider has it: never submit again blindly; ask it later.
      return {
        ...base,
        reason: 'outcome_unknown',
        steps: p.status === 'created' ? ['processing'] : [],
        // It also breaks a run of "not found": only two in a row count.
        attempt: { providerStatus: 'unknown', error: answer.error },
      };
    case 'not_sent':
      // It never got this attempt: that one is over, and the next waits for the next check (the provider may be down).
      return { ...base, attempt: { state: 'rejected', error: `not_sent: ${answer.error}` } };
    case 'not_found':
      if (!open || !a || a.state === 'rejected') return base;
      if (a.state === 'accepted')
        return { ...base, review: { reason: 'provider_lost', detail: { source, ours: p.status } } };
      // A status lagging behind a create must not pay twice: only a second "not found", one check later, counts.
      if (a.providerStatus !== 'not_found') return { ...base, attempt: { providerStatus: 'not_found' } };
      return { ...base, attempt: { state: 'rejected', error: 'not_found' }, sync: 'now', retry: true };
    default:
      return definite(answer, p, source, base);
  }
}

function definite(answer: ProviderOutcome, p: PayoutSnapshot, source: AnswerSource, base: Plan): Plan {
  // Only the recipient's details move a payout out of `uploaded`.
  if (p.status === 'uploaded') return base;
  const target = answer.status;
  const said = { source, status: target, providerRef: answer.providerRef, amount: answer.amount };
  const refusal = target === 'failed' || target === 'cancelled';
  const gaveUp = p.attempt?.state === 'rejected';

  if (answer.amount !== undefined && answer.amount !== p.amount) {
    // Not our payout as we know it: nothing it says is taken, least of all "paid".
    return {
      ...base,
      reason: 'amount_mismatch',
      steps: p.status === 'created' ? ['processing'] : [],
      attempt: gaveUp ? undefined : { state: 'accepted', providerStatus: target },
      review: { reason: 'amount_mismatch', detail: { ours: { status: p.status, amount: p.amount }, provider: said } },
    };
  }

  if (gaveUp && p.otherLive) {
    // The provider has an attempt we gave up on while another may be with it too.
    if (refusal) return base;
    const plan: Plan = {
      ...base,
      review: { reason: 'duplicate_risk', detail: { ours: { status: p.status }, provider: said } },
    };
    return target === 'processing' ? plan : { ...plan, ...walk(p, target, answer, base.reason) };
  }

  // The refusal we already took as the reason for another try, said again.
  if (refusal && gaveUp && p.awaitingDetails) return base;
  if (target === 'failed' && p.anotherTry && !gaveUp && !p.otherLive && isOpen(p.status)) {
    const failure = failureOf(answer, p.withdrawRequested, base.reason);
    if (FAILURES[failure.code].destination)
      return {
        ...base,
        reason: 'destination_refused',
        steps: pathTo(p.status, 'processing'),
        attempt: { state: 'rejected', providerStatus: target, error: answer.code ?? null },
        sync: 'keep',
        awaitDetails: { code: failure.code, providerCode: failure.providerCode },
      };
  }

  const attempt: Plan['attempt'] = refusal
    ? { state: gaveUp ? undefined : 'rejected', providerStatus: target, error: answer.code ?? null }
    : { state: 'accepted', providerStatus: target, error: null };

  const contradicts = (PAID.has(p.status) && NOT_PAID.has(target)) || (NOT_PAID.has(p.status) && PAID.has(target));
  if (contradicts)
    return {
      ...base,
      attempt,
      review: { reason: 'contradiction', detail: { ours: { status: p.status }, provider: said } },
    };
  // On its way, a step on (success → refunded), or old news (a late `processing`, a repeat: no steps).
  return { ...base, attempt, ...walk(p, target, answer, base.reason) };
}

/** The steps from where the payout is to what the provider says, with the failure when it ends refused. */
function walk(p: PayoutSnapshot, target: ProviderOutcome['status'], answer: ProviderOutcome, reason: string) {
  const steps = pathTo(p.status, target);
  const plan: Partial<Plan> & Pick<Plan, 'steps'> = { steps };
  if (answer.providerRef) plan.providerRef = answer.providerRef;
  if (FINAL_STATUSES.has(steps.at(-1) ?? p.status)) plan.sync = 'keep';
  if (steps.length > 0 && (answer.status === 'failed' || answer.status === 'cancelled')) {
    plan.failure = failureOf(answer, p.withdrawRequested, reason);
  }
  return plan;
}

/**
 * Our code for a refusal: the adapter's when it is one of src/contract/failure.ts, else
 * `provider_declined` (`cancelled` for a cancellation; `session_expired` when we had asked
 * to withdraw it), the provider's own code kept beside it.
 */
function failureOf(
  answer: Extract<ProviderOutcome, { status: 'failed' | 'cancelled' }>,
  withdrawRequested: boolean,
  reason: string,
): NonNullable<Plan['failure']> {
  const given = answer.code;
  const fallback: FailureCode =
    answer.status === 'failed' ? 'provider_declined' : withdrawRequested ? 'session_expired' : 'cancelled';
  const code = isFailureCode(given) ? given : fallback;
  return {
    code,
    providerCode: answer.providerCode ?? (given && !isFailureCode(given) ? given : null),
    reason: given ?? reason,
  };
}
