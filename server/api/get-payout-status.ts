import type { Handler } from 'hono';
import type { Services } from '../services.ts';
import { expireIfDue, findByOrderNumber, type PayoutRow } from '../engine/payouts.ts';
import type { ApiEnv } from './auth.ts';
import { readJson } from './body.ts';
import { fail, ok } from './envelope.ts';
import { GetPayoutStatusBody } from './schemas.ts';

export function getPayoutStatus(s: Services): Handler<ApiEnv> {
  return async (c) => {
    const body = await readJson(c, GetPayoutStatusBody);
    if (!body.ok) return body.response;
    const found = await findByOrderNumber(s, c.get('merchant').id, body.value.orderNumber);
    if (!found) return fail(c, 'NOT_FOUND', `no payout with orderNumber ${body.value.orderNumber}`);
    return ok(c, statusView(await expireIfDue(s, found)));
  };
}

/** The fields getPayoutStatus and performPayout both answer, as the Quantum Payouts API has them. */
export function payoutSummary(p: PayoutRow) {
  return {
    orderNumber: p.order_number,
    orderStatus: p.status,
    amount: p.amount,
    creationDate: Math.floor(p.created_at / 1000),
    orderId: p.order_id,
  };
}

/** getPayoutStatus's answer. */
export function statusView(p: PayoutRow) {
  const target = p.masked_pan
    ? { maskedPan: p.masked_pan }
    : p.masked_phone
      ? { maskedPhone: p.masked_phone }
      : undefined;
  return {
    ...payoutSummary(p),
    ...(p.description !== null ? { description: p.description } : {}),
    ...((p.destination_type ?? p.type) ? { destination_type: p.destination_type ?? p.type } : {}),
    channel: p.channel,
    ...(target ? { target } : {}),
  };
}
