// npm run webhooks -- <command>: see webhook deliveries and send an event again.
// Uses the same configuration (DATA_DIR, PAYEE_CONFIG) as the service; a redelivered
// event is sent by the running service within one worker tick (or at its next start).
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { loadConfig } from '../config.ts';
import { openDb, type Db } from '../db/index.ts';
import { systemClock } from '../clock.ts';
import { redeliver } from '../webhooks/deliver.ts';

const HELP = `Usage: npm run webhooks -- <command> [options]

Commands:
  list [--state pending|delivered|failed|skipped] [--merchant ID] [--order ORDER_NUMBER] [--limit N]
                        recent events, newest first: event id, payout, status, delivery state,
                        attempts, last answer, next attempt
  show EVENT_ID         one event: its exact body and every delivery attempt
  redeliver EVENT_ID    send the event again, from the first step of the retry schedule
`;

const ListOptions = v.object({
  state: v.optional(
    v.picklist(['pending', 'delivered', 'failed', 'skipped'], '--state must be pending, delivered, failed or skipped'),
  ),
  merchant: v.optional(v.string()),
  order: v.optional(v.string()),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,4}$/, '--limit must be a number'), v.transform(Number)), '50'),
});
const EventId = v.pipe(
  v.string('an EVENT_ID is required'),
  v.regex(/^[0-9a-f]{32}$/, 'EVENT_ID must be 32 hex characters'),
);

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

async function list(db: Db, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      state: { type: 'string' },
      merchant: { type: 'string' },
      order: { type: 'string' },
      limit: { type: 'string' },
    },
  });
  const o = v.parse(ListOptions, values);
  const rows = await db
    .selectFrom('webhook_events as e')
    .innerJoin('payouts as p', 'p.id', 'e.payout_id')
    .select([
      'e.event_id',
      'e.merchant_id',
      'p.order_number',
      'e.status',
      'e.state',
      'e.attempts',
      'e.last_http_status',
      'e.last_error',
      'e.next_attempt_at',
      'e.created_at',
    ])
    .$if(Boolean(o.state), (q) => q.where('e.state', '=', o.state!))
    .$if(Boolean(o.merchant), (q) => q.where('e.merchant_id', '=', o.merchant!))
    .$if(Boolean(o.order), (q) => q.where('p.order_number', '=', o.order!))
    .orderBy('e.id', 'desc')
    .limit(o.limit)
    .execute();
  if (rows.length === 0) return void console.log('no events');
  for (const r of rows) {
    const last = r.last_http_status ?? r.last_error ?? '-';
    const next = r.state === 'pending' ? ` next=${iso(r.next_attempt_at)}` : '';
    console.log(
      `${r.event_id} ${iso(r.created_at)} ${r.merchant_id} order=${r.order_number} status=${r.status} ${r.state} attempts=${r.attempts} last=${last}${next}`,
    );
  }
}

async function show(db: Db, eventId: string): Promise<void> {
  const e = await db.selectFrom('webhook_events').selectAll().where('event_id', '=', eventId).executeTakeFirst();
  if (!e) throw new Error(`no event ${eventId}`);
  console.log(`${e.event_id} ${e.state} attempts=${e.attempts}\n${e.payload}`);
  const attempts = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('event_row_id', '=', e.id)
    .orderBy('id')
    .execute();
  for (const a of attempts)
    console.log(
      `  #${a.attempt_no} ${iso(a.at)} ${a.url} → ${a.http_status ?? '-'} ${a.error ?? ''} (${a.duration_ms} ms)`,
    );
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'help') return void console.log(HELP);
  if (!['list', 'show', 'redeliver'].includes(command)) throw new Error(`unknown command ${command}\n${HELP}`);
  const config = loadConfig();
  const db = await openDb(config);
  try {
    if (command === 'list') return await list(db, rest);
    const eventId = v.parse(EventId, rest[0]);
    if (command === 'show') return await show(db, eventId);
    if (!(await redeliver({ db, clock: systemClock }, eventId))) throw new Error(`no event ${eventId}`);
    console.log(`${eventId} queued for redelivery`);
  } finally {
    await db.destroy();
  }
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  const message = err instanceof v.ValiError ? err.issues.map((i) => i.message).join('; ') : (err as Error).message;
  console.error(`webhooks: ${message}`);
  process.exitCode = 1;
}
