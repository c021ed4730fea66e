// POST /api/v1/performPayout: an immediate card payout (Quantum Payouts-compatible).
import type { Handler } from 'hono';
import * as v from 'valibot';
import type { Services } from '../services.ts';
import { luhnValid, normalizePan } from '../../src/contract/card.ts';
import { FullName as RecipientName } from '../../src/contract/recipient.ts';
import { DESTINATION_TOKEN } from '../merchants/destinations.ts';
import { performDirectPayout, type DirectPayoutRefusal } from '../engine/perform.ts';
import type { PayoutRow } from '../engine/payouts.ts';
import type { ApiEnv } from './auth.ts';
import { readJson } from './body.ts';
import { fail, ok, type ApiErrorCode } from './envelope.ts';
import { payoutAdditions, payoutSummary } from './get-payout-status.ts';
import { Amount, Description, OrderNumber, Recipient } from './schemas.ts';

// Messages never repeat the number itself.
const Pan = v.pipe(
  v.string('must be a string of digits'),
  v.transform(normalizePan),
  v.regex(/^\d{13,19}$/, 'must be 13-19 digits'),
  v.check(luhnValid, 'is not a valid card number (checksum)'),
);

/** The page's full-name rule (src/contract/recipient.ts), with messages for developers. */
const FullName = v.pipe(
  v.string('must be a string'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const r = v.safeParse(RecipientName, dataset.value, { abortPipeEarly: true });
    if (r.success) return r.output;
    addIssue({
      message:
        r.issues[0].message === 'name_required'
          ? 'must not be empty'
          : "must be the recipient's first and last name: two or more words of letters, up to 100 characters",
    });
    return NEVER;
  }),
);

/** A saved destination's token (getPayoutStatus's destination.token), in place of the card number. */
const DestinationToken = v.pipe(
  v.string('must be a string'),
  v.regex(DESTINATION_TOKEN, 'must be a destination token (dst_ and 22 characters)'),
);

export const PerformPayoutBody = v.strictObject({
  orderNumber: OrderNumber(32),
  amount: Amount,
  description: v.pipe(Description(600), v.trim(), v.minLength(1, 'must not be empty')),
  recipient: v.optional(v.nullable(Recipient)),
  target: v.pipe(
    v.strictObject(
      { pan: v.optional(Pan), token: v.optional(DestinationToken), fullName: v.optional(v.nullable(FullName)) },
      'must be an object with pan or token (and optionally fullName)',
    ),
    v.forward(
      v.check((t) => t.pan !== undefined || t.token !== undefined, 'is required (or target.token)'),
      ['pan'],
    ),
    v.forward(
      v.check((t) => t.pan === undefined || t.token === undefined, 'must not be given with target.pan'),
      ['token'],
    ),
  ),
});

const REFUSALS: Record<DirectPayoutRefusal | 'conflict', ApiErrorCode> = {
  conflict: 'CONFLICT',
  not_enabled: 'PERMISSION_DENIED',
  provider_unavailable: 'PERMISSION_DENIED',
  needs_provider_page: 'PERMISSION_DENIED',
  needs_full_name: 'PERMISSION_DENIED',
  amount_out_of_range: 'VALIDATION_ERROR',
  unknown_destination: 'NOT_FOUND',
  revoked_destination: 'VALIDATION_ERROR',
};

export function performPayout(s: Services): Handler<ApiEnv> {
  return async (c) => {
    const body = await readJson(c, PerformPayoutBody);
    if (!body.ok) return body.response;
    const b = body.value;
    const merchant = c.get('merchant');
    const r = await performDirectPayout(s, merchant, {
      orderNumber: b.orderNumber,
      amount: b.amount,
      description: b.description,
      fullName: b.target.fullName ?? undefined,
      recipientRef: b.recipient?.id,
      ...(b.target.token !== undefined ? { destinationToken: b.target.token } : { pan: b.target.pan! }),
    });
    if (!r.ok) return fail(c, REFUSALS[r.reason], r.message);
    return ok(c, performView(r.payout, merchant.settings.extendedStatuses));
  };
}

/** performPayout's answer, as the Quantum Payouts API has it (plus the additive failure and refund). */
export function performView(p: PayoutRow, extendedStatuses: boolean) {
  return {
    ...payoutSummary(p, extendedStatuses),
    ...(p.masked_pan ? { target: { maskedPan: p.masked_pan } } : {}),
    ...payoutAdditions(p, extendedStatuses),
  };
}
