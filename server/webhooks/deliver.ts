// Delivering the outbox: each event is POSTed to the merchant's webhook URL until the
// first 2xx, on the retry schedule, with the same eventId and body every time. Events
// of one payout go out in order: a later one waits while an earlier one is pending.
// Each attempt is made by whichever instance claimed the event (server/db/leases.ts).
import type { Selectable } from 'kysely';
import type { WebhookEventsTable } from '../db/schema.ts';
import type { Services } from '../services.ts';
import { claim } from '../db/leases.ts';
import { getMerchant, getWebhookSecrets } from '../merchants/store.ts';
import { EVENT_TYPE, eventBody, moscowTime, newEventId } from './payload.ts';
import { postToTarget } from '../net/outbound.ts';
import { targetPolicy } from '../net/target.ts';
import { bodySignature, timestampedSignature } from '../lib/payouts-signature.ts';
import { REQUEST_ID_HEADER } from '../request-id.ts';

/** Seconds before attempt 1, 2, … 10 (each counted from the previous attempt); then give up. */
export const RETRY_SCHEDULE_SECS: readonly number[] = [0, 15, 30, 60, 300, 900, 1800, 3600, 7200, 10800];

type EventRow = Selectable<WebhookEventsTable>;

/** Deliveries in flight at once: one slow receiver does not hold up the others. */
const PARALLEL = 32;
/** Events claimed at once: the claim, and each merchant's settings and secrets, are read once for them all. */
const BATCH = PARALLEL * 8;
/** Claims in one run at most, so a run ends (and the service can stop) while events keep coming. */
const CLAIMS_PER_RUN = 8;

/**
 * Sends what is due now; returns how many attempts were made. After a full batch, claims
 * again as soon as the claimed events run out, while the last ones are still in flight,
 * rather than after the whole batch.
 */
export async function deliverDue(s: Services): Promise<number> {
  const todo: Array<{ event: EventRow; hookOf: HookOf }> = [];
  const records = recorder(s);
  let claims = 0;
  let more = true;
  let claiming: Promise<void> | undefined;
  const refill = () =>
    (claiming ??= (async () => {
      const events = await claimDue(s);
      more = events.length === BATCH && ++claims < CLAIMS_PER_RUN;
      const hookOf = batchHooks(s, s.clock.now());
      for (const event of events) todo.push({ event, hookOf });
    })().finally(() => (claiming = undefined)));
  let sent = 0;
  const worker = async () => {
    for (;;) {
      let next = todo.shift();
      while (!next && more) {
        await refill();
        next = todo.shift();
      }
      if (!next) return;
      records.add(await deliverOne(s, next.event, await next.hookOf(next.event.merchant_id)));
      sent++;
    }
  };
  try {
    await Promise.all(Array.from({ length: PARALLEL }, worker));
  } finally {
    await records.written();
  }
  return sent;
}

/** Claims the events due now whose payout has no earlier event still pending (in flight ones included). */
async function claimDue(s: Services): Promise<EventRow[]> {
  const now = s.clock.now();
  const due = s.db
    .selectFrom('webhook_events as e')
    .select('e.id')
    .where('e.state', '=', 'pending')
    .where('e.next_attempt_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_events as p')
            .select('p.id')
            .whereRef('p.payout_id', '=', 'e.payout_id')
            .whereRef('p.id', '<', 'e.id')
            .where('p.state', '=', 'pending'),
        ),
      ),
    )
    .orderBy('e.id')
    .limit(BATCH);
  // The lease outlasts an attempt (PAYEE_WEBHOOK_TIMEOUT_MS); the attempt's record lets it go.
  const { ids } = await claim(s.db, 'webhook_events', 'e', due, now, s.config.engine.leaseMs);
  if (ids.length === 0) return [];
  return s.db.selectFrom('webhook_events').selectAll().where('id', 'in', ids).orderBy('id').execute();
}

interface Hook {
  url: string;
  secrets: Secrets;
}

type HookOf = (merchantId: string) => Promise<Hook | undefined>;

/**
 * Each merchant's webhook URL and secrets, read (and the secrets decrypted) once per batch
 * and kept only for it: a changed URL or a rotated secret counts from the next batch.
 */
