// The payments platform's messages: the payout we create, and what its payment objects
// mean in our terms. Pure: no I/O.
import * as v from 'valibot';
import type { ProviderOutcome, StatusResult, SubmitRequest, SubmitResult } from '../types.ts';
import { decimalToKopecks, kopecksToDecimal } from '../amount.ts';
import { inconclusiveStatus, isObject } from '../http.ts';

const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export const Payment = v.looseObject({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  status: v.picklist(PAYMENT_STATUSES),
  url: v.optional(v.string()),
  externalId: v.nullish(v.string()),
  amount: v.optional(v.string()),
  currency: v.optional(v.string()),
  type: v.optional(v.string()),
});
/** The webhook body is not documented: a payment object, bare or under `data`/`payment`/`object`. */
const WebhookId = v.looseObject({ id: v.string() });

export function outcomeOf(
  status: (typeof PAYMENT_STATUSES)[number],
  providerRef: string,
  amount?: number,
): ProviderOutcome {
  const reported = { providerRef, ...(amount === undefined ? {} : { amount }) };
  if (status === 'succeeded') return { status: 'success', ...reported };
  if (status === 'failed')
    return {
      status: 'failed',
      code: 'platform_failed',
      message: 'the payments platform reports the payout failed',
      ...reported,
    };
  return { status: 'processing', ...reported };
}

/** POST /api/payments: a payout whose details the platform's own form collects. */
export function paymentBody(req: SubmitRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    amount: kopecksToDecimal(req.amount),
    currency: req.currency,
    type: 'payout',
    externalId: req.orderId,
    webhookUrl: `${req.callbackUrl}/${encodeURIComponent(req.orderId)}`,
    metadata: { orderId: req.orderId },
  };
  if (req.description) body.description = req.description.slice(0, 255);
  if (req.returnUrl) body.redirectUrl = req.returnUrl;
  return body;
}

/** The create answer. A refusal the platform states (4xx but 401/403/409/429) fails; anything unclear is unknown. */
export function readCreateAnswer(httpStatus: number, json: unknown, req: SubmitRequest): SubmitResult {
  const doubt = inconclusiveStatus(httpStatus) ?? (httpStatus === 409 ? 'HTTP 409' : undefined);
  if (doubt) return { status: 'unknown', error: `create payment: ${doubt}` };
  if (httpStatus >= 400)
    return { status: 'failed', code: 'platform_rejected', message: messageOf(json) ?? `HTTP ${httpStatus}` };
  const p = v.safeParse(Payment, json);
  if (!p.success || p.output.externalId !== req.orderId || !p.output.url)
    return { status: 'unknown', error: 'create payment: unexpected answer' };
  const amount = decimalToKopecks(p.output.amount ?? '');
  if (amount !== req.amount)
    return { status: 'unknown', error: 'create payment: the platform answered another amount' };
  return { ...outcomeOf(p.output.status, p.output.id, amount), redirectUrl: p.output.url };
}

/** GET /api/payments/:id, with the order it is for; the amount it holds is passed on for the engine to compare. */
export function readPayment(
  httpStatus: number,
  json: unknown,
  orderId?: string,
): Exclude<StatusResult, { status: 'resend' }> & { orderId?: string } {
  if (httpStatus === 404) return { status: 'not_found' };
  if (httpStatus !== 200) return { status: 'unknown', error: `get payment: HTTP ${httpStatus}` };
  const p = v.safeParse(Payment, json);
  if (
    !p.success ||
    !p.output.externalId ||
    (orderId && p.output.externalId !== orderId) ||
    (p.output.type && p.output.type !== 'payout')
  ) {
    return { status: 'unknown', error: 'get payment: unexpected answer' };
  }
  const amount = p.output.amount === undefined ? undefined : decimalToKopecks(p.output.amount);
  if (amount === null) return { status: 'unknown', error: 'get payment: amount not readable' };
  return { ...outcomeOf(p.output.status, p.output.id, amount), orderId: p.output.externalId };
}

/** The payment id a webhook names. */
export function webhookPaymentId(json: unknown): string | undefined {
  const inner = isObject(json) ? ([json.data, json.payment, json.object].find(isObject) ?? json) : json;
  const named = v.safeParse(WebhookId, inner);
  return named.success ? named.output.id : undefined;
}

export function messageOf(json: unknown): string | undefined {
  if (!isObject(json)) return undefined;
  for (const key of ['message', 'error', 'detail']) {
    const value = json[key];
    if (typeof value === 'string' && value) return value.slice(0, 300);
    if (isObject(value) && typeof value.message === 'string') return value.message.slice(0, 300);
  }
  return undefined;
}
