// Batch payouts from a CSV: every row is checked (the createPayout schema and the merchant's
// rules) before anything is stored; a file with any wrong row creates nothing. Then each
// row's payout link is created in the background. Creating again after a restart is safe:
// createPayout answers the same payout for the same request.
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { BATCH_COLUMNS } from '../../src/contract/portal.ts';
import type { Services } from '../services.ts';
import type { Merchant } from '../merchants/store.ts';
import { returnUrlProblem } from '../merchants/settings.ts';
import { createLinkPayout, linkUrlOf } from '../engine/payouts.ts';
import { merchantStatus } from '../lib/merchant-status.ts';
import { CreatePayoutBody } from '../api/schemas.ts';
import { describeIssues } from '../api/envelope.ts';
import { linkPayoutInput, resolveChannel } from '../api/create-payout.ts';
import { parseCsv } from './csv.ts';

export const MAX_BATCH_ROWS = 5000;

type Body = v.InferOutput<typeof CreatePayoutBody> & { channel: string };
export interface RowError {
  /** Line of the file (the header is line 1). */
  line: number;
  message: string;
}
export type BatchCheck = { ok: true; rows: Body[] } | { ok: false; errors: RowError[] };

/** The createPayout body a CSV row stands for; an empty cell is an absent field. */
function rowBody(header: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const cell = (name: string) => {
    const i = header.indexOf(name);
    const value = i < 0 ? '' : (cells[i] ?? '').trim();
    return value === '' ? undefined : value;
  };
  const int = (value: string | undefined) => (value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : value);
  const body: Record<string, unknown> = {
    orderNumber: cell('orderNumber'),
    amount: int(cell('amount')),
    urls: { returnUrl: cell('returnUrl'), ...(cell('failUrl') ? { failUrl: cell('failUrl') } : {}) },
  };
  for (const [name, value] of [
    ['type', cell('type')],
    ['description', cell('description')],
    ['sessionTimeoutSecs', int(cell('sessionTimeoutSecs'))],
  ] as const) {
    if (value !== undefined) body[name] = value;
  }
  return body;
}

export async function checkBatch(s: Services, merchant: Merchant, text: string): Promise<BatchCheck> {
  const table = parseCsv(text);
  const [header, ...lines] = table;
  if (!header || lines.length === 0)
    return { ok: false, errors: [{ line: 1, message: 'the file has no payout rows' }] };
  const names = header.map((h) => h.trim());
  const errors: RowError[] = [];
  const unknown = names.filter((n) => !(BATCH_COLUMNS as readonly string[]).includes(n));
  if (unknown.length) errors.push({ line: 1, message: `unknown columns: ${unknown.join(', ')}` });
  const missing = ['orderNumber', 'amount', 'returnUrl'].filter((n) => !names.includes(n));
  if (missing.length) errors.push({ line: 1, message: `missing columns: ${missing.join(', ')}` });
  if (lines.length > MAX_BATCH_ROWS) errors.push({ line: 1, message: `at most ${MAX_BATCH_ROWS} rows per file` });
  if (errors.length) return { ok: false, errors };

  const rows: Body[] = [];
  const seen = new Map<string, number>();
  lines.forEach((cells, i) => {
    const line = i + 2;
    const problems: string[] = [];
    if (cells.length > names.length) problems.push(`${cells.length} cells for ${names.length} columns`);
    const parsed = v.safeParse(CreatePayoutBody, rowBody(names, cells));
    if (!parsed.success) {
      errors.push({ line, message: [...problems, describeIssues(parsed.issues).replace(/urls\./g, '')].join('; ') });
      return;
    }
    const b = parsed.output;
    const returnProblem = returnUrlProblem(merchant.settings, b.urls.returnUrl);
    if (returnProblem) problems.push(`returnUrl ${returnProblem}`);
    const failProblem = b.urls.failUrl ? returnUrlProblem(merchant.settings, b.urls.failUrl) : null;
    if (failProblem) problems.push(`failUrl ${failProblem}`);
    const channel = resolveChannel(merchant.settings, b.type ?? undefined, undefined);
    if (!('channel' in channel)) problems.push('denied' in channel ? channel.denied : channel.invalid);
    const twin = seen.get(b.orderNumber);
    if (twin) problems.push(`orderNumber ${b.orderNumber} is also on line ${twin}`);
    seen.set(b.orderNumber, line);
    if (problems.length) errors.push({ line, message: problems.join('; ') });
    else rows.push({ ...b, channel: (channel as { channel: string }).channel });
  });
  // Order numbers the merchant already used: createPayout would refuse them.
  const numbers = [...seen.keys()];
  for (let i = 0; i < numbers.length; i += 500) {
    const used = await s.db
      .selectFrom('payouts')
      .select('order_number')
      .where('merchant_id', '=', merchant.id)
      .where('order_number', 'in', numbers.slice(i, i + 500))
      .execute();
    for (const u of used) {
      errors.push({ line: seen.get(u.order_number)!, message: `orderNumber ${u.order_number} is already used` });
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}

/** Stores a checked batch (all rows in one transaction) and starts creating its payouts. */
export async function startBatch(
  s: Services,
  merchant: Merchant,
  userId: string,
  fileName: string,
  rows: Body[],
): Promise<string> {
  const id = `b_${randomBytes(8).toString('hex')}`;
  await s.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('payout_batches')
      .values({
        id,
        merchant_id: merchant.id,
        user_id: userId,
        file_name: fileName,
        total: rows.length,
        created_at: s.clock.now(),
      })
      .execute();
    for (let i = 0; i < rows.length; i += 100) {
      await tx
        .insertInto('payout_batch_rows')
        .values(
          rows.slice(i, i + 100).map((r, j) => ({
            batch_id: id,
            row_no: i + j + 1,
            order_number: r.orderNumber,
            request: JSON.stringify(r),
          })),
        )
        .execute();
    }
  });
  resumeBatch(s, merchant, id);
  return id;
}

