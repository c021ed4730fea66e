// Registering payouts and reading them back. Independent of HTTP: the API and the
// hosted page call these.
import type { Insertable, Selectable } from 'kysely';
import type { PayoutsTable } from '../db/schema.ts';
import type { Services } from '../services.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { Db } from '../db/index.ts';
import { prepared } from '../db/prepared.ts';
import { merchantOf, type Merchant } from '../merchants/store.ts';
import { openString, sealToString } from '../vault/cipher.ts';
import { linkTokenContext } from '../vault/contexts.ts';
import { hashLinkToken, newLinkToken, newOrderId, requestHash } from './ids.ts';
import { transition } from './status-machine.ts';

export type PayoutRow = Selectable<PayoutsTable>;

export interface LinkPayoutInput {
  orderNumber: string;
  amount: number;
  returnUrl: string;
  failUrl?: string;
  description?: string;
  sessionTimeoutSecs: number;
  type?: 'card' | 'sbp';
  channel: string;
  /** The merchant's id for the recipient: a card saved for it is offered on the page. */
  recipientRef?: string;
}

export type CreateResult =
  | { ok: true; payout: PayoutRow; payoutUrl: string; repeat: boolean }
  | { ok: false; reason: 'conflict'; payout: PayoutRow };

export function payoutUrl(publicUrl: string, linkToken: string): string {
  return `${publicUrl}/pay/${linkToken}`;
}

/**
 * createPayout: one payout per (merchant, orderNumber). The same request again
 * answers the same link; a different request with that orderNumber is a conflict.
 */
export async function createLinkPayout(s: Services, merchant: Merchant, input: LinkPayoutInput): Promise<CreateResult> {
  const hash = requestHash({ origin: 'link', ...input });
  const existing = await findByOrderNumber(s, merchant.id, input.orderNumber);
  if (existing) return repeatOrConflict(s, existing, hash);

  const now = s.clock.now();
  const orderId = newOrderId();
  const token = newLinkToken();
  try {
    const payout = await s.db.transaction().execute(async (tx) => {
      const [row] = await insertPayout(tx, {
        order_id: orderId,
        merchant_id: merchant.id,
        order_number: input.orderNumber,
        request_hash: hash,
        origin: 'link',
        amount: input.amount,
        currency: 'RUB',
        description: input.description ?? null,
        type: input.type ?? null,
        channel: input.channel,
        recipient_ref: input.recipientRef ?? null,
        return_url: input.returnUrl,
        fail_url: input.failUrl ?? null,
        session_timeout_secs: input.sessionTimeoutSecs,
        expires_at: now + input.sessionTimeoutSecs * 1000,
        link_token_hash: hashLinkToken(token),
        link_token: sealToString(s.keyring, token, linkTokenContext(orderId)),
        status: 'uploaded',
        created_at: now,
        updated_at: now,
      });
      await insertCreated(tx, row!.id, now);
      return row!;
    });
    return { ok: true, payout, payoutUrl: payoutUrl(s.config.publicUrl, token), repeat: false };
  } catch (err) {
    // A concurrent request with the same orderNumber won the insert.
    if (isOrderNumberTaken(err)) {
      const winner = await findByOrderNumber(s, merchant.id, input.orderNumber);
      if (winner) return repeatOrConflict(s, winner, hash);
    }
    throw err;
  }
}

/** createPayout's two inserts, built once (db/prepared.ts). */
const insertPayout = prepared((db: Db, row: Insertable<PayoutsTable>) =>
  db.insertInto('payouts').values(row).returningAll(),
);
const insertCreated = prepared((db: Db, payoutId: number, at: number) =>
  db
    .insertInto('payout_history')
    .values({ payout_id: payoutId, from_status: null, to_status: 'uploaded', reason: 'created', at }),
);

/** The insert lost to another payout of this merchant with the same orderNumber. */
export function isOrderNumberTaken(err: unknown): boolean {
  return isUniqueViolation(err, { table: 'payouts', columns: ['merchant_id', 'order_number'] });
}

function repeatOrConflict(s: Services, payout: PayoutRow, hash: string): CreateResult {
  const url = payout.request_hash === hash ? linkUrlOf(s, payout) : undefined;
  return url ? { ok: true, payout, payoutUrl: url, repeat: true } : { ok: false, reason: 'conflict', payout };
}

/** The payout's page URL (link payouts only), e.g. for a hand-off provider to send the recipient back to. */
export function linkUrlOf(s: Services, payout: Pick<PayoutRow, 'link_token' | 'order_id'>): string | undefined {
  return payout.link_token
    ? payoutUrl(s.config.publicUrl, openString(s.keyring, payout.link_token, linkTokenContext(payout.order_id)))
    : undefined;
}

export async function findByOrderNumber(
  s: Services,
  merchantId: string,
  orderNumber: string,
): Promise<PayoutRow | undefined> {
  return (await payoutByOrderNumber(s.db, merchantId, orderNumber))[0];
}

