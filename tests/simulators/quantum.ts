// A Quantum Payouts upstream account simulator, as its API documentation describes it:
// performPayout (cards, idempotent per orderNumber), getPayoutStatus, features, all with
// a Bearer token, and payout.status_changed webhooks to the account's configured URL,
// signed X-Payouts-Signature: sha256=<HMAC of the minified JSON>. It refuses a wrong
// token, keeps only masked card numbers, and can be told to fail, delay, hang after
// committing, send webhooks twice or in the wrong order, or sign them wrongly.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenLocal, maskPan, readBody } from './http.ts';

/** The documented ones, and any other the account may add (its list says "e.g."). */
export type UpstreamStatus = 'uploaded' | 'created' | 'processing' | 'success' | 'failed' | 'cancelled' | (string & {});

/** The account's documented limit. */
export const REQUESTS_PER_SECOND = 30;

export interface UpstreamPayout {
  id: number;
  orderNumber: string;
  amount: number;
  description: string;
  maskedPan: string;
  status: UpstreamStatus;
  creationDate: number;
  bankOrderId: string;
}

export interface WebhookDelivery {
  eventId: string;
  orderNumber: string;
  status: UpstreamStatus;
  httpStatus: number | null;
}

export class QuantumSimulator {
  url = '';
  readonly token: string;
  readonly webhookSecret: string;
  /** Where the account's webhooks go (its dashboard setting). */
  webhookUrl: string | null = null;
  features = {
    single_payout: true,
    batch_processing: true,
    bearer_auth: true,
    card_payouts: true,
    sbp_payouts: false,
    file_download: false,
  };
  readonly payouts = new Map<string, UpstreamPayout>();
  /** Payouts actually sent to the bank: one per orderNumber, however often performPayout is called. */
  readonly bankSubmissions: string[] = [];
  readonly performCalls: string[] = [];
  readonly statusCalls: string[] = [];
  featuresCalls = 0;
  readonly webhooks: WebhookDelivery[] = [];

  failNext: { httpStatus: number; error: string; message: string } | null = null;
  hangNext = false;
  delayMs = 0;
  duplicateWebhooks = false;
  /** On settling, the final webhook goes first and a stale `processing` one after it. */
  outOfOrder = false;
  /** Settle every accepted payout on its own with this status, after autoSettleMs. */
  autoStatus: 'success' | 'failed' | null = null;
  autoSettleMs = 0;
  /** When each request arrived (ms, monotonic), every kind together. */
  readonly arrivals: number[] = [];
  /** Requests answered 429 (over the limit, or while throttling). */
  throttled = 0;
  /** Until then (monotonic ms), every request is answered 429, as an account under load does. */
  throttleUntil = 0;
  /** Throttling for this long from the next request to arrive (however long the caller takes to send it). */
  throttleNextMs = 0;
  /** Answers and webhooks show this amount instead of the payout's. */
  echoAmount: number | null = null;

  private nextId = 1000;
  private server = createServer(
    (req, res) => void this.route(req, res).catch((err) => send(res, 500, envelope('INTERNAL_ERROR', String(err)))),
  );
  private timers = new Set<NodeJS.Timeout>();
  private inFlight = new Set<Promise<unknown>>();

  constructor(opts: { token?: string; webhookSecret?: string } = {}) {
    this.token = opts.token ?? `qt_${randomBytes(12).toString('hex')}`;
    this.webhookSecret = opts.webhookSecret ?? `sk_test_${randomBytes(20).toString('hex')}`;
  }

  async start(): Promise<this> {
    this.url = `${await listenLocal(this.server)}/api/v1`;
    return this;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await Promise.allSettled([...this.inFlight]);
    await closeServer(this.server);
  }

  /** Moves a payout to a final status and notifies, as the account does. */
  async settle(orderNumber: string, status: 'success' | 'failed' | 'cancelled'): Promise<void> {
    const p = this.payouts.get(orderNumber);
    if (!p) throw new Error(`simulator: no payout ${orderNumber}`);
    if (p.status === 'success' || p.status === 'failed' || p.status === 'cancelled') return;
    p.status = status;
    if (this.outOfOrder) {
      await this.notify(p, status);
      await this.notify(p, 'processing');
    } else {
      await this.notify(p, status);
    }
  }

