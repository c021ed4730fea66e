// The P2P gateway's messages (seed 001): the create_pay_out body we build, and what its
// answers, status answers and callbacks mean in our terms. Pure: no I/O.
import * as v from 'valibot';
import type { ProviderOutcome, StatusResult, SubmitRequest, SubmitResult } from '../types.ts';
import { decimalToKopecks, kopecksToDecimal } from '../amount.ts';
import { inconclusiveStatus, isObject } from '../http.ts';
import { findBank } from '../../../src/contract/banks.ts';
import { failureCodeFor, P2P_FAILURE_MESSAGES } from './errors.ts';
import { payoutSign } from './signature.ts';

export const GATEWAY_STATUSES = [
  'expectation',
  'successful',
  'rejected_timeout',
  'rejected_merchant',
  'rejected_gate',
] as const;
export type GatewayStatus = (typeof GATEWAY_STATUSES)[number];

interface Reported {
  providerRef?: string;
  amount?: number;
}

/** The gateway's status in our terms. rejected_merchant is our own cancellation taking effect. */
export function outcomeOf(status: GatewayStatus, reported: Reported = {}): ProviderOutcome {
  switch (status) {
    case 'expectation':
      return { status: 'processing', ...reported };
    case 'successful':
      return { status: 'success', ...reported };
    case 'rejected_merchant':
      return { status: 'cancelled', code: status, ...reported };
    default:
      return { status: 'failed', code: status, message: P2P_FAILURE_MESSAGES[status].en, ...reported };
  }
}

export interface PayoutSettings {
  signKey: string;
  payoutTimeoutMinutes?: number;
  bikByBankId: Record<string, string>;
}

/** The create_pay_out body, signed; or why this recipient cannot be sent. */
export function payoutBody(
  req: SubmitRequest,
  callbacks: { success: string; error: string },
  o: PayoutSettings,
): { body: Record<string, unknown> } | { invalid: string } {
  const r = req.recipient;
  if (!r) return { invalid: 'recipient details are required' };
  const fiatAmount = kopecksToDecimal(req.amount);
  const fiatCurrency = req.currency.toLowerCase();
  const body: Record<string, unknown> = {
    order_id: req.orderId,
    payment_method: r.type,
    fiat_amount: fiatAmount,
    fiat_currency: fiatCurrency,
    success_callback_url: callbacks.success,
    error_callback_url: callbacks.error,
  };
  if (o.payoutTimeoutMinutes) body.timeout = o.payoutTimeoutMinutes;
  if (req.description) body.order_description = req.description.slice(0, 8000);
  if (r.fullName) body.full_name = r.fullName.slice(0, 128);
  let requisite: string;
  if (r.type === 'card') {
    // The gateway documents string(16); Mir and Visa can be up to 19 digits: we pass what was entered.
    requisite = body.number_card = r.pan;
  } else {
    requisite = body.phone_number = r.phone.replace(/\D/g, '');
    const bankName = findBank(r.bankId)?.nameEn ?? r.bankName;
    if (!bankName) return { invalid: `unknown SBP bank ${r.bankId}` };
    body.bank_name = bankName.slice(0, 72);
    const bik = o.bikByBankId[r.bankId];
    if (bik) body.bik = bik;
  }
  body.sign = payoutSign({ orderId: req.orderId, fiatAmount, requisite, fiatCurrency }, o.signKey);
  return { body };
}

/** The amount an answer echoes, in kopecks; null when it names one we cannot read. */
function echoedAmount(answer: Record<string, unknown>): { amount?: number } | null {
  if (answer.fiat_amount === undefined || answer.fiat_amount === null) return {};
  const amount = typeof answer.fiat_amount === 'string' ? decimalToKopecks(answer.fiat_amount) : null;
  return amount === null ? null : { amount };
}

export type CreateAnswer = SubmitResult & { rejectUrl?: string };

