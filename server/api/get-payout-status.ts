import type { Handler } from 'hono';
import type { Services } from '../services.ts';
import { expireIfDue, findByOrderNumber, type PayoutRow } from '../engine/payouts.ts';
import { merchantStatus } from '../lib/merchant-status.ts';
import { destinationView } from '../webhooks/payload.ts';
import type { ApiEnv } from './auth.ts';
import { readJson } from './body.ts';
import { fail, ok } from './envelope.ts';
import { GetPayoutStatusBody } from './schemas.ts';

export function getPayoutStatus(s: Services): Handler<ApiEnv> {
  return async (c) => {
    const body = await readJson(c, GetPayoutStatusBody);
    if (!body.ok) return body.response;
    const merchant = c.get('merchant');
    const found = await findByOrderNumber(s, merchant.id, body.value.orderNumber);
    if (!found) return fail(c, 'NOT_FOUND', `no payout with orderNumber ${body.value.orderNumber}`);
    return ok(c, statusView(await expireIfDue(s, found), merchant.settings.extendedStatuses));
  };
}

/** The fields getPayoutStatus and performPayout both answer, as the Quantum Payouts API has them. */
export function payoutSummary(p: PayoutRow, extendedStatuses: boolean) {
  return {
    orderNumber: p.order_number,
    orderStatus: merchantStatus(p, extendedStatuses).status,
    amount: p.amount,
    creationDate: Math.floor(p.created_at / 1000),
    orderId: p.order_id,
  };
}

/** Payee's additive fields, last in both answers: why it failed, when it was refunded, the saved destination. */
export function payoutAdditions(p: PayoutRow, extendedStatuses: boolean) {
  const { failure, refund } = merchantStatus(p, extendedStatuses);
  const destination = destinationView(p);
  return { ...(failure ? { failure } : {}), ...(refund ? { refund } : {}), ...(destination ? { destination } : {}) };
}

/** getPayoutStatus's answer. */
export function statusView(p: PayoutRow, extendedStatuses: boolean) {
  const target = p.masked_pan
    ? { maskedPan: p.masked_pan }
    : p.masked_phone
      ? { maskedPhone: p.masked_phone }
      : undefined;
  return {
    ...payoutSummary(p, extendedStatuses),
    ...(p.description !== null ? { description: p.description } : {}),
    ...((p.destination_type ?? p.type) ? { destination_type: p.destination_type ?? p.type } : {}),
    channel: p.channel,
    ...(target ? { target } : {}),
    ...payoutAdditions(p, extendedStatuses),
  };
}