  /** Sends one payout.status_changed webhook (a stale status or a wrong secret when asked). */
  async notify(
    p: UpstreamPayout,
    status: UpstreamStatus,
    opts: { secret?: string; eventId?: string } = {},
  ): Promise<number | null> {
    if (!this.webhookUrl) return null;
    const eventId = opts.eventId ?? randomBytes(16).toString('hex');
    const payload = {
      event: 'payout.status_changed',
      eventId,
      occurredAt: moscowTime(new Date()),
      payout: { id: p.id, externalId: p.orderNumber, status, amount: this.echoAmount ?? p.amount, currency: 'RUB' },
    };
    // Sent pretty-printed, signed minified: receivers must normalise as documented.
    const body = JSON.stringify(payload, null, 2);
    const signature = `sha256=${createHmac('sha256', opts.secret ?? this.webhookSecret)
      .update(JSON.stringify(payload))
      .digest('hex')}`;
    const times = this.duplicateWebhooks ? 2 : 1;
    let last: number | null = null;
    for (let i = 0; i < times; i++) {
      const delivery: WebhookDelivery = { eventId, orderNumber: p.orderNumber, status, httpStatus: null };
      this.webhooks.push(delivery);
      const sent = fetch(this.webhookUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Payouts-Event': 'payout.status_changed',
          'X-Payouts-Event-Id': eventId,
          'X-Payouts-Timestamp': String(Math.floor(Date.now() / 1000)),
          'X-Payouts-Signature': signature,
        },
        body,
      })
        .then(async (r) => {
          await r.text();
          delivery.httpStatus = r.status;
        })
        .catch(() => {});
      this.inFlight.add(sent);
      await sent;
      this.inFlight.delete(sent);
      last = delivery.httpStatus;
    }
    return last;
  }

  /** The most requests that arrived within any one second. */
  busiestSecond(): number {
    let most = 0;
    for (let i = 0, j = 0; j < this.arrivals.length; j++) {
      while (this.arrivals[j]! - this.arrivals[i]! >= 1000) i++;
      most = Math.max(most, j - i + 1);
    }
    return most;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const at = performance.now();
    this.arrivals.push(at);
    if (this.throttleNextMs) {
      this.throttleUntil = at + this.throttleNextMs;
      this.throttleNextMs = 0;
    }
    const raw = await readBody(req);
    const lastSecond = this.arrivals.filter((t) => t > at - 1000).length;
    if (at < this.throttleUntil || lastSecond > REQUESTS_PER_SECOND) {
      this.throttled++;
      // As a front proxy answers: no result envelope.
      res.writeHead(429, { 'Content-Type': 'text/plain', 'Retry-After': '1' }).end('Too Many Requests');
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return send(res, 401, envelope('UNAUTHORIZED', 'Invalid or missing Bearer token'));
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (path === '/api/v1/features' && req.method === 'GET') return this.featuresAnswer(res);
    if (req.method !== 'POST') return send(res, 405, envelope('METHOD_NOT_ALLOWED', 'method not allowed'));
    let body: Record<string, any>;
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, 400, envelope('VALIDATION_ERROR', 'body is not JSON'));
    }
    if (path === '/api/v1/performPayout') return this.perform(body, res);
    if (path === '/api/v1/getPayoutStatus') return this.getStatus(body, res);
    return send(res, 404, envelope('NOT_FOUND', 'no such endpoint'));
  }

  private featuresAnswer(res: ServerResponse): void {
    this.featuresCalls++;
    send(res, 200, {
      system: 'payouts',
      environment: 'development',
      version: 'v1',
      timestamp: Math.floor(Date.now() / 1000),
      features: this.features,
      result: { error: '0', message: null },
    });
  }

  private async perform(b: Record<string, any>, res: ServerResponse): Promise<void> {
    this.performCalls.push(String(b.orderNumber));
    const problems: string[] = [];
    if (typeof b.orderNumber !== 'string' || !b.orderNumber || b.orderNumber.length > 32)
      problems.push('orderNumber must be 1-32 characters');
    if (!Number.isInteger(b.amount) || b.amount <= 0 || b.amount > 999_999_999_999)
      problems.push('amount must be a positive integer of up to 12 digits');
    if (typeof b.description !== 'string' || !b.description) problems.push('description is required');
    if (typeof b.target?.pan !== 'string' || !/^\d{13,19}$/.test(b.target.pan))
      problems.push('target.pan must be 13-19 digits');
    if (problems.length) return send(res, 400, envelope('VALIDATION_ERROR', problems.join('; ')));
    if (!this.features.card_payouts)
      return send(res, 403, envelope('PERMISSION_DENIED', 'card payouts are not enabled'));
    if (this.failNext) {
      const f = this.failNext;
      this.failNext = null;
      return send(res, f.httpStatus, envelope(f.error, f.message));
    }
    let p = this.payouts.get(b.orderNumber);
    if (!p) {
      p = {
        id: this.nextId++,
        orderNumber: b.orderNumber,
        amount: b.amount,
        description: b.description,
        maskedPan: maskPan(b.target.pan),
        status: 'processing',
        creationDate: Math.floor(Date.now() / 1000),
        bankOrderId: `BANK_${randomBytes(5).toString('hex')}`,
      };
      this.payouts.set(p.orderNumber, p);
      this.bankSubmissions.push(p.orderNumber);
      const created = p;
      this.later(() => this.notify(created, 'processing').then(() => {}), 0);
      const auto = this.autoStatus;
      if (auto) this.later(() => this.settle(created.orderNumber, auto), this.autoSettleMs);
    }
    if (this.hangNext) {
      this.hangNext = false;
      return; // committed and sent to the bank, never answered
    }
    send(res, 200, this.view(p));
  }

  private getStatus(b: Record<string, any>, res: ServerResponse): void {
    this.statusCalls.push(String(b.orderNumber));
    const p = typeof b.orderNumber === 'string' ? this.payouts.get(b.orderNumber) : undefined;
    if (!p) return send(res, 404, envelope('NOT_FOUND', 'payout not found'));
    send(res, 200, { ...this.view(p), description: p.description, destination_type: 'card', channel: 'vtb' });
  }

  private view(p: UpstreamPayout) {
    return {
      result: { error: '0', message: null },
      orderNumber: p.orderNumber,
      orderStatus: p.status,
      amount: this.echoAmount ?? p.amount,
      creationDate: p.creationDate,
      orderId: p.bankOrderId,
      target: { maskedPan: p.maskedPan },
    };
  }

  private later(fn: () => Promise<void>, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      void fn().catch(() => {});
    }, ms);
    this.timers.add(t);
  }
}

function envelope(error: string, message: string) {
  return { result: { error, message } };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

/** ISO 8601 in Europe/Moscow (UTC+3), as the account stamps its events. */
function moscowTime(d: Date): string {
  return `${new Date(d.getTime() + 3 * 3600_000).toISOString().slice(0, 19)}+03:00`;
}

export async function startQuantumSimulator(
  opts: { token?: string; webhookSecret?: string } = {},
): Promise<QuantumSimulator> {
  return new QuantumSimulator(opts).start();
}
