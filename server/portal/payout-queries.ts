// What the portal reads of a merchant's payouts: every query is bounded by the merchant,
// so a user never sees another merchant's payout, even by guessing an id.
import { sql } from 'kysely';
import * as v from 'valibot';
import { PAYOUT_STATUSES, PAYOUT_TYPES } from '../../src/contract/status.ts';
import type { Db } from '../db/index.ts';

export const PAGE_SIZE = 50;

const Day = v.pipe(v.string(), v.isoDate('must be a date YYYY-MM-DD'));
/** The list's query string (empty fields dropped before: an empty field means "any"). */
export const PayoutFilter = v.object({
  q: v.optional(v.pipe(v.string(), v.maxLength(36, 'must be at most 36 characters'))),
  status: v.optional(v.picklist(PAYOUT_STATUSES, 'is not a known status')),
  method: v.optional(v.picklist(PAYOUT_TYPES, 'must be card or sbp')),
  from: v.optional(Day),
  to: v.optional(Day),
  page: v.pipe(v.optional(v.string(), '1'), v.regex(/^[1-9]\d{0,5}$/, 'must be a page number'), v.transform(Number)),
});
export type PayoutFilterValue = v.InferOutput<typeof PayoutFilter>;

const DAY_MS = 86_400_000;

export async function listPayouts(db: Db, merchantId: string, f: PayoutFilterValue) {
  let q = db
    .selectFrom('payouts')
    .select([
      'id',
      'order_id',
      'order_number',
      'amount',
      'status',
      'type',
      'destination_type',
      'masked_pan',
      'masked_phone',
      'failure_code',
      'status_reason',
      'updated_at',
      'created_at',
    ])
    .where('merchant_id', '=', merchantId);
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    q = q.where(sql<boolean>`order_number like ${pattern} escape '\\'`);
  }
  if (f.status) q = q.where('status', '=', f.status);
  if (f.method) q = q.where((eb) => eb.or([eb('destination_type', '=', f.method!), eb('type', '=', f.method!)]));
  if (f.from) q = q.where('created_at', '>=', Date.parse(`${f.from}T00:00:00Z`));
  if (f.to) q = q.where('created_at', '<', Date.parse(`${f.to}T00:00:00Z`) + DAY_MS);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(PAGE_SIZE + 1)
    .offset((f.page - 1) * PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, PAGE_SIZE), more: rows.length > PAGE_SIZE };
}
export type PayoutListRow = Awaited<ReturnType<typeof listPayouts>>['rows'][number];

/** One payout of the merchant with its history, provider attempts and webhook deliveries. */
export async function payoutDetail(db: Db, merchantId: string, orderId: string) {
  const payout = await db
    .selectFrom('payouts')
    .select([
      'id',
      'order_id',
      'order_number',
      'amount',
      'status',
      'type',
      'channel',
      'destination_type',
      'masked_pan',
      'masked_phone',
      'bank_id',
      'failure_code',
      'status_reason',
      'provider',
      'description',
      'created_at',
      'updated_at',
    ])
    .where('merchant_id', '=', merchantId)
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  if (!payout) return undefined;
  const [history, attempts, answers, webhooks] = await Promise.all([
    db
      .selectFrom('payout_history')
      .select(['from_status', 'to_status', 'reason', 'at'])
      .where('payout_id', '=', payout.id)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('payout_attempts')
      .select(['attempt_no', 'provider', 'state', 'provider_status', 'error', 'created_at', 'updated_at'])
      .where('payout_id', '=', payout.id)
      .orderBy('attempt_no')
      .execute(),
    db
      .selectFrom('provider_answers')
      .select(['source', 'status', 'code', 'provider_code', 'repeats', 'last_at'])
      .where('payout_id', '=', payout.id)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('webhook_events')
      .select(['event_id', 'status', 'state', 'attempts', 'last_http_status', 'last_error', 'created_at'])
      .where('payout_id', '=', payout.id)
      .where('merchant_id', '=', merchantId)
      .orderBy('id')
      .execute(),
  ]);
  return { payout, history, attempts, answers, webhooks };
}
export type PayoutDetail = NonNullable<Awaited<ReturnType<typeof payoutDetail>>>;

/** Whether the event is one of this merchant's, on this payout. */
export async function ownsEvent(db: Db, merchantId: string, payoutId: number, eventId: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_events')
    .select('id')
    .where('event_id', '=', eventId)
    .where('merchant_id', '=', merchantId)
    .where('payout_id', '=', payoutId)
    .executeTakeFirst();
  return Boolean(row);
}
