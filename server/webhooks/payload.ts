// The `payout.status_changed` event, exactly as merchants receive it: a minified JSON
// body whose bytes are signed and sent unchanged on every retry.
import { randomBytes } from 'node:crypto';
import { currentRequestId } from '../request-id.ts';
import { EventEmitter } from 'node:events';
import type { PayoutStatus } from '../../src/contract/status.ts';
import type { Insertable } from 'kysely';
import type { Db, Tx } from '../db/index.ts';
import type { WebhookEventsTable } from '../db/schema.ts';
import { prepared } from '../db/prepared.ts';
import { getMerchant } from '../merchants/store.ts';
import { merchantStatus, type MerchantStatus } from '../lib/merchant-status.ts';

export const EVENT_TYPE = 'payout.status_changed';

export interface StatusChangedEvent {
  event: typeof EVENT_TYPE;
  eventId: string;
  occurredAt: string;
  payout: {
    id: number;
    externalId: string | null;
    status: PayoutStatus;
    amount: number;
    currency: 'RUB';
  } & Omit<MerchantStatus, 'status'> & { destination?: DestinationView };
}

/** A saved destination as merchants see it: its token and the masked card, never the number. */
export interface DestinationView {
  token: string;
  maskedPan: string;
}

export function destinationView(p: {
  destination_token: string | null;
  masked_pan: string | null;
}): DestinationView | undefined {
  return p.destination_token && p.masked_pan ? { token: p.destination_token, maskedPan: p.masked_pan } : undefined;
}

/** 32 hex characters. */
export function newEventId(): string {
  return randomBytes(16).toString('hex');
}

/** ISO 8601 in Moscow time (UTC+3, no daylight saving): 2025-09-15T19:40:21+03:00. */
export function moscowTime(ms: number): string {
  return `${new Date(ms + 3 * 3600_000).toISOString().slice(0, 19)}+03:00`;
}

/** The exact body: keys in the documented order (the additive ones last), no whitespace. */
export function eventBody(e: StatusChangedEvent): string {
  return JSON.stringify({
    event: e.event,
    eventId: e.eventId,
    occurredAt: e.occurredAt,
    payout: {
      id: e.payout.id,
      externalId: e.payout.externalId,
      status: e.payout.status,
      amount: e.payout.amount,
      currency: e.payout.currency,
      ...(e.payout.failure ? { failure: e.payout.failure } : {}),
      ...(e.payout.refund ? { refund: e.payout.refund } : {}),
      ...(e.payout.destination ? { destination: e.payout.destination } : {}),
    },
  });
}

/** Tells delivery workers in this process that the outbox has something new. */
export const outboxSignal = new EventEmitter();
outboxSignal.setMaxListeners(0);

/**
 * Writes the event into the outbox inside the caller's transaction, so the status
 * change and its webhook commit (or vanish) together.
 */
export async function enqueueStatusChanged(tx: Tx, payoutId: number, status: PayoutStatus, at: number): Promise<void> {
  const [p] = await eventFacts(tx, payoutId);
  if (!p) throw new Error(`no payout ${payoutId}`);
  const merchant = await getMerchant(tx, p.merchant_id);
  const seen = merchantStatus({ ...p, status }, merchant?.settings.extendedStatuses ?? false);
  const destination = destinationView(p);
  const event: StatusChangedEvent = {
    event: EVENT_TYPE,
    eventId: newEventId(),
    occurredAt: moscowTime(at),
    payout: {
      id: payoutId,
      externalId: p.order_number,
      amount: p.amount,
      currency: 'RUB',
      ...seen,
      ...(destination ? { destination } : {}),
    },
  };
  await insertEvent(tx, {
    event_id: event.eventId,
    merchant_id: p.merchant_id,
    payout_id: payoutId,
    status,
    payload: eventBody(event),
    state: 'pending',
    next_attempt_at: at,
    created_at: at,
    request_id: currentRequestId() ?? null,
  });
  outboxSignal.emit('enqueued');
}

// Every status change runs these: built once (db/prepared.ts).
const eventFacts = prepared((db: Db, payoutId: number) =>
  db
    .selectFrom('payouts')
    .select([
      'merchant_id',
      'order_number',
      'amount',
      'failure_code',
      'status_reason',
      'updated_at',
      'destination_token',
      'masked_pan',
    ])
    .where('id', '=', payoutId),
);
const insertEvent = prepared((db: Db, row: Insertable<WebhookEventsTable>) =>
  db.insertInto('webhook_events').values(row),
);