function batchHooks(s: Services, now: number): HookOf {
  const hooks = new Map<string, Promise<Hook | undefined>>();
  const load = async (merchantId: string): Promise<Hook | undefined> => {
    const hook = (await getMerchant(s.db, merchantId))?.settings.webhook;
    if (!hook?.enabled || !hook.url) return undefined;
    const secrets = hook.useSignature ? await getWebhookSecrets(s.db, s.keyring, merchantId, now) : undefined;
    return { url: hook.url, secrets };
  };
  return (merchantId) => {
    let hook = hooks.get(merchantId);
    if (!hook) hooks.set(merchantId, (hook = load(merchantId)));
    return hook;
  };
}

interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

type Secrets = { current: string; previous?: string } | undefined;

/**
 * The request for one attempt: X-Payouts-* headers, and both signatures when signing is on.
 * Right after a secret rotation the previous secret signs too: X-Payouts-Signature-Previous,
 * and a second v1 in X-Payouts-Signature-V2, so receivers can switch secrets without a gap.
 */
function buildRequest(
  e: Pick<EventRow, 'event_id' | 'payload'> & Partial<Pick<EventRow, 'request_id'>>,
  url: string,
  secrets: Secrets,
  nowMs: number,
): WebhookRequest {
  const ts = Math.floor(nowMs / 1000);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'Payee-Webhooks/1',
    'X-Payouts-Event': EVENT_TYPE,
    'X-Payouts-Event-Id': e.event_id,
    'X-Payouts-Timestamp': String(ts),
  };
  if (e.request_id) headers[REQUEST_ID_HEADER] = e.request_id;
  if (secrets !== undefined) {
    headers['X-Payouts-Signature'] = bodySignature(secrets.current, e.payload);
    headers['X-Payouts-Signature-V2'] = timestampedSignature(secrets.current, e.payload, ts);
    if (secrets.previous !== undefined) {
      headers['X-Payouts-Signature-Previous'] = bodySignature(secrets.previous, e.payload);
      headers['X-Payouts-Signature-V2'] += `,${timestampedSignature(secrets.previous, e.payload, ts).split(',')[1]}`;
    }
  }
  return { url, headers, body: e.payload };
}

interface PostResult {
  httpStatus: number | null;
  /** Null when the receiver answered 2xx. */
  error: string | null;
  durationMs: number;
}

/** One POST of a webhook request, under the outbound URL rules: every delivery, and the portal's test event. */
async function post(s: Services, req: WebhookRequest): Promise<PostResult> {
  let httpStatus: number | null = null;
  let error: string | null = null;
  const t0 = performance.now();
  const res = await postToTarget(
    req.url,
    { headers: req.headers, body: req.body, timeoutMs: s.config.engine.webhookTimeoutMs },
    targetPolicy(s.config),
  );
  if (res.ok) {
    httpStatus = res.status;
    if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
  } else error = res.reason;
  return { httpStatus, error, durationMs: Math.round(performance.now() - t0) };
}

export type TestEventResult =
  ({ ok: true; eventId: string } & PostResult) | { ok: false; reason: 'no_url' | 'no_merchant' };

/**
 * A test payout.status_changed event to the merchant's saved webhook URL: signed as every
 * event is, sent once (no retries), kept nowhere. Its payout id is 0 and its externalId "TEST".
 */
export async function sendTestEvent(s: Services, merchantId: string): Promise<TestEventResult> {
  const merchant = await getMerchant(s.db, merchantId);
  if (!merchant) return { ok: false, reason: 'no_merchant' };
  const hook = merchant.settings.webhook;
  if (!hook.url) return { ok: false, reason: 'no_url' };
  const now = s.clock.now();
  const eventId = newEventId();
  const payload = eventBody({
    event: EVENT_TYPE,
    eventId,
    occurredAt: moscowTime(now),
    payout: { id: 0, externalId: 'TEST', status: 'success', amount: 100, currency: 'RUB' },
  });
  const secrets = hook.useSignature ? await getWebhookSecrets(s.db, s.keyring, merchant.id, now) : undefined;
  const result = await post(s, buildRequest({ event_id: eventId, payload }, hook.url, secrets, now));
  return { ok: true, eventId, ...result };
}

