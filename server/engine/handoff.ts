// Hand-off: for a method whose provider collects the recipient's details on its own page
// (capabilities.handoff), our page creates the payout there and sends the recipient on.
//
// Exactly-once, as any submission: the attempt with its idempotency key is committed
// BEFORE the provider is called, and every later call reuses that attempt and key, which
// such a provider answers with the same payment and form url (never a second payment).
// The payout stays `uploaded` (waiting for details) until the provider has answered: only
// then does it move to `created` → `processing` with the provider's reference. So when an
// answer is lost (timeout, crash), the recipient simply tries again from our page, and the
// repeated create with the same key recovers the same payment.
import type { Services } from '../services.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { getMerchant } from '../merchants/store.ts';
import type { ProviderAdapter, SubmitResult } from '../providers/types.ts';
import type { PayoutType } from '../../src/contract/status.ts';
import { methodsFor, routeFor } from './details.ts';
import { applyAnswer, nextSyncAt } from './outcome.ts';
import { expireIfDue, getPayoutById, linkUrlOf, type PayoutRow } from './payouts.ts';
import { transition } from './status-machine.ts';
import { liveAttempt, submitRequest } from './submit.ts';
import { checkTargetUrl, targetPolicy } from '../net/target.ts';

export type HandoffResult =
  | { ok: true; redirectUrl: string }
  | {
      ok: false;
      /** not_waiting: gone, expired or complete; unavailable: not handed over for this payout; not_answering: try again. */
      reason: 'not_waiting' | 'unavailable' | 'not_answering' | 'refused';
      message: string;
    };

/**
 * Starts (or resumes) the hand-off of a payout to the provider routed for `type` and
 * answers where to send the recipient. `returnUrl` is where the provider's page sends the
 * recipient back to: our page for this payout (by default its payoutUrl).
 */
export async function startHandoff(
  s: Services,
  payoutId: number,
  type: PayoutType,
  returnUrl?: string,
): Promise<HandoffResult> {
  const found = await getPayoutById(s, payoutId);
  if (!found) return { ok: false, reason: 'not_waiting', message: 'no such payout' };
  const payout = await expireIfDue(s, found);
  if (payout.status === 'created' || payout.status === 'processing') return resume(s, payout, returnUrl);
  if (payout.status !== 'uploaded') return notWaiting(payout);

  const merchant = await getMerchant(s.db, payout.merchant_id);
  if (!merchant?.active) return { ok: false, reason: 'unavailable', message: 'the merchant cannot make payouts now' };
  const method = methodsFor(s, merchant, payout).find((m) => m.type === type);
  if (!method?.handoff)
    return { ok: false, reason: 'unavailable', message: `${type} is not handed over to another page for this payout` };
  const provider = routeFor(merchant, payout, type)!.provider;
  const adapter = s.providers.get(provider)!;

  const attempt = await recordAttempt(s, payout, provider);
  const answer = await create(s, adapter, payout, attempt.idempotency_key, returnUrl);
  if (answer.status === 'unknown') {
    // Still waiting for details; the next try repeats this attempt with the same key.
    await s.db
      .updateTable('payout_attempts')
      .set({ error: answer.error, updated_at: s.clock.now() })
      .where('id', '=', attempt.id)
      .execute();
    return NOT_ANSWERING;
  }
  const now = s.clock.now();
  await s.db.transaction().execute(async (tx) => {
    await transition(tx, payout.id, 'created', {
      reason: 'handoff_started',
      at: now,
      set: {
        destination_type: type,
        provider,
        next_sync_at: nextSyncAt(s.config.engine, now, 0),
        review_at: now + s.config.engine.reviewAfterMs,
      },
    });
    await applyAnswer(s, tx, payout.id, attempt.id, answer, 'submit');
  });
  return resultOf(s, payout, answer);
}

/** Handed over already: the same attempt and key again give the same payment and url. */
async function resume(s: Services, payout: PayoutRow, returnUrl?: string): Promise<HandoffResult> {
  const adapter = payout.provider ? s.providers.get(payout.provider) : undefined;
  const attempt = await liveAttempt(s, payout.id);
  if (!adapter?.capabilities.handoff || !attempt) return notWaiting(payout);
  const answer = await create(s, adapter, payout, attempt.idempotency_key, returnUrl);
  return answer.status === 'unknown' ? NOT_ANSWERING : resultOf(s, payout, answer);
}

const NOT_ANSWERING: HandoffResult = {
  ok: false,
  reason: 'not_answering',
  message: 'The payout service did not answer. Please try again in a moment.',
};

async function create(
  s: Services,
  adapter: ProviderAdapter,
  payout: PayoutRow,
  idempotencyKey: string,
  returnUrl?: string,
): Promise<SubmitResult> {
  let answer: SubmitResult;
  try {
    answer = await adapter.submit({
      ...submitRequest(s, adapter, payout, idempotencyKey),
      returnUrl: returnUrl ?? linkUrlOf(s, payout),
    });
  } catch (err) {
    answer = { status: 'unknown', error: (err as Error).message };
  }
  s.log.info({ orderId: payout.order_id, provider: adapter.instance, answer: answer.status }, 'payout handed off');
  return answer;
}

function resultOf(s: Services, payout: PayoutRow, answer: SubmitResult): HandoffResult {
  if (answer.status === 'failed' || answer.status === 'cancelled')
    return { ok: false, reason: 'refused', message: 'The payout could not be started. The sender has been notified.' };
  if (!('redirectUrl' in answer) || !answer.redirectUrl)
    return { ok: false, reason: 'not_answering', message: 'the payout service gave no page to continue on' };
  // The recipient is sent there with the payout under way: only to an https page (the
  // provider has the payout all the same; it is neither failed nor sent again).
  const target = checkTargetUrl(answer.redirectUrl, targetPolicy(s.config));
  if (!target.ok) {
    s.log.error({ orderId: payout.order_id, problem: target.reason }, 'hand-off page refused');
    return { ok: false, reason: 'not_answering', message: 'the payout service gave no safe page to continue on' };
  }
  return { ok: true, redirectUrl: answer.redirectUrl };
}

/** The payout's live attempt, or a new one committed now (a concurrent call may win the insert). */
async function recordAttempt(
  s: Services,
  payout: PayoutRow,
  provider: string,
): Promise<{ id: number; idempotency_key: string }> {
  const existing = await liveAttempt(s, payout.id);
  if (existing) return existing;
  const now = s.clock.now();
  try {
    await s.db
      .insertInto('payout_attempts')
      .values({
        payout_id: payout.id,
        attempt_no: 1,
        idempotency_key: `${payout.order_id}.1`,
        provider,
        state: 'pending',
        provider_status: null,
        error: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  return (await liveAttempt(s, payout.id))!;
}

function notWaiting(p: PayoutRow): HandoffResult {
  const message =
    p.status === 'cancelled'
      ? 'the payout link has expired or was cancelled'
      : p.status === 'success' || p.status === 'failed' || p.status === 'refunded'
        ? 'this payout is already complete'
        : 'this payout is not waiting for details';
  return { ok: false, reason: 'not_waiting', message };
}
