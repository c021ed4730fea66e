// The merchant API and the webhook outbox. Payee: the real server as a child process on a
// SQLite file, a merchant routed to the sandbox, its webhooks going to a local receiver
// that keeps connections alive.
//  - createPayout with a new orderNumber per request, beside node:http + better-sqlite3
//    inserting one row per request (raw-insert-server.ts);
//  - performPayout with the sandbox (a card that succeeds), Payee alone; and the same request
//    on a service whose sandbox sends no callback and whose merchant has no webhook URL, to
//    show what the request costs by itself;
//  - webhook delivery: events queue up while the receiver holds its answers, then the
//    receiver answers at once and the backlog drains; events per second, Payee alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { join } from 'node:path';
import { startServer, tempDataDir, type TestServer } from '../../tests/helpers/server.ts';
import { seedMerchant } from '../../tests/helpers/engine.ts';
import { measure, type Load, type Measured, type Suite } from './kit.ts';

const HEADERS = { 'content-type': 'application/json; charset=UTF-8', accept: 'application/json; version=1.0' };

/** A POST load sending a new orderNumber with every request. */
export function orders(url: string, pid: number, path: string, token: string, body: (n: number) => object): Load {
  let n = 0;
  const run = randomBytes(5).toString('hex');
  return {
    url,
    pid,
    requests: [
      {
        method: 'POST',
        path,
        headers: { ...HEADERS, authorization: `Bearer ${token}` },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ orderNumber: `b${run}-${++n}`, ...body(n) }) }),
      },
    ],
    check: async () => {
      const res = await fetch(url + path, {
        method: 'POST',
        headers: { ...HEADERS, authorization: `Bearer ${token}` },
        body: JSON.stringify({ orderNumber: `b${run}-check`, ...body(0) }),
      });
      const answer = (await res.json()) as { result?: { error?: string } };
      if (res.status !== 200 || answer.result?.error !== '0')
        throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(answer)}`);
    },
  };
}

/** A webhook receiver that can hold its answers (a backlog builds up) and then let them all go. */
async function holdingReceiver() {
  const held: ServerResponse[] = [];
  let holding = true;
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (holding) held.push(res);
      else {
        arrivals.push(performance.now());
        res.end();
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`,
    arrivals,
    hold() {
      holding = true;
      arrivals.length = 0;
    },
    release() {
      holding = false;
      const at = performance.now();
      for (const res of held.splice(0)) {
        arrivals.push(at);
        res.end();
      }
      return at;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export const apiSuite = (): Suite => ({
  name: 'merchant API and webhooks',
  async start({ pinServer }) {
    const receiver = await holdingReceiver();
    const dataDir = tempDataDir('payee-bench-');
    const merchant = await seedMerchant(dataDir, { webhook: { url: receiver.url, enabled: true, useSignature: true } });
    // Held answers must outlast building the backlog, or they time out into the retry schedule.
    // The API's per-token rate limit (30 req/s by default) and the per-address connection cap
    // are lifted: the bench measures the work behind them, and the load generator and the
    // sandbox's callbacks all come from 127.0.0.1.
    const lifted = { PAYEE_DEMO: '0', PAYEE_API_RATE: '999999', PAYEE_MAX_CONNECTIONS_PER_ADDRESS: '999999' };
    const payee = await startServer({ dataDir, env: { ...lifted, PAYEE_WEBHOOK_TIMEOUT_MS: '120000' } });
    let lone: TestServer | undefined;
    let raw: ChildProcess | undefined;
    try {
      // The same request with nothing after it: no sandbox callback, no webhook URL.
      const loneDir = tempDataDir('payee-bench-');
      const loneMerchant = await seedMerchant(loneDir);
      lone = await startServer({
        dataDir: loneDir,
        env: lifted,
        config: { providers: { sandbox: { kind: 'sandbox', callbacks: false } } },
      });
      pinServer(payee.child.pid!);
      pinServer(lone.child.pid!);
      raw = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'raw-insert-server.ts'), dataDir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const [line] = (await once(raw.stdout!, 'data')) as [Buffer];
      const rawUrl = (JSON.parse(line.toString()) as { url: string }).url;
      pinServer(raw.pid!);
      const pid = payee.child.pid!;
      const create = (n: number) => ({
        amount: 150000 + n,
        description: 'Возврат за заказ 1456',
        urls: { returnUrl: 'https://shop.example/return' },
      });
      const perform = (n: number) => ({
        amount: 150000 + n,
        description: 'Выплата',
        target: { pan: '4111111111111111' },
      });
      return {
        rows: [
          {
            name: 'createPayout (a new orderNumber each)',
            payee: orders(payee.url, pid, '/api/v1/createPayout', merchant.token, create),
            raw: orders(rawUrl, raw.pid!, '/createPayout', 'raw', create),
            rawIs: 'node:http + better-sqlite3 (WAL, synchronous=FULL) inserting one row per request',
          },
          {
            name: 'performPayout, sandbox',
            payee: orders(payee.url, pid, '/api/v1/performPayout', merchant.token, perform),
          },
          {
            name: 'performPayout, sandbox, the request alone (no callback, no webhook)',
            payee: orders(lone.url, lone.child.pid!, '/api/v1/performPayout', loneMerchant.token, perform),
          },
          {
            name: 'webhook delivery, events/s draining a backlog',
            payee: {
              url: payee.url,
              pid,
              // Builds the backlog with performPayout while the receiver holds, then drains it.
              run: async (seconds: number): Promise<Measured> => {
                receiver.hold();
                await measure(orders(payee.url, pid, '/api/v1/performPayout', merchant.token, perform), 20, seconds);
                // The sandbox reports success after its delay: those events join the backlog too.
                await new Promise((r) => setTimeout(r, 1500));
                const from = receiver.release();
                let last = -1;
                while (receiver.arrivals.length !== last) {
                  last = receiver.arrivals.length;
                  await new Promise((r) => setTimeout(r, 2000));
                }
                const took = (Math.max(...receiver.arrivals) - from) / 1000;
                return { rps: receiver.arrivals.length / took, bad: 0 };
              },
            },
          },
        ],
        async stop() {
          raw?.kill('SIGTERM');
          await Promise.all([payee.stop(), lone?.stop()]);
          await receiver.close();
        },
      };
    } catch (err) {
      raw?.kill('SIGTERM');
      await Promise.all([payee.stop(), lone?.stop()]);
      await receiver.close();
      throw err;
    }
  },
});