/** create_pay_out's answer. Only a refusal the gateway states in words fails a payout. */
export function readCreateAnswer(httpStatus: number, json: unknown, text: string): CreateAnswer {
  const doubt = inconclusiveStatus(httpStatus);
  if (doubt) return { status: 'unknown', error: `create_pay_out: ${doubt}` };
  const answer = isObject(json) ? json : undefined;
  if (!answer) return { status: 'unknown', error: `create_pay_out: HTTP ${httpStatus}, not a JSON object` };
  if (httpStatus >= 200 && httpStatus < 300 && answer.ok !== false) {
    if (typeof answer.internal_transaction_id !== 'string' || !answer.internal_transaction_id)
      return { status: 'unknown', error: 'create_pay_out: accepted without a transaction id' };
    const echoed = echoedAmount(answer);
    if (!echoed) return { status: 'unknown', error: 'create_pay_out: fiat_amount not readable' };
    const rejectUrl = typeof answer.reject_callback_url === 'string' ? answer.reject_callback_url : undefined;
    return { status: 'processing', providerRef: answer.internal_transaction_id, ...echoed, rejectUrl };
  }
  const errorText = errorTextOf(answer, text);
  // The order already exists there: an earlier attempt arrived. Its callback tells.
  if (/already exists|duplicate/i.test(errorText)) return { status: 'unknown', error: `create_pay_out: ${errorText}` };
  if (httpStatus < 400) return { status: 'unknown', error: `create_pay_out: HTTP ${httpStatus} ${errorText}` };
  const code = failureCodeFor(errorText);
  return { status: 'failed', code, message: P2P_FAILURE_MESSAGES[code].en };
}

const StatusAnswer = v.looseObject({
  order_id: v.union([v.string(), v.number()]),
  status: v.picklist(GATEWAY_STATUSES),
});

/**
 * status_pay_out's answer about `orderId`. The gateway defines no "not found", so a 404
 * (or its text) is never taken as "it never got the payout": it may be a lookup by the
 * wrong id, a rate limit or a key problem. Such answers are unknown: never an end, never
 * a new create.
 */
export function readStatusAnswer(
  httpStatus: number,
  json: unknown,
  orderId: string,
  providerRef?: string,
): StatusResult {
  const answer = isObject(json) ? json : {};
  const text = errorTextOf(answer, '');
  if (httpStatus === 401 || httpStatus === 403 || /api.?key|unauthori|forbidden/i.test(text))
    return { status: 'unknown', error: `status_pay_out: our X-Api-Key was refused (HTTP ${httpStatus} ${text})` };
  const doubt = inconclusiveStatus(httpStatus);
  if (doubt) return { status: 'unknown', error: `status_pay_out: ${doubt}` };
  if (httpStatus === 404 || /not.?found/i.test(text))
    return { status: 'unknown', error: `status_pay_out: the gateway does not find it (HTTP ${httpStatus} ${text})` };
  const parsed = v.safeParse(StatusAnswer, answer);
  if (httpStatus < 200 || httpStatus >= 300 || answer.ok === false || !parsed.success)
    return { status: 'unknown', error: `status_pay_out: unexpected answer (HTTP ${httpStatus})` };
  if (String(parsed.output.order_id) !== orderId)
    return { status: 'unknown', error: 'status_pay_out: the answer is about another order' };
  const echoed = echoedAmount(answer);
  if (!echoed) return { status: 'unknown', error: 'status_pay_out: fiat_amount not readable' };
  return outcomeOf(parsed.output.status, { ...(providerRef ? { providerRef } : {}), ...echoed });
}

export const CallbackBody = v.looseObject({
  order_id: v.optional(v.union([v.string(), v.number()])),
  type: v.optional(v.string()),
  status: v.picklist(GATEWAY_STATUSES),
  fiat_amount: v.optional(v.nullable(v.string())),
});

/** What a callback body claims, with the amount it echoes; or what is wrong with it. */
export function readCallback(
  json: unknown,
): { orderId?: string; outcome: ProviderOutcome; status: GatewayStatus } | { invalid: string } {
  const body = v.safeParse(CallbackBody, json);
  if (!body.success) return { invalid: `callback: ${v.summarize(body.issues)}` };
  const echoed = echoedAmount(body.output);
  if (!echoed) return { invalid: 'callback: fiat_amount is not an amount' };
  const orderId = body.output.order_id === undefined ? undefined : String(body.output.order_id);
  return { orderId, status: body.output.status, outcome: outcomeOf(body.output.status, echoed) };
}

/** Which callback URL a status belongs to: the gateway sends `successful` to the success URL only. */
export function callbackKindOf(status: GatewayStatus): 'success' | 'error' | undefined {
  if (status === 'successful') return 'success';
  return status === 'expectation' ? undefined : 'error';
}

/** The reject_callback_url the gateway gave, when it is on the gateway's own origin (it receives our X-Api-Key). */
export function sameOrigin(url: string | undefined, baseUrl: string): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin === new URL(baseUrl).origin ? url : undefined;
  } catch {
    return undefined;
  }
}

export function errorTextOf(answer: Record<string, unknown>, fallback: string): string {
  for (const key of ['error', 'message', 'detail', 'errors']) {
    const value = answer[key];
    if (typeof value === 'string' && value) return value;
    if (Array.isArray(value) && typeof value[0] === 'string') return value.join('; ');
  }
  return fallback || 'unknown error';
}
