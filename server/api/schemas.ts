// Request bodies of the merchant API (Quantum Payouts-compatible). Unknown fields are refused so a
// typo never goes unnoticed. Optional fields accept null as "not given".
import * as v from 'valibot';
import { PAYOUT_TYPES } from '../../src/contract/status.ts';
import { safeText } from '../../src/contract/text.ts';

// Checked before trimming: trim() would silently drop a trailing U+2028 or U+FEFF.
export const OrderNumber = (max: number) =>
  v.pipe(
    v.string('must be a string'),
    safeText(),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
  );

export const Amount = v.pipe(
  v.number('must be an integer amount in kopecks'),
  v.integer('must be an integer amount in kopecks'),
  v.minValue(1, 'must be positive'),
  v.maxValue(999_999_999_999, 'must be at most 12 digits'),
);

const Url = v.pipe(
  v.string('must be a string'),
  v.maxLength(2048, 'must be at most 2048 characters'),
  v.url('must be an absolute URL'),
);
const optional = <S extends v.GenericSchema>(s: S) => v.optional(v.nullable(s));

export const Description = (max: number) =>
  v.pipe(v.string('must be a string'), safeText(), v.maxLength(max, `must be at most ${max} characters`));

export const Channel = v.pipe(
  v.string('must be a string'),
  v.regex(/^[a-z0-9_-]{1,32}$/, 'must be 1-32 of a-z 0-9 _ -'),
);

/** The merchant's own id for the recipient: a successful card payout's card is kept for it (saved destinations). */
export const Recipient = v.strictObject(
  {
    id: v.pipe(v.string('must be a string'), v.regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 . _ : -')),
  },
  'must be an object with id',
);

export const CreatePayoutBody = v.strictObject({
  orderNumber: OrderNumber(36),
  amount: Amount,
  urls: v.strictObject({ returnUrl: Url, failUrl: optional(Url) }, 'must be an object with returnUrl'),
  description: optional(Description(600)),
  sessionTimeoutSecs: optional(
    v.pipe(
      v.number('must be an integer number of seconds'),
      v.integer('must be an integer number of seconds'),
      v.minValue(60, 'must be at least 60'),
      v.maxValue(86_400, 'must be at most 86400 (24 hours)'),
    ),
  ),
  type: optional(v.picklist(PAYOUT_TYPES, 'must be "card" or "sbp"')),
  channel: optional(Channel),
  recipient: optional(Recipient),
});

/** The Quantum Payouts API says "up to 32" here but allows 36 on createPayout: 36, so every payout can be looked up. */
export const GetPayoutStatusBody = v.strictObject({ orderNumber: OrderNumber(36) });
