// Measures the payout engine on the sandbox (not part of `npm test`):
//   1. performPayout throughput: autocannon, 50 connections, a unique orderNumber per request;
//   2. webhook delivery rate: a backlog of events, one per payout, drained to a local receiver.
// Run: node --import tsx scripts/bench-engine.ts [seconds=10] [connections=50]
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { openDb } from '../server/db/index.ts';
import { eventBody, newEventId, moscowTime } from '../server/webhooks/payload.ts';
import { startServer, tempDataDir } from '../tests/helpers/server.ts';
import { seedMerchant, webhookReceiver } from '../tests/helpers/engine.ts';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  duration: number;
}
type Autocannon = (opts: object) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 50);

const receiver = await webhookReceiver(() => 204);
const dataDir = tempDataDir('payee-bench-');
const merchant = await seedMerchant(dataDir, { webhook: { url: receiver.url, enabled: true, useSignature: true } });
const config = { providers: { sandbox: { kind: 'sandbox', delayMs: 1000, callbacks: true } } };
const env = { PAYEE_DEMO: '0', PAYEE_API_RATE: '999999' }; // info level: the test helper waits for the "listening" line
let server = await startServer({ dataDir, env, config });

let n = 0;
const run = (t: string) => `${t}-${randomUUID().slice(0, 8)}`;
const tag = run('B');
console.log(
  `performPayout: ${connections} connections, ${seconds} s, sandbox (delayMs 1000, callbacks on), webhooks to a local receiver`,
);
const result = await autocannon({
  url: `${server.url}/api/v1/performPayout`,
  connections,
  duration: seconds,
  method: 'POST',
  headers: { 'content-type': 'application/json; charset=UTF-8', authorization: `Bearer ${merchant.token}` },
  requests: [
    {
      setupRequest: (req: object) => ({
        ...req,
        body: JSON.stringify({
          orderNumber: `${tag}-${++n}`,
          amount: 10_000,
          description: 'bench',
          target: { pan: '4111111111111111' },
        }),
      }),
    },
  ],
});
console.log(
  `  ${result.requests.average.toFixed(0)} req/s (total ${result.requests.total}), latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
);

// Let the sandbox finish the payouts and the outbox drain, then build a backlog.
await new Promise((r) => setTimeout(r, 3000));
await server.stop();
const db = await openDb({ dataDir });
const payouts = await db.selectFrom('payouts').select(['id', 'order_number', 'amount', 'merchant_id']).execute();
const now = Date.now();
const rows = payouts.map((p) => {
  const eventId = newEventId();
  const payload = eventBody({
    event: 'payout.status_changed',
    eventId,
    occurredAt: moscowTime(now),
    payout: { id: p.id, externalId: p.order_number, status: 'success', amount: p.amount, currency: 'RUB' },
  });
  return {
    event_id: eventId,
    merchant_id: p.merchant_id,
    payout_id: p.id,
    status: 'success' as const,
    payload,
    state: 'pending' as const,
    next_attempt_at: now,
    created_at: now,
  };
});
for (let i = 0; i < rows.length; i += 500)
  await db
    .insertInto('webhook_events')
    .values(rows.slice(i, i + 500))
    .execute();
await db.destroy();

const before = receiver.received.length;
const t0 = performance.now();
server = await startServer({ dataDir, env, config });
await receiver.until((got) => got.length >= before + rows.length, 300_000);
const secs = (performance.now() - t0) / 1000;
console.log(
  `webhooks: ${rows.length} queued events delivered in ${secs.toFixed(1)} s (including start-up) = ${(rows.length / secs).toFixed(0)} events/s, signed, one per payout`,
);

await server.stop();
await receiver.close();
