// POST /api/v1/performPayout: an immediate card payout (Quantum Payouts-compatible).
import type { Handler } from 'hono';
import * as v from 'valibot';
import type { Services } from '../services.ts';
import { luhnValid, normalizePan } from '../../src/contract/card.ts';
import { performDirectPayout } from '../engine/perform.ts';
import type { PayoutRow } from '../engine/payouts.ts';
import type { ApiEnv } from './auth.ts';
import { readJson } from './body.ts';
import { fail, ok } from './envelope.ts';
import { payoutSummary } from './get-payout-status.ts';
import { Amount, Description, OrderNumber } from './schemas.ts';

// Messages never repeat the number itself.
const Pan = v.pipe(
  v.string('must be a string of digits'),
  v.transform(normalizePan),
  v.regex(/^\d{13,19}$/, 'must be 13-19 digits'),
  v.check(luhnValid, 'is not a valid card number (checksum)'),
);

export const PerformPayoutBody = v.strictObject({
  orderNumber: OrderNumber(32),
  amount: Amount,
  description: v.pipe(Description(600), v.trim(), v.minLength(1, 'must not be empty')),
  target: v.strictObject({ pan: Pan }, 'must be an object with pan'),
});

export function performPayout(s: Services): Handler<ApiEnv> {
  return async (c) => {
    const body = await readJson(c, PerformPayoutBody);
    if (!body.ok) return body.response;
    const b = body.value;
    const r = await performDirectPayout(s, c.get('merchant'), {
      orderNumber: b.orderNumber,
      amount: b.amount,
      description: b.description,
      pan: b.target.pan,
    });
    if (r.kind === 'refused') return fail(c, r.code, r.message);
    if (r.kind === 'conflict')
      return fail(c, 'CONFLICT', `orderNumber ${b.orderNumber} is already used by a different payout`);
    return ok(c, performView(r.payout));
  };
}

/** performPayout's answer, as the Quantum Payouts API has it. */
export function performView(p: PayoutRow) {
  return {
    ...payoutSummary(p),
    ...(p.masked_pan ? { target: { maskedPan: p.masked_pan } } : {}),
  };
}
