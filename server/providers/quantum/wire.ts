// The Quantum Payouts API (seed 000): the performPayout body we build, and what its
// answers and payout.status_changed webhooks mean in our terms. Pure: no I/O.
import * as v from 'valibot';
import type { ProviderOutcome, StatusResult, SubmitRequest } from '../types.ts';
import { inconclusiveStatus } from '../http.ts';

/** Statuses the account documents ("e.g."): any other string is read as still processing. */
export function outcomeOf(status: string, reported: { providerRef?: string; amount?: number } = {}): ProviderOutcome {
  if (status === 'success') return { status: 'success', ...reported };
  if (status === 'failed')
    return {
      status: 'failed',
      code: 'upstream_failed',
      message: 'the upstream account reports the payout failed',
      ...reported,
    };
  if (status === 'cancelled') return { status: 'cancelled', code: 'upstream_cancelled', ...reported };
  return { status: 'processing', ...reported };
}

/** performPayout's body, or why the payout cannot go to this account. */
export function performBody(
  req: SubmitRequest,
  defaultDescription: string,
): { body: Record<string, unknown> } | { invalid: string; code: string } {
  const r = req.recipient;
  if (r?.type !== 'card')
    return { invalid: 'the upstream account pays out to cards only', code: 'method_not_supported' };
  // orderNumber is what makes performPayout idempotent; the account takes at most 32 characters.
  if (req.orderId.length > 32) return { invalid: 'order id longer than 32 characters', code: 'invalid_request' };
  return {
    body: {
      orderNumber: req.orderId,
      amount: req.amount,
      description: (req.description ?? defaultDescription).slice(0, 600),
      target: { pan: r.pan },
    },
  };
}

const Envelope = v.looseObject({ result: v.looseObject({ error: v.string(), message: v.nullish(v.string()) }) });
const PayoutAnswer = v.looseObject({
  orderNumber: v.string(),
  orderStatus: v.string(),
  amount: v.optional(v.pipe(v.number(), v.integer())),
  orderId: v.nullish(v.union([v.string(), v.number()])),
});
export const FeaturesAnswer = v.looseObject({
  result: v.looseObject({ error: v.literal('0') }),
  features: v.looseObject({ card_payouts: v.boolean(), sbp_payouts: v.optional(v.boolean()) }),
});

export type Answer = Exclude<StatusResult, { status: 'resend' }>;

/** Worth asking again at once (after a back-off): the account throttled us or failed midway. */
export function isRetryable(httpStatus: number): boolean {
  return httpStatus === 429 || httpStatus >= 500;
}

/**
 * An answer of performPayout or getPayoutStatus about `orderId`, with the account's error
 * code. Only an answer in the documented envelope counts: anything else (a proxy's page,
 * 429, 5xx, a refused token) proves nothing and is unknown.
 */
export function readAnswer(
  httpStatus: number,
  json: unknown,
  what: 'performPayout' | 'getPayoutStatus',
  orderId: string,
): { answer: Answer; code: string | null } {
  const env = v.safeParse(Envelope, json);
  const code = env.success ? env.output.result.error : null;
  const doubt = inconclusiveStatus(httpStatus);
  if (doubt || !env.success || code === 'INTERNAL_ERROR')
    return {
      answer: { status: 'unknown', error: `${what}: ${doubt ?? `HTTP ${httpStatus}`} ${code ?? 'no result envelope'}` },
      code,
    };
  if (code === '0' && httpStatus < 300) {
    const p = v.safeParse(PayoutAnswer, json);
    if (!p.success || p.output.orderNumber !== orderId)
      return { answer: { status: 'unknown', error: `${what}: unexpected answer` }, code };
    const ref = p.output.orderId === null || p.output.orderId === undefined ? undefined : String(p.output.orderId);
    const reported = {
      ...(ref ? { providerRef: ref } : {}),
      ...(p.output.amount === undefined ? {} : { amount: p.output.amount }),
    };
    return { answer: outcomeOf(p.output.orderStatus, reported), code };
  }
  if (what === 'getPayoutStatus') {
    // Safe to take: performPayout is idempotent per orderNumber, so a new attempt cannot pay twice.
    if (httpStatus === 404 || /NOT_FOUND/.test(code ?? '')) return { answer: { status: 'not_found' }, code };
    return { answer: { status: 'unknown', error: `${what}: HTTP ${httpStatus} ${code ?? ''}`.trim() }, code };
  }
  // performPayout refused in words: it was not sent to the bank.
  const message = (env.success ? env.output.result.message : null) ?? `HTTP ${httpStatus}`;
  return { answer: { status: 'failed', code: `upstream_${(code ?? 'rejected').toLowerCase()}`, message }, code };
}

export const Webhook = v.looseObject({
  event: v.string(),
  eventId: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  payout: v.looseObject({
    id: v.union([v.number(), v.string()]),
    externalId: v.nullable(v.string()),
    status: v.string(),
    amount: v.optional(v.pipe(v.number(), v.integer())),
    currency: v.optional(v.string()),
  }),
});
export type Webhook = v.InferOutput<typeof Webhook>;

/** What a webhook says about one of our payouts (undefined: not about ours, e.g. a payout made by hand). */
export function webhookOutcome(hook: Webhook): { orderId: string; outcome: ProviderOutcome } | undefined {
  if (hook.event !== 'payout.status_changed' || hook.payout.externalId === null) return undefined;
  const amount = hook.payout.amount;
  return {
    orderId: hook.payout.externalId,
    outcome: outcomeOf(hook.payout.status, amount === undefined ? {} : { amount }),
  };
}
