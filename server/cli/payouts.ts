// npm run payouts -- <command>: the review list. Payouts whose outcome Payee cannot
// establish on its own (or where a provider's answer disagrees with ours) wait here for an
// operator, who checks with the provider and decides. Uses the same configuration
// (DATA_DIR, PAYEE_CONFIG) as the service; the running service acts on a decision within
// one worker tick. Card numbers and phones are only ever shown masked.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { loadConfig, type Config } from '../config.ts';
import { openDb, type Db } from '../db/index.ts';
import { systemClock } from '../clock.ts';
import { createLogger } from '../log.ts';
import { openReviews, resolveReviews, REVIEW_REASONS, type ReviewDecision } from '../engine/review.ts';
import { FAILURES, isFailureCode } from '../../src/contract/failure.ts';
import { maskPan } from '../../src/contract/card.ts';
import { formatAmount } from '../../src/contract/money.ts';

const HELP = `Usage: npm run payouts -- <command> [options]

Commands:
  review [--limit N]      open review items, oldest first: the payout, why it is here, what each side said
  show ORDER              one payout (orderNumber or orderId): its state, review items, and a timeline
                          of our status changes and attempts beside the provider's answers
  resolve ORDER --note TEXT [--by NAME] DECISION
                          close the payout's open items with a decision, recorded with who and when:
                            --status success              the provider confirmed it paid
                            --status failed --code CODE   the provider confirmed it did not pay (CODE below)
                            --retry                       the provider confirmed it has nothing: send it again
                            --keep                        leave it as it is; keep asking the provider
  Options: --merchant ID picks among payouts of several merchants with the same orderNumber.

Failure codes: ${Object.keys(FAILURES).join(', ')}
`;

const Order = v.pipe(v.string('give the orderNumber or orderId'), v.nonEmpty('give the orderNumber or orderId'));
const Limit = v.optional(
  v.pipe(v.string(), v.regex(/^\d{1,4}$/, '--limit must be a number'), v.transform(Number)),
  '200',
);
const Resolve = v.pipe(
  v.object({
    status: v.optional(v.picklist(['success', 'failed'], '--status must be success or failed')),
    code: v.optional(v.string()),
    retry: v.optional(v.boolean()),
    keep: v.optional(v.boolean()),
    note: v.pipe(
      v.optional(v.string(), ''),
      v.trim(),
      v.nonEmpty('--note is required: say what the provider confirmed'),
    ),
    by: v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty('--by must not be empty'))),
  }),
  v.check(
    (o) => [o.status, o.retry, o.keep].filter(Boolean).length === 1,
    'choose one decision: --status success, --status failed --code CODE, --retry or --keep',
  ),
  v.check(
    (o) => o.status !== 'failed' || isFailureCode(o.code),
    `--status failed needs --code, one of: ${Object.keys(FAILURES).join(', ')}`,
  ),
  v.check((o) => o.status === 'failed' || o.code === undefined, '--code goes with --status failed'),
);

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
const money = (kopecks: number | null) => (kopecks === null ? '-' : `${kopecks} (${formatAmount(kopecks, 'en')})`);

/** Free text from providers may quote what it was sent: card-length digit runs are masked, phones too. */
function redact(text: string): string {
  return text
    .replace(/\d{13,19}/g, (d) => maskPan(d))
    .replace(/\d{10,12}/g, (d) => '*'.repeat(d.length - 2) + d.slice(-2));
}

async function findPayout(db: Db, order: string, merchant?: string) {
  const rows = await db
    .selectFrom('payouts')
    .selectAll()
    .where((eb) => eb.or([eb('order_id', '=', order), eb('order_number', '=', order)]))
    .$if(Boolean(merchant), (q) => q.where('merchant_id', '=', merchant!))
    .execute();
  if (rows.length === 0) throw new Error(`no payout ${order}${merchant ? ` of merchant ${merchant}` : ''}`);
  if (rows.length > 1)
    throw new Error(
      `${order} is an orderNumber of several merchants (${rows.map((r) => r.merchant_id).join(', ')}): add --merchant ID`,
    );
  return rows[0]!;
}

async function review(db: Db, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { limit: { type: 'string' } } });
  const items = await openReviews({ db }, v.parse(Limit, values.limit));
  if (items.length === 0) return void console.log('no open review items');
  for (const i of items) {
    console.log(
      `#${i.id} ${iso(i.openedAt)} ${i.reason} order=${i.orderNumber} ${i.orderId} merchant=${i.merchantId} status=${i.status} amount=${money(i.amount)}`,
    );
    console.log(`    ${REVIEW_REASONS[i.reason]}`);
    console.log(`    ${redact(JSON.stringify(i.detail))}`);
  }
}

