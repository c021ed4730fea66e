// A payments platform simulator (payouts are payments with type "payout"), as its
// documentation describes it: POST /api/payments and GET /api/payments/:id with a Bearer
// token, Idempotency-Key (the same request answers the same payment, never a second one),
// its own hosted form at the payment's `url` that sends the user back to redirectUrl, and
// webhooks to webhookUrl signed with the token (X-Signature: hex HMAC-SHA256 of the body).
// It can be told to fail, delay, hang after committing, send webhooks twice or out of order.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenLocal, maskPan, readBody } from './http.ts';

export type PaymentStatus = 'pending' | 'succeeded' | 'failed';

export interface Payment {
  id: string;
  status: PaymentStatus;
  url: string;
  externalId: string | null;
  amount: string;
  currency: string;
  type: 'payout' | 'payin';
  description?: string;
  metadata?: Record<string, unknown>;
  createdAt: string;
  redirectUrl: string | null;
  webhookUrl: string | null;
  /** What the recipient entered on the form, masked. */
  maskedPan: string | null;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export class PlatformSimulator {
  url = '';
  readonly token: string;
  readonly payments = new Map<string, Payment>();
  /** Answers by Idempotency-Key. */
  private answers = new Map<string, { status: number; body: string }>();
  readonly createCalls: Array<{ idempotencyKey: string | null; externalId: unknown }> = [];
  readonly getCalls: string[] = [];
  readonly webhooks: Array<{ paymentId: string; status: PaymentStatus; httpStatus: number | null }> = [];

  failNext: { httpStatus: number; message: string } | null = null;
  hangNext = false;
  delayMs = 0;
  duplicateWebhooks = false;
  /** GET and webhooks show this amount instead of the payment's (the create answer stays true). */
  echoAmount: string | null = null;
  /** On settling, the final webhook goes first and a stale `pending` one after it. */
  outOfOrder = false;
  /** What the hosted form's submission leads to. */
  formOutcome: Exclude<PaymentStatus, 'pending'> = 'succeeded';

  private server = createServer(
    (req, res) => void this.route(req, res).catch((err) => sendJson(res, 500, { error: { message: String(err) } })),
  );
  private inFlight = new Set<Promise<unknown>>();

  constructor(opts: { token?: string } = {}) {
    this.token = opts.token ?? `tk_test_${randomBytes(12).toString('hex')}`;
  }

  async start(): Promise<this> {
    this.url = await listenLocal(this.server);
    return this;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    await closeServer(this.server);
  }

  /** Payments created (not create calls: repeats answer the same payment). */
  get created(): number {
    return this.payments.size;
  }

  async settle(id: string, status: Exclude<PaymentStatus, 'pending'>): Promise<void> {
    const p = this.payments.get(id);
    if (!p) throw new Error(`simulator: no payment ${id}`);
    if (p.status !== 'pending') return;
    p.status = status;
    await this.notify(p, status);
    if (this.outOfOrder) await this.notify(p, 'pending');
  }

  /** One webhook claiming `status` (a stale one, or signed with another token when asked). */
  async notify(p: Payment, status: PaymentStatus, opts: { token?: string } = {}): Promise<number | null> {
    if (!p.webhookUrl) return null;
    const body = JSON.stringify({ type: `payment.${status}`, data: { ...this.view(p), status } });
    const signature = createHmac('sha256', opts.token ?? this.token)
      .update(body)
      .digest('hex');
    let last: number | null = null;
    for (let i = 0; i < (this.duplicateWebhooks ? 2 : 1); i++) {
      const delivery = { paymentId: p.id, status, httpStatus: null as number | null };
      this.webhooks.push(delivery);
      const sent = fetch(p.webhookUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Signature': signature },
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

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    const form = /^\/checkin\/([^/]+)$/.exec(url.pathname);
    if (form) return req.method === 'POST' ? this.formSubmit(form[1]!, raw, res) : this.formPage(form[1]!, res);
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return sendJson(res, 401, { error: { message: 'invalid token' } });
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (url.pathname === '/api/payments' && req.method === 'POST') return this.create(req, raw, res);
    const one = /^\/api\/payments\/([^/]+)$/.exec(url.pathname);
    if (one && req.method === 'GET') {
      this.getCalls.push(one[1]!);
      const p = this.payments.get(decodeURIComponent(one[1]!));
      return p ? sendJson(res, 200, this.view(p)) : sendJson(res, 404, { error: { message: 'payment not found' } });
    }
    sendJson(res, 404, { error: { message: 'not found' } });
  }

  private create(req: IncomingMessage, raw: string, res: ServerResponse): void {
    const key = req.headers['idempotency-key'];
    let b: Record<string, any>;
    try {
      b = JSON.parse(raw);
    } catch {
      return sendJson(res, 400, { error: { message: 'body is not JSON' } });
    }
    this.createCalls.push({ idempotencyKey: typeof key === 'string' ? key : null, externalId: b.externalId });
    // The platform takes a create without the header, but then a retry is a second payout:
    // Payee must always send one, so this simulator refuses a create without it.
    if (typeof key !== 'string') return sendJson(res, 400, { error: { message: 'Idempotency-Key is required' } });
    if (!UUID_V4.test(key)) return sendJson(res, 400, { error: { message: 'Idempotency-Key must be a UUID v4' } });
    const replayKey = `key:${key}`;
    const replay = this.answers.get(replayKey);
    if (replay) return void res.writeHead(replay.status, { 'Content-Type': 'application/json' }).end(replay.body);

    const problems: string[] = [];
    if (typeof b.amount !== 'string' || !/^\d+(\.\d{1,2})?$/.test(b.amount) || Number(b.amount) <= 0)
      problems.push('amount must be a positive decimal string');
    if (typeof b.currency !== 'string' || !/^[A-Z]{3}$/.test(b.currency)) problems.push('currency must be ISO 4217');
    if (b.type !== 'payout') problems.push('type must be "payout" for this token');
    for (const f of ['redirectUrl', 'webhookUrl']) {
      if (b[f] !== undefined && !secureOrLoopback(b[f])) problems.push(`${f} must be HTTPS`);
    }
    if (b.externalId !== undefined && (typeof b.externalId !== 'string' || b.externalId.length > 255))
      problems.push('externalId must be a string of up to 255 characters');
    if (problems.length) return sendJson(res, 400, { error: { message: problems.join('; ') } });
    if (this.failNext) {
      const f = this.failNext;
      this.failNext = null;
      return sendJson(res, f.httpStatus, { error: { message: f.message } });
    }
    const id = `pay_${randomBytes(6).toString('hex')}`;
    const p: Payment = {
      id,
      status: 'pending',
      url: `${this.url}/checkin/${id}`,
      externalId: b.externalId ?? null,
      amount: b.amount,
      currency: b.currency,
      type: 'payout',
      description: b.description,
      metadata: b.metadata,
      createdAt: new Date().toISOString(),
      redirectUrl: b.redirectUrl ?? null,
      webhookUrl: b.webhookUrl ?? null,
      maskedPan: null,
    };
    this.payments.set(id, p);
    const body = JSON.stringify(this.view(p));
    this.answers.set(replayKey, { status: 201, body });
    if (this.hangNext) {
      this.hangNext = false;
      return; // committed, never answered
    }
    res.writeHead(201, { 'Content-Type': 'application/json' }).end(body);
  }

  /** The hosted check-in page: the recipient's card number, nothing else. */
  private formPage(id: string, res: ServerResponse): void {
    const p = this.payments.get(id);
    if (!p) return void res.writeHead(404).end('no such payout');
    const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Payout form</title>
<h1>Receive ${p.amount} ${p.currency}</h1>
<form method="post"><label>Card number <input name="pan" autocomplete="cc-number" inputmode="numeric" required></label>
<button type="submit">Receive payout</button></form></html>`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  }

  private async formSubmit(id: string, raw: string, res: ServerResponse): Promise<void> {
    const p = this.payments.get(id);
    if (!p) return void res.writeHead(404).end('no such payout');
    const pan = new URLSearchParams(raw).get('pan')?.replace(/\D/g, '') ?? '';
    if (!/^\d{13,19}$/.test(pan))
      return void res.writeHead(400, { 'Content-Type': 'text/plain' }).end('card number is invalid');
    p.maskedPan = maskPan(pan);
    await this.settle(id, this.formOutcome);
    if (!p.redirectUrl) return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end('done');
    const back = new URL(p.redirectUrl);
    back.searchParams.set('paymentId', p.id);
    res.writeHead(303, { Location: back.toString() }).end();
  }

  private view(p: Payment) {
    const { redirectUrl: _r, webhookUrl: _w, maskedPan: _m, ...shown } = p; // not echoed back, as documented
    return this.echoAmount === null ? shown : { ...shown, amount: this.echoAmount };
  }
}

function secureOrLoopback(u: unknown): boolean {
  if (typeof u !== 'string') return false;
  try {
    const url = new URL(u);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname));
  } catch {
    return false;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

export async function startPlatformSimulator(opts: { token?: string } = {}): Promise<PlatformSimulator> {
  return new PlatformSimulator(opts).start();
}
