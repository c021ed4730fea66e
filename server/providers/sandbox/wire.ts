// The sandbox's messages: what a payout it received means now, and its callbacks. Pure.
import * as v from 'valibot';
import type { ProviderOutcome } from '../types.ts';
import type { Behaviour } from './outcomes.ts';

/** A payout the sandbox received, as its state file keeps it. */
export interface Received {
  idempotency_key: string;
  order_id: string;
  ref: string;
  behaviour: string;
  amount: number;
  created_at: number;
}

/** Where a received payout stands at `now`: declined at once, or processing for delayMs, then its outcome; it echoes the amount. */
export function outcomeOf(row: Received, now: number, delayMs: number): ProviderOutcome {
  const b = JSON.parse(row.behaviour) as Behaviour;
  const reported = { providerRef: row.ref, amount: row.amount };
  if (b.kind === 'decline')
    return { status: 'failed', code: b.code, message: 'declined by the sandbox test data', ...reported };
  if (b.kind === 'stuck' || now - row.created_at < delayMs) return { status: 'processing', ...reported };
  if (b.kind === 'fail_later') return { status: 'failed', code: b.code, ...reported };
  return { status: 'success', ...reported };
}

export const CallbackBody = v.strictObject({
  orderId: v.string(),
  idempotencyKey: v.string(),
  ref: v.string(),
  status: v.picklist(['success', 'failed']),
  code: v.optional(v.string()),
  amount: v.optional(v.pipe(v.number(), v.integer())),
});
export type CallbackBody = v.InferOutput<typeof CallbackBody>;

/** The callback the sandbox sends when a payout finishes. */
export function callbackBody(row: Received, behaviour: Behaviour): string {
  return JSON.stringify({
    orderId: row.order_id,
    idempotencyKey: row.idempotency_key,
    ref: row.ref,
    status: behaviour.kind === 'fail_later' ? 'failed' : 'success',
    ...(behaviour.kind === 'fail_later' ? { code: behaviour.code } : {}),
    amount: row.amount,
  });
}

export function callbackOutcome(body: CallbackBody): ProviderOutcome {
  const reported = { providerRef: body.ref, ...(body.amount === undefined ? {} : { amount: body.amount }) };
  return body.status === 'success'
    ? { status: 'success', ...reported }
    : { status: 'failed', code: body.code ?? 'failed', ...reported };
}