/** What one attempt came to, to be recorded. */
interface Outcome {
  event: EventRow;
  started: number;
  /** Null when the merchant's webhook is off or has no URL: the event is skipped. */
  url: string | null;
  result: PostResult | null;
}

async function deliverOne(s: Services, e: EventRow, hook: Hook | undefined): Promise<Outcome> {
  const started = s.clock.now();
  if (!hook) return { event: e, started, url: null, result: null };
  const result = await post(s, buildRequest(e, hook.url, hook.secrets, started));
  return { event: e, started, url: hook.url, result };
}

/**
 * Writes the attempts' records as they finish, whatever finished meanwhile in one
 * transaction (one commit for many). Until its record is written an event stays claimed;
 * should we stop before that, its lease runs out and it is sent again (at least once).
 */
function recorder(s: Services) {
  let queue: Outcome[] = [];
  let writing = Promise.resolve();
  let failed: unknown;
  return {
    add(outcome: Outcome) {
      queue.push(outcome);
      if (queue.length > 1) return; // a write is already due and takes this one too
      // After the answers that have arrived meanwhile are read, so they share the commit.
      writing = writing
        .then(() => new Promise((r) => setImmediate(r)))
        .then(() => {
          const outcomes = queue;
          queue = [];
          return record(s, outcomes);
        })
        .catch((err: unknown) => void (failed ??= err));
    },
    async written() {
      await writing;
      if (failed) throw failed;
    },
  };
}

async function record(s: Services, outcomes: Outcome[]): Promise<void> {
  const done = await s.db.transaction().execute(async (tx) => {
    const results = [];
    for (const { event: e, started, url, result } of outcomes) {
      if (url === null || result === null) {
        await tx
          .updateTable('webhook_events')
          .set({
            state: 'skipped',
            last_error: 'webhook not enabled',
            next_attempt_at: started,
            lease_owner: null,
            lease_until: null,
          })
          .where('id', '=', e.id)
          .execute();
        results.push({ e, result: 'skipped' as const });
        continue;
      }
      const { httpStatus, error, durationMs } = result;
      const attemptNo = e.attempts + 1;
      const came = error === null ? 'delivered' : attemptNo >= RETRY_SCHEDULE_SECS.length ? 'failed' : 'retry';
      await tx
        .insertInto('webhook_attempts')
        .values({
          event_row_id: e.id,
          attempt_no: attemptNo,
          url,
          at: started,
          http_status: httpStatus,
          error,
          duration_ms: durationMs,
        })
        .execute();
      await tx
        .updateTable('webhook_events')
        .set({
          attempts: attemptNo,
          state: came === 'retry' ? 'pending' : came,
          last_http_status: httpStatus,
          last_error: error,
          next_attempt_at: came === 'retry' ? started + RETRY_SCHEDULE_SECS[attemptNo]! * 1000 : started,
          delivered_at: came === 'delivered' ? s.clock.now() : null,
          lease_owner: null,
          lease_until: null,
        })
        .where('id', '=', e.id)
        .execute();
      results.push({
        e,
        result: came,
        attemptNo,
        httpStatus,
        error,
        durationMs,
      });
    }
    return results;
  });
  for (const r of done) {
    s.metrics.webhookDeliveries.inc({ result: r.result });
    if (r.result === 'skipped') continue;
    const log = {
      eventId: r.e.event_id,
      payoutId: r.e.payout_id,
      attempt: r.attemptNo,
      httpStatus: r.httpStatus,
      error: r.error,
      ms: r.durationMs,
    };
    if (r.result === 'delivered') s.log.info(log, 'webhook delivered');
    else
      s.log.warn(
        log,
        r.result === 'failed'
          ? 'webhook failed; giving up (redeliver with npm run webhooks -- redeliver)'
          : 'webhook attempt failed; will retry',
      );
  }
}

/** Puts an event back on the schedule from its first step (any state). */
export async function redeliver(s: Pick<Services, 'db' | 'clock'>, eventId: string): Promise<boolean> {
  const r = await s.db
    .updateTable('webhook_events')
    .set({ state: 'pending', attempts: 0, next_attempt_at: s.clock.now(), last_error: null })
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
