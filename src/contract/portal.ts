// What the merchant portal's webhook settings accept, as JSON or as a form (where a flag
// arrives as text): POST /api/v1/webhook_save and the portal's own webhook page.
import * as v from 'valibot';

/** true/false, or a form's "true", "false", "1", "0", "on", "off". */
export const Flag = v.union(
  [
    v.boolean(),
    v.pipe(
      v.picklist(['true', 'false', '1', '0', 'on', 'off']),
      v.transform((s) => s === 'true' || s === '1' || s === 'on'),
    ),
  ],
  'must be true or false',
);

export const WebhookSaveBody = v.strictObject({
  /** Empty: no URL (webhooks cannot then be enabled). */
  url: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.trim(),
      v.maxLength(2048, 'must be at most 2048 characters'),
      v.transform((s) => (s === '' ? undefined : s)),
    ),
  ),
  enabled: Flag,
  use_signature: Flag,
  regenerate_secret: v.optional(Flag, false),
});
export type WebhookSaveInput = v.InferOutput<typeof WebhookSaveBody>;

/** webhook_test takes nothing but the CSRF token. */
export const WebhookTestBody = v.strictObject({});

/** Columns of a batch CSV (UTF-8, `,` or `;`, a header line first); orderNumber, amount and returnUrl are required. */
export const BATCH_COLUMNS = [
  'orderNumber',
  'amount',
  'type',
  'description',
  'returnUrl',
  'failUrl',
  'sessionTimeoutSecs',
] as const;
