// Prometheus metrics (prom-client), one registry per running service. What this process does
// is counted where it happens (HTTP answers, provider calls, webhook deliveries); what the
// database holds is read when scraped (payout transitions, the webhook queue, the review list).
// Labels are patterns and names, never a path with a token, an order number or an amount.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/index.ts';
import type { Clock } from '../clock.ts';

export interface Metrics {
  registry: Registry;
  /** Answers by route pattern (/pay/:token), method and status code. */
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Calls to providers by instance, adapter kind, operation and outcome (the answer's status, or `error`). */
  providerCalls: Histogram<'provider' | 'kind' | 'operation' | 'outcome'>;
  /** Webhook delivery attempts: delivered, retry (a failed attempt with more to come), failed (gave up), skipped. */
  webhookDeliveries: Counter<'result'>;
}

export function createMetrics({ db, clock }: { db: Db; clock: Clock }): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  // Transitions are counted from payout_history, so only committed ones count: those committed
  // since this service started (by any instance sharing the database).
  let seen: Promise<number> = maxHistoryId(db);
  new Counter({
    name: 'payee_payout_transitions_total',
    help: 'Payout status changes committed since the service started, by previous and new status',
    labelNames: ['from', 'to'] as const,
    registers,
    async collect() {
      const after = await seen;
      const rows = await db
        .selectFrom('payout_history')
        .select(({ fn }) => ['from_status', 'to_status', fn.countAll<number>().as('n'), fn.max('id').as('last')])
        .where('id', '>', after)
        .groupBy(['from_status', 'to_status'])
        .execute();
      for (const r of rows) this.inc({ from: r.from_status ?? 'none', to: r.to_status }, Number(r.n));
      seen = Promise.resolve(Math.max(after, ...rows.map((r) => Number(r.last))));
    },
  });

  new Gauge({
    name: 'payee_webhook_queue_depth',
    help: 'Webhook events waiting for delivery (including those waiting for a retry)',
    registers,
    async collect() {
      const r = await pendingWebhooks(db);
      this.set(Number(r.n));
    },
  });
  new Gauge({
    name: 'payee_webhook_oldest_pending_seconds',
    help: 'Age of the oldest webhook event still waiting for delivery (0 when none waits)',
    registers,
    async collect() {
      const r = await pendingWebhooks(db);
      this.set(r.oldest === null ? 0 : Math.max(0, (clock.now() - Number(r.oldest)) / 1000));
    },
  });
  new Gauge({
    name: 'payee_review_open',
    help: 'Open items on the review list (npm run payouts -- review)',
    registers,
    async collect() {
      const r = await db
        .selectFrom('payout_reviews')
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .where('state', '=', 'open')
        .executeTakeFirstOrThrow();
      this.set(Number(r.n));
    },
  });

  return {
    registry,
    httpDuration: new Histogram({
      name: 'payee_http_request_duration_seconds',
      help: 'HTTP answers by route pattern, method and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    providerCalls: new Histogram({
      name: 'payee_provider_call_duration_seconds',
      help: 'Calls to payout providers by instance, adapter kind, operation and outcome',
      labelNames: ['provider', 'kind', 'operation', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'payee_webhook_deliveries_total',
      help: 'Webhook delivery attempts by result: delivered, retry, failed (gave up), skipped',
      labelNames: ['result'] as const,
      registers,
    }),
  };
}

async function maxHistoryId(db: Db): Promise<number> {
  const r = await db
    .selectFrom('payout_history')
    .select(({ fn }) => fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(r?.id ?? 0);
}

function pendingWebhooks(db: Db) {
  return db
    .selectFrom('webhook_events')
    .select(({ fn }) => [fn.countAll<number>().as('n'), fn.min('created_at').as('oldest')])
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow();
}