async function show(db: Db, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { merchant: { type: 'string' } },
    allowPositionals: true,
  });
  const p = await findPayout(db, v.parse(Order, positionals[0]), values.merchant);
  const target = p.masked_pan ? `card ${p.masked_pan}` : p.masked_phone ? `phone ${p.masked_phone}` : 'no details yet';
  console.log(`${p.order_id} order=${p.order_number} merchant=${p.merchant_id} origin=${p.origin}`);
  console.log(`  amount ${money(p.amount)}  ${target}  provider=${p.provider ?? '-'} ref=${p.provider_ref ?? '-'}`);
  const failure = p.failure_code
    ? ` failure=${p.failure_code}${p.provider_code ? ` (provider: ${p.provider_code})` : ''}`
    : '';
  console.log(`  status ${p.status} (${p.status_reason ?? '-'})${failure}  next check ${iso(p.next_sync_at)}`);

  const items = await db.selectFrom('payout_reviews').selectAll().where('payout_id', '=', p.id).orderBy('id').execute();
  if (items.length) console.log('\nReview');
  for (const r of items) {
    const closed =
      r.state === 'resolved'
        ? ` → ${r.decision} by ${r.resolved_by} at ${iso(r.resolved_at)}: ${redact(r.note ?? '')}`
        : '';
    console.log(`  #${r.id} ${r.state} ${r.reason} opened ${iso(r.opened_at)}${closed}`);
    console.log(`     ${redact(r.detail)}`);
  }

  const [history, attempts, answers] = await Promise.all([
    db.selectFrom('payout_history').selectAll().where('payout_id', '=', p.id).orderBy('id').execute(),
    db.selectFrom('payout_attempts').selectAll().where('payout_id', '=', p.id).orderBy('id').execute(),
    db.selectFrom('provider_answers').selectAll().where('payout_id', '=', p.id).orderBy('id').execute(),
  ]);
  const attemptNo = new Map(attempts.map((a) => [a.id, a.attempt_no]));
  type Line = { at: number; ours?: string; provider?: string };
  const lines: Line[] = [
    ...history.map((h) => ({ at: h.at, ours: `${h.from_status ?? '-'} → ${h.to_status} (${h.reason ?? '-'})` })),
    ...attempts.map((a) => ({
      at: a.created_at,
      ours: `attempt ${a.attempt_no} sent, key ${a.idempotency_key} (now ${a.state}${a.error ? `: ${redact(a.error)}` : ''})`,
    })),
    ...answers.map((a) => {
      const parts = [
        `${a.source}: ${a.status}`,
        a.attempt_id !== null ? `attempt ${attemptNo.get(a.attempt_id)}` : null,
        a.code ? `code ${a.code}` : null,
        a.provider_code ? `provider code ${a.provider_code}` : null,
        a.amount !== null ? `amount ${a.amount}${a.amount !== p.amount ? ' (≠ ours)' : ''}` : null,
        a.provider_ref ? `ref ${a.provider_ref}` : null,
        a.error ? redact(a.error) : null,
        a.repeats > 1 ? `×${a.repeats} until ${iso(a.last_at)}` : null,
      ];
      return { at: a.first_at, provider: parts.filter(Boolean).join(', ') };
    }),
  ].sort((a, b) => a.at - b.at);
  console.log(`\n${'time'.padEnd(25)}${'ours'.padEnd(60)}provider`);
  for (const l of lines) console.log(`${iso(l.at).padEnd(25)}${(l.ours ?? '').padEnd(60)}${l.provider ?? ''}`);
}

async function resolve(db: Db, config: Config, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      merchant: { type: 'string' },
      status: { type: 'string' },
      code: { type: 'string' },
      retry: { type: 'boolean' },
      keep: { type: 'boolean' },
      note: { type: 'string' },
      by: { type: 'string' },
    },
    allowPositionals: true,
  });
  const order = v.parse(Order, positionals[0]);
  const o = v.parse(Resolve, values);
  const decision: ReviewDecision =
    o.status === 'success'
      ? { kind: 'success' }
      : o.status === 'failed' && isFailureCode(o.code)
        ? { kind: 'failed', code: o.code }
        : o.retry
          ? { kind: 'retry' }
          : { kind: 'keep' };
  const p = await findPayout(db, order, values.merchant);
  const s = { db, config, clock: systemClock, log: createLogger('silent') };
  const r = await resolveReviews(s, p.id, decision, o.by ?? userInfo().username, o.note);
  if (!r.ok) throw new Error(`${p.order_id}: ${r.message}`);
  console.log(`${p.order_id} order=${p.order_number}: ${r.resolved} item(s) resolved; status ${r.status}`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'help') return void console.log(HELP);
  if (!['review', 'show', 'resolve'].includes(command)) throw new Error(`unknown command ${command}\n${HELP}`);
  const config = loadConfig();
  const db = await openDb(config);
  try {
    if (command === 'review') return await review(db, rest);
    if (command === 'show') return await show(db, rest);
    return await resolve(db, config, rest);
  } finally {
    await db.destroy();
  }
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  const message = err instanceof v.ValiError ? err.issues.map((i) => i.message).join('; ') : (err as Error).message;
  console.error(`payouts: ${message}`);
  process.exitCode = 1;
}
