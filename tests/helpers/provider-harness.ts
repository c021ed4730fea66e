// For adapter tests without the whole service: the deps an adapter gets, and a small
// HTTP receiver that passes provider callbacks to the adapter's handleCallback as the
// service's /callbacks/<instance>/… route does.
import { createServer } from 'node:http';
import SQLite from 'better-sqlite3';
import { startServer, tempDataDir, type TestServer } from './server.ts';
import { startService, type Service } from './service.ts';
import { eventually } from './eventually.ts';
import { closeServer, listenLocal, readBody } from '../simulators/http.ts';
import type { MerchantSettings } from '../../server/merchants/settings.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../server/log.ts';
import type { Db } from '../../server/db/index.ts';
import type { AdapterDeps, AdapterHost, CallbackResult, ProviderAdapter } from '../../server/providers/types.ts';

export function adapterDeps(
  instance: string,
  options: Record<string, unknown>,
  clock = { now: () => Date.now() },
  /** For an adapter that keeps records (Bank 131's journal). */
  db?: Db,
): AdapterDeps {
  return {
    instance,
    options,
    fetch: globalThis.fetch,
    log: createLogger('silent'),
    clock,
    publicUrl: 'http://127.0.0.1:1',
    dataDir: mkdtempSync(join(tmpdir(), 'payee-adapter-')),
    get db(): Db {
      if (!db) throw new Error('this adapter test runs without a database: pass one to adapterDeps');
      return db;
    },
  };
}

/** Writes a secret to a temp file (adapters read credentials from files or env). */
export function secretFile(value: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'payee-secret-')), 'secret');
  writeFileSync(file, value, { mode: 0o600 });
  return file;
}

export interface Received {
  pathTail: string;
  httpStatus: number;
  result: CallbackResult;
}

/** By default every payout a callback names is ours and still `processing`. */
const waitingHost: AdapterHost = {
  payoutStatus: async (ref) => (ref.orderId ? { status: 'processing', orderId: ref.orderId } : undefined),
};

export async function startCallbackReceiver(adapter: ProviderAdapter, host: AdapterHost = waitingHost) {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://x');
    const prefix = `/callbacks/${adapter.instance}/`;
    const pathTail = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const result = await adapter.handleCallback!({ headers, rawBody: raw, query: url.searchParams, pathTail }, host);
    const httpStatus = result.accepted ? (result.response?.status ?? 200) : result.httpStatus;
    received.push({ pathTail, httpStatus, result });
    res.writeHead(httpStatus).end(result.accepted ? (result.response?.body ?? '') : result.reason);
  });
  const base = await listenLocal(server);
  return {
    /** The callback base URL the adapter is given (as <publicUrl>/callbacks/<instance>). */
    callbackUrl: `${base}/callbacks/${adapter.instance}`,
    received,
    /** Every update the adapter asked the engine to apply, in order. */
    updates: () => received.flatMap((r) => (r.result.accepted ? r.result.updates : [])),
    close: () => closeServer(server),
  };
}

// ---- The whole service (in this process) routed to one provider instance ----

export interface PayoutRowView {
  id: number;
  order_id: string;
  status: string;
  status_reason: string | null;
  provider_ref: string | null;
}

export interface PayeeWithProvider {
  /** In this process; a child process when the test kills it. */
  server: Service | TestServer;
  merchant: { id: string; token: string; webhookSecret: string | null };
  hooks: Awaited<ReturnType<(typeof import('./engine.ts'))['webhookReceiver']>>;
  api(path: string, body: unknown): Promise<{ status: number; body: any }>;
  /** Our payout row, read from the service's SQLite file. */
  row(orderNumber: string): PayoutRowView | undefined;
  /** Waits until the payout is in one of these statuses (30 s at most). */
  untilStatus(orderNumber: string, statuses: string[]): Promise<PayoutRowView>;
  /** Statuses the merchant's webhook endpoint received for an order, in order. */
  webhookStatuses(orderNumber: string): string[];
  /** Status transitions recorded for an order. */
  history(orderNumber: string): string[];
  /** Statuses of the webhook events the outbox holds for an order, sent or not. */
  outbox(orderNumber: string): string[];
  /** The order's review items ("<reason>:<state>"), oldest first. */
  reviews(orderNumber: string): string[];
  stop(): Promise<void>;
}

export async function startPayeeWith(
  providers: Record<string, object>,
  routes: MerchantSettings['routes'],
  opts: { env?: Record<string, string>; child?: boolean; settings?: Partial<MerchantSettings> } = {},
): Promise<PayeeWithProvider> {
  // Loaded here, not at the top: adapter-only tests need none of the service's code.
  const { SERVICE_ENV, seedMerchant, webhookReceiver, post } = await import('./engine.ts');
  const dataDir = tempDataDir();
  const hooks = await webhookReceiver();
  const merchant = await seedMerchant(dataDir, {
    routes,
    returnOrigins: ['https://shop.example', 'http://127.0.0.1'],
    webhook: { url: hooks.url, enabled: true, useSignature: true },
    ...opts.settings,
  });
  const env = { ...SERVICE_ENV, ...opts.env };
  const server = opts.child
    ? await startServer({ dataDir, config: { providers }, env })
    : await startService({ dataDir, providers, env });
  const db = new SQLite(`${dataDir}/payee.sqlite`, { readonly: true, fileMustExist: true });
  const row = (orderNumber: string) =>
    db
      .prepare('select id, order_id, status, status_reason, provider_ref from payouts where order_number = ?')
      .get(orderNumber) as PayoutRowView | undefined;
  return {
    server,
    merchant,
    hooks,
    api: (path, body) => post(server.url, merchant.token, path, body),
    row,
    untilStatus: (orderNumber, statuses) =>
      eventually(
        () => {
          const r = row(orderNumber);
          return r && statuses.includes(r.status) ? r : undefined;
        },
        30_000,
        `${orderNumber} to be ${statuses.join(' or ')}`,
      ),
    webhookStatuses: (orderNumber) =>
      hooks.received
        .map((r) => JSON.parse(r.body))
        .filter((e) => e.payout.externalId === orderNumber)
        .map((e) => e.payout.status),
    history: (orderNumber) =>
      (
        db
          .prepare(
            'select h.to_status from payout_history h join payouts p on p.id = h.payout_id where p.order_number = ? order by h.id',
          )
          .all(orderNumber) as Array<{ to_status: string }>
      ).map((h) => h.to_status),
    outbox: (orderNumber) =>
      (
        db
          .prepare(
            'select e.payload from webhook_events e join payouts p on p.id = e.payout_id where p.order_number = ? order by e.id',
          )
          .all(orderNumber) as Array<{ payload: string }>
      ).map((e) => JSON.parse(e.payload).payout.status),
    reviews: (orderNumber) =>
      (
        db
          .prepare(
            'select r.reason, r.state from payout_reviews r join payouts p on p.id = r.payout_id where p.order_number = ? order by r.id',
          )
          .all(orderNumber) as Array<{ reason: string; state: string }>
      ).map((r) => `${r.reason}:${r.state}`),
    async stop() {
      db.close();
      await server.stop();
      await hooks.close();
    },
  };
}

/** A `p2p` provider instance talking to a P2P gateway simulator, its keys in temp files. */
export function p2pInstance(
  sim: { url: string; merchant: string; signKey: string; apiKey: string },
  options: Record<string, unknown> = {},
) {
  return {
    kind: 'p2p',
    baseUrl: sim.url,
    merchant: sim.merchant,
    signKeyFile: secretFile(sim.signKey),
    apiKeyFile: secretFile(sim.apiKey),
    ...options,
  };
}