/** Every createPayout and performPayout looks its orderNumber up: built once (db/prepared.ts). */
const payoutByOrderNumber = prepared((db: Db, merchantId: string, orderNumber: string) =>
  db.selectFrom('payouts').selectAll().where('merchant_id', '=', merchantId).where('order_number', '=', orderNumber),
);

/** What the recipient page is made from: read on every page answer, so no more than that. */
export const PAGE_COLUMNS = [
  'id',
  'merchant_id',
  'order_number',
  'amount',
  'description',
  'type',
  'channel',
  'return_url',
  'fail_url',
  'expires_at',
  'status',
  'status_reason',
  'destination_type',
  'masked_pan',
  'masked_phone',
  'card_fingerprint',
  'failure_code',
  'declined_code',
  'declined_provider_code',
  'recipient_ref',
  'updated_at',
] as const;
export type PagePayout = Pick<PayoutRow, (typeof PAGE_COLUMNS)[number]>;

/** A link's payout and its merchant in one read of what is committed (db/prepared.ts): built once. */
const pageRowByLinkHash = prepared(
  (db: Db, hash: string) =>
    db
      .selectFrom('payouts')
      .innerJoin('merchants', 'merchants.id', 'payouts.merchant_id')
      .select(PAGE_COLUMNS.map((c) => `payouts.${c}` as const))
      // The merchant's id is the payout's merchant_id.
      .select([
        'merchants.name as merchant_name',
        'merchants.settings as merchant_settings',
        'merchants.active as merchant_active',
        'merchants.created_at as merchant_created_at',
      ])
      .where('payouts.link_token_hash', '=', hash),
  { committed: true },
);

/** The payout behind a page link, with its merchant; undefined for an unknown link. */
export async function findByLinkToken(
  s: Services,
  token: string,
): Promise<{ payout: PagePayout; merchant: Merchant } | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const [row] = await pageRowByLinkHash(s.db, hashLinkToken(token));
  if (!row) return undefined;
  const merchant = merchantOf({
    id: row.merchant_id,
    name: row.merchant_name,
    settings: row.merchant_settings,
    active: row.merchant_active,
    created_at: row.merchant_created_at,
  });
  // The row is the payout as it is (its merchant_* columns unused): copying it costs more than the read.
  return { payout: row, merchant };
}

/**
 * A link still waiting for details when its session ran out ends (on read and by the sweep):
 * `cancelled` before any details came in; `failed` with the last refusal when the provider
 * refused the details given and the recipient gave no others in time.
 */
export async function expireIfDue<
  P extends Pick<PayoutRow, 'id' | 'status' | 'expires_at' | 'declined_code' | 'declined_provider_code'>,
>(s: Services, payout: P): Promise<P> {
  const now = s.clock.now();
  if (now < payout.expires_at) return payout;
  if (payout.status === 'uploaded') {
    await s.db.transaction().execute((tx) =>
      transition(tx, payout.id, 'cancelled', {
        reason: 'session_expired',
        at: now,
        set: { failure_code: 'session_expired' },
      }),
    );
  } else if (payout.declined_code !== null && payout.status === 'processing') {
    await s.db.transaction().execute(async (tx) => {
      // Taken first, guarded: other details accepted meanwhile (details.ts) win, and this does nothing.
      const taken = await tx
        .updateTable('payouts')
        .set({ declined_code: null, declined_provider_code: null })
        .where('id', '=', payout.id)
        .where('status', '=', 'processing')
        .where('declined_code', '=', payout.declined_code!)
        .executeTakeFirst();
      if (taken.numUpdatedRows === 0n) return;
      await transition(tx, payout.id, 'failed', {
        reason: payout.declined_code,
        at: now,
        set: { failure_code: payout.declined_code, provider_code: payout.declined_provider_code },
      });
    });
  } else return payout;
  // The row as it now is: every column, so every narrower read's too.
  return (await s.db.selectFrom('payouts').selectAll().where('id', '=', payout.id).executeTakeFirstOrThrow()) as P;
}

export async function getPayoutById(s: Services, id: number): Promise<PayoutRow | undefined> {
  return (await payoutById(s.db, id))[0];
}

/** The engine reads the payout at every step: built once (db/prepared.ts). */
const payoutById = prepared((db: Db, id: number) => db.selectFrom('payouts').selectAll().where('id', '=', id));

export interface PayoutProgress {
  status: PayoutRow['status'];
  /** Reason code of the last change (e.g. the provider's error code, session_expired). */
  reason: string | null;
  updatedAt: number;
}

/**
 * The cheap read for a page that polls every second: three columns by primary key,
 * and the session expiry applied on read.
 */
export async function getPayoutProgress(s: Services, id: number): Promise<PayoutProgress | undefined> {
  const row = await s.db
    .selectFrom('payouts')
    .select(['status', 'status_reason', 'updated_at', 'expires_at', 'declined_code'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const waiting = row.status === 'uploaded' || row.declined_code !== null;
  if (waiting && s.clock.now() >= row.expires_at) {
    const p = await expireIfDue(s, (await getPayoutById(s, id))!);
    return { status: p.status, reason: p.status_reason, updatedAt: p.updated_at };
  }
  return { status: row.status, reason: row.status_reason, updatedAt: row.updated_at };
}
