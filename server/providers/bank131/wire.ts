// Bank 131 API v1 messages: the payout request we build, the session the bank
// answers or sends in webhooks, and what a session means in our terms.
import * as v from 'valibot';
import type { ProviderOutcome, SubmitRequest } from '../types.ts';
import { failureCode } from './errors.ts';

const BankError = v.looseObject({
  code: v.string(),
  description: v.optional(v.nullable(v.string())),
});

const Refund = v.looseObject({ id: v.optional(v.string()), status: v.optional(v.string()) });

const Payment = v.looseObject({
  id: v.string(),
  status: v.string(),
  amount_details: v.optional(v.nullable(v.looseObject({ amount: v.optional(v.number()) }))),
  error: v.optional(v.nullable(BankError)),
  metadata: v.optional(v.unknown()),
  refunds: v.optional(v.nullable(v.array(Refund))),
});

export const Session = v.looseObject({
  id: v.pipe(v.string(), v.nonEmpty()),
  status: v.string(),
  next_action: v.optional(v.nullable(v.string())),
  error: v.optional(v.nullable(BankError)),
  metadata: v.optional(v.unknown()),
  payments: v.optional(v.nullable(v.array(Payment))),
});
export type Session = v.InferOutput<typeof Session>;

/** Every answer: {status: "ok", session} or {status: "error", error}. */
export const Answer = v.looseObject({
  status: v.optional(v.picklist(['ok', 'error'])),
  session: v.optional(v.nullable(Session)),
  error: v.optional(v.nullable(BankError)),
});
export type Answer = v.InferOutput<typeof Answer>;

export const Webhook = v.looseObject({
  type: v.pipe(v.string(), v.nonEmpty()),
  session: Session,
});
export type Webhook = v.InferOutput<typeof Webhook>;

/** GET fps/banks: the banks Bank 131 pays to over SBP. */
export const BankList = v.looseObject({
  banks: v.array(
    v.looseObject({
      id: v.pipe(v.string(), v.regex(/^\d{1,20}$/)),
      eng_name: v.optional(v.nullable(v.string())),
      ru_name: v.string(),
    }),
  ),
});

const SBP_DESCRIPTION_MAX = 140;

/** The v1 payout fields for session/init/payout or session/start/payout, or why the recipient cannot be paid. */
export function payoutFields(
  req: SubmitRequest,
  sbpDescription: string,
): Record<string, unknown> | { invalid: string } {
  const r = req.recipient;
  if (!r) return { invalid: 'recipient details are required' };
  const fullName = r.fullName?.trim().replace(/\s+/g, ' ');
  const common = {
    amount_details: { amount: req.amount, currency: 'rub' },
    // Echoed back in webhooks: how we find our payout even before we know the session id.
    metadata: req.orderId,
    ...(fullName ? { participant_details: { recipient: { full_name: fullName } } } : {}),
  };
  if (r.type === 'card') {
    if (!fullName) return { invalid: "the recipient's full name is required for card payouts" };
    const number = r.pan.replace(/\D/g, '');
    return { payment_method: { type: 'card', card: { type: 'bank_card', bank_card: { number } } }, ...common };
  }
  const phone = r.phone.replace(/\D/g, '');
  if (!/^7\d{10}$/.test(phone)) return { invalid: 'phone must be 11 digits starting with 7' };
  if (!/^\d{1,20}$/.test(r.bankId)) return { invalid: 'bank id must be the NSPK member id' };
  const description = clip(
    req.description?.trim() || sbpDescription.replaceAll('{orderId}', req.orderId),
    SBP_DESCRIPTION_MAX,
  );
  return {
    payment_method: {
      type: 'bank_account',
      bank_account: {
        system_type: 'faster_payment_system',
        faster_payment_system: { phone, bank_id: r.bankId, description },
      },
    },
    ...common,
  };
}

/** At most `max` characters (code points, so a Cyrillic or emoji text is never cut mid-character). */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max).join('');
}

/** Our order id, from the metadata we sent. */
export function orderIdOf(session: Session): string | undefined {
  const m = session.payments?.[0]?.metadata ?? session.metadata;
  return typeof m === 'string' && m ? m : undefined;
}

const REFUND_DONE = new Set(['accepted', 'succeeded']);

export type SessionView =
  | ProviderOutcome
  /** The session has no payout yet (created, never started). */
  | { status: 'empty'; providerRef: string }
  /** Status `error` (not final) or one we do not know: keep asking. */
  | { status: 'unknown'; error: string; providerRef: string };

/** A session in our terms. `needsConfirm`: the bank waits for session/confirm or session/cancel. */
export function viewSession(s: Session): { view: SessionView; needsConfirm: boolean } {
  const providerRef = s.id;
  const payment = s.payments?.[0];
  const needsConfirm = s.next_action === 'confirm';
  // The amount the bank holds for the payout: the engine compares it with ours.
  const amount = payment?.amount_details?.amount;
  const done = (view: SessionView) => ({
    view: amount !== undefined && view.status !== 'empty' && view.status !== 'unknown' ? { ...view, amount } : view,
    needsConfirm,
  });
  if (payment?.refunds?.some((r) => r.status && REFUND_DONE.has(r.status)))
    return done({ status: 'refunded', providerRef });
  if (payment?.status === 'succeeded') return done({ status: 'success', providerRef });
  if (payment?.status === 'failed') {
    const code = payment.error?.code ?? s.error?.code;
    return done(failedOrCancelled(code, payment.error?.description ?? s.error?.description, providerRef));
  }
  switch (s.status) {
    case 'created':
      return done(payment ? { status: 'processing', providerRef } : { status: 'empty', providerRef });
    case 'in_progress':
      return done({ status: 'processing', providerRef });
    case 'accepted':
      // Done, but the payout result is not in this answer yet: the webhook or the next query tells.
      return done({ status: 'processing', providerRef });
    case 'cancelled':
      return done(failedOrCancelled(s.error?.code ?? 'session_cancelled', s.error?.description, providerRef));
    case 'error':
      return done({ status: 'unknown', error: `session error ${s.error?.code ?? ''} (not final)`.trim(), providerRef });
    default:
      return done({ status: 'unknown', error: `unknown session status ${JSON.stringify(s.status)}`, providerRef });
  }
}

/** Cancelled when we asked for it; any other cancellation (e.g. confirm_timeout) is a failure to pay. */
function failedOrCancelled(
  bankCode: string | undefined,
  description: string | null | undefined,
  providerRef: string,
): ProviderOutcome {
  if (bankCode === 'session_cancelled_by_partner' || bankCode === 'session_cancelled')
    return { status: 'cancelled', code: 'cancelled', providerRef };
  return { status: 'failed', code: failureCode(bankCode), message: description ?? bankCode, providerRef };
}