const running = new Set<string>();

/** Creates the batch's remaining payouts in the background (once per batch in this process). */
export function resumeBatch(s: Services, merchant: Merchant, batchId: string): void {
  if (running.has(batchId)) return;
  running.add(batchId);
  void createRemaining(s, merchant, batchId)
    .catch((err: Error) =>
      s.log.error({ err: { message: err.message }, batchId }, 'batch stopped; it resumes when viewed'),
    )
    .finally(() => running.delete(batchId));
}

async function createRemaining(s: Services, merchant: Merchant, batchId: string): Promise<void> {
  for (;;) {
    const todo = await s.db
      .selectFrom('payout_batch_rows')
      .select(['row_no', 'request'])
      .where('batch_id', '=', batchId)
      .where('order_id', 'is', null)
      .where('error', 'is', null)
      .orderBy('row_no')
      .limit(50)
      .execute();
    if (todo.length === 0) break;
    for (const row of todo) {
      const b = JSON.parse(row.request) as Body;
      const r = await createLinkPayout(s, merchant, linkPayoutInput(b, b.channel));
      await s.db
        .updateTable('payout_batch_rows')
        .set(r.ok ? { order_id: r.payout.order_id } : { error: 'CONFLICT' })
        .where('batch_id', '=', batchId)
        .where('row_no', '=', row.row_no)
        .execute();
    }
  }
  await s.db.updateTable('payout_batches').set({ finished_at: s.clock.now() }).where('id', '=', batchId).execute();
}

export async function listBatches(s: Services, merchantId: string) {
  return s.db
    .selectFrom('payout_batches as b')
    .select((eb) => [
      'b.id',
      'b.file_name',
      'b.total',
      'b.created_at',
      'b.finished_at',
      eb
        .selectFrom('payout_batch_rows as r')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('r.batch_id', '=', 'b.id')
        .where((e) => e.or([e('r.order_id', 'is not', null), e('r.error', 'is not', null)]))
        .as('done'),
    ])
    .where('b.merchant_id', '=', merchantId)
    .orderBy('b.created_at', 'desc')
    .limit(50)
    .execute();
}
export type BatchSummary = Awaited<ReturnType<typeof listBatches>>[number];

export async function getBatch(s: Services, merchantId: string, batchId: string) {
  return (await listBatches(s, merchantId)).find((b) => b.id === batchId);
}

/** One line per row: orderNumber, orderId, payoutUrl, status, failure code. */
export async function batchResults(s: Services, merchant: Merchant, batchId: string) {
  const rows = await s.db
    .selectFrom('payout_batch_rows as r')
    .leftJoin('payouts as p', (j) => j.onRef('p.order_id', '=', 'r.order_id').on('p.merchant_id', '=', merchant.id))
    .select([
      'r.row_no',
      'r.order_number',
      'r.error',
      'p.order_id',
      'p.link_token',
      'p.status',
      'p.failure_code',
      'p.status_reason',
      'p.updated_at',
    ])
    .where('r.batch_id', '=', batchId)
    .orderBy('r.row_no')
    .execute();
  return rows.map((r) => {
    const seen =
      r.status && r.updated_at !== null
        ? merchantStatus(
            {
              status: r.status,
              failure_code: r.failure_code,
              status_reason: r.status_reason,
              updated_at: r.updated_at,
            },
            merchant.settings.extendedStatuses,
          )
        : undefined;
    return {
      orderNumber: r.order_number,
      orderId: r.order_id ?? '',
      payoutUrl:
        r.order_id && r.link_token ? (linkUrlOf(s, { order_id: r.order_id, link_token: r.link_token }) ?? '') : '',
      status: seen?.status ?? (r.error ? 'not created' : 'pending'),
      failureCode: seen?.failure?.code ?? r.error ?? '',
    };
  });
}
