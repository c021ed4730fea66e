// Shared pieces of the service tests: fast workers, a merchant with its own webhook
// receiver, the sandbox's record of submissions, the merchant API call, and a Luhn
// scanner for "no card number in clear" checks.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { once } from 'node:events';
import { openTestDb } from './store.ts';
import { loadKeyring } from '../../server/vault/keyring.ts';
import { createMerchant } from '../../server/merchants/store.ts';
import type { MerchantSettings, SettingsContext } from '../../server/merchants/settings.ts';
import { luhnValid } from '../../src/contract/card.ts';

/** Fast workers for tests, and an API rate no test of something else runs into. */
export const FAST_ENV = {
  PAYEE_WORKER_TICK_MS: '50',
  PAYEE_SYNC_FIRST_MS: '100',
  PAYEE_SYNC_MAX_MS: '400',
  PAYEE_API_RATE: '1000',
};
/** …and no demo merchant: each test seeds its own. */
export const SERVICE_ENV = { ...FAST_ENV, PAYEE_DEMO: '0' };

export class ManualClock {
  constructor(public t = Date.now()) {}
  now = () => this.t;
  advance(ms: number) {
    this.t += ms;
  }
}

export const SANDBOX_ROUTES: MerchantSettings['routes'] = [
  { type: 'card', channel: 'vtb', provider: 'sandbox' },
  { type: 'sbp', channel: 'vtb', provider: 'sandbox' },
];

/** Saving settings as a development service does (http and loopback allowed). */
export const DEV_SETTINGS: SettingsContext = {
  targets: { allowHttp: true, allowLoopback: true },
  environment: 'development',
  providerKinds: {},
};

/** Creates a merchant directly in a data dir (the service may be stopped or running). */
export async function seedMerchant(dataDir: string, settings: Partial<MerchantSettings> = {}) {
  const db = await openTestDb(dataDir);
  try {
    const created = await createMerchant(
      db,
      loadKeyring({ dataDir }),
      {
        name: 'Test shop',
        settings: { returnOrigins: ['https://shop.example'], routes: SANDBOX_ROUTES, ...settings },
      },
      DEV_SETTINGS,
    );
    return { id: created.merchant.id, token: created.token, webhookSecret: created.webhookSecret };
  } finally {
    await db.destroy();
  }
}

/** Every submit() call the sandbox instance received (across our restarts and instances). */
export async function sandboxSubmissions(
  dataDir: string,
  instance = 'sandbox',
): Promise<Array<{ idempotency_key: string; order_id: string; target: string }>> {
  const db = await openTestDb(dataDir);
  try {
    return await db
      .selectFrom('sandbox_submissions')
      .select(['idempotency_key', 'order_id', 'target'])
      .where('instance', '=', instance)
      .orderBy('id')
      .execute();
  } finally {
    await db.destroy();
  }
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A merchant's webhook endpoint: records every request; answers by `status(n)` (n = 1-based request number). */
export async function webhookReceiver(status: (n: number) => number = () => 200) {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ headers: req.headers, body, at: Date.now() });
      res.statusCode = status(received.length);
      res.end();
      for (const w of waiters.splice(0)) w();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Resolves when `pred` holds over what was received (or rejects after timeoutMs). */
    async until(pred: (r: Received[]) => boolean, timeoutMs = 15_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!pred(received)) {
        if (Date.now() > deadline)
          throw new Error(
            `webhook receiver: condition not met; got ${received.length}: ${received.map((r) => r.body).join('\n')}`,
          );
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Card-number-like runs, as data-loss scanners look for them: 13-19 digits standing
 * alone (not inside a longer word such as a hex hash or base64 token) that pass the
 * Luhn check, except 13-digit millisecond timestamps of this year (log "time" fields).
 * Tests also search for the exact numbers they used, anywhere in the bytes.
 */
export function luhnRuns(data: Buffer | string): string[] {
  const text = typeof data === 'string' ? data : data.toString('latin1');
  const now = Date.now();
  const isTimestamp = (run: string) => run.length === 13 && Math.abs(Number(run) - now) < 366 * 86_400_000;
  return [...text.matchAll(/(?<![A-Za-z0-9])\d{13,19}(?![A-Za-z0-9])/g)]
    .map((m) => m[0])
    .filter((run) => luhnValid(run) && !isTimestamp(run));
}

export async function post(
  url: string,
  token: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/v1/${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json; charset=UTF-8',
      Accept: 'application/json; version=1.0',
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
