// A P2P payout gateway simulator, as its documentation describes it:
//   POST /api/merchant/<merchant>/create_pay_out/   body signed with `sign` (sha256 over fields + sign key)
//   GET  /api/merchant/<merchant>/status_pay_out/<pay_out_id>/   X-Api-Key (its own id: internal_transaction_id)
//   POST /api/merchant/<merchant>/rejected_pay_out/  {order_id, standart_sign}
// and its callbacks to success_callback_url / error_callback_url. It refuses a wrong sign
// or key, keeps the orders it accepted, keeps only masked card numbers, and can be told
// to fail, delay, hang after committing, duplicate callbacks or send them out of order.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenLocal, maskPan, readBody } from './http.ts';

export type P2pStatus = 'expectation' | 'successful' | 'rejected_timeout' | 'rejected_merchant' | 'rejected_gate';

export interface P2pOrder {
  orderId: string;
  internalId: string;
  paymentMethod: 'card' | 'sbp';
  fiatAmount: string;
  fiatCurrency: string;
  /** Masked: the simulator does not keep card numbers. */
  requisite: string;
  bankName: string | null;
  bik: string | null;
  fullName: string | null;
  status: P2pStatus;
  successUrl: string;
  errorUrl: string;
  createdAt: string;
  updatedAt: string;
}

export interface P2pSimOptions {
  merchant?: string;
  signKey?: string;
  apiKey?: string;
}

export interface CallbackDelivery {
  orderId: string;
  status: P2pStatus;
  url: string;
  httpStatus: number | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class P2pSimulator {
  readonly merchant: string;
  readonly signKey: string;
  readonly apiKey: string;
  url = '';
  readonly orders = new Map<string, P2pOrder>();
  /** Every create_pay_out that reached us (refused ones too), by order_id. */
  readonly createCalls: string[] = [];
  readonly statusCalls: string[] = [];
  readonly rejectCalls: string[] = [];
  /** The path and query each rejected_pay_out came to. */
  readonly rejectUrls: string[] = [];
  readonly callbacks: CallbackDelivery[] = [];

  // Behaviour knobs (tests set them directly).
  /** The next create_pay_out answers this error text (and does not create the order). */
  failNext: { error: string; httpStatus?: number } | null = null;
  /** The next create_pay_out creates the order, then never answers. */
  hangNext = false;
  delayMs = 0;
  /** Every callback is sent twice. */
  duplicateCallbacks = false;
  /** Settle (and call back) before answering create_pay_out, as a fast gateway can. */
  callbackBeforeAnswer = false;
  /** status_pay_out answers HTTP 500 this many times. */
  statusFailures = 0;
  /** Status answers, callbacks and create answers show this fiat_amount instead of the order's. */
  echoFiatAmount: string | null = null;
  /** Settle every new order on its own with this status, after autoSettleMs. */
  autoStatus: Exclude<P2pStatus, 'expectation'> | null = null;
  autoSettleMs = 0;

  private server = createServer(
    (req, res) => void this.route(req, res).catch((err) => this.send(res, 500, { ok: false, error: String(err) })),
  );
  private timers = new Set<NodeJS.Timeout>();
  private pendingCallbacks = new Set<Promise<unknown>>();

  constructor(opts: P2pSimOptions = {}) {
    this.merchant = opts.merchant ?? 'payee';
    this.signKey = opts.signKey ?? `sk_${randomBytes(8).toString('hex')}`;
    this.apiKey = opts.apiKey ?? `ak_${randomBytes(8).toString('hex')}`;
  }

  async start(): Promise<this> {
    this.url = await listenLocal(this.server);
    return this;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await Promise.allSettled([...this.pendingCallbacks]);
    await closeServer(this.server);
  }

  /** Moves an order to a final status and calls back, as the gateway does. */
  async settle(orderId: string, status: Exclude<P2pStatus, 'expectation'>): Promise<void> {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`simulator: no order ${orderId}`);
    if (order.status !== 'expectation') return;
    order.status = status;
    order.updatedAt = new Date().toISOString();
    await this.callBack(order, status);
    if (this.duplicateCallbacks) await this.callBack(order, status);
  }

  /** Sends a callback claiming any status (stale or forged), without changing the order. */
  async callBack(
    order: P2pOrder,
    status: P2pStatus,
    url = status === 'successful' ? order.successUrl : order.errorUrl,
  ): Promise<number | null> {
    const body = {
      order_id: order.orderId,
      standart_sign: sha256(`${order.orderId}:${status}:${this.signKey}`),
      type: 'pay_out',
      status,
      ...orderFields(order, this.echoFiatAmount),
    };
    const delivery: CallbackDelivery = { orderId: order.orderId, status, url, httpStatus: null };
    this.callbacks.push(delivery);
    const p = fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then(async (r) => {
        await r.text();
        delivery.httpStatus = r.status;
      })
      .catch(() => {});
    this.pendingCallbacks.add(p);
    await p;
    this.pendingCallbacks.delete(p);
    return delivery.httpStatus;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const m = /^\/api\/merchant\/([^/]+)\/(create_pay_out|status_pay_out|rejected_pay_out)\/(?:([^/]+)\/)?$/.exec(
      url.pathname,
    );
    if (!m || decodeURIComponent(m[1]!) !== this.merchant)
      return this.send(res, 404, { ok: false, error: 'not found' });
    const raw = await readBody(req);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (m[2] === 'create_pay_out' && req.method === 'POST') return this.create(raw, res);
    if (m[2] === 'status_pay_out' && req.method === 'GET' && m[3])
      return this.status(req, decodeURIComponent(m[3]), res);
    if (m[2] === 'rejected_pay_out' && req.method === 'POST') {
      this.rejectUrls.push(`${url.pathname}${url.search}`);
      return this.reject(req, raw, res);
    }
    return this.send(res, 405, { ok: false, error: 'method not allowed' });
  }

  private async create(raw: string, res: ServerResponse): Promise<void> {
    let b: Record<string, any>;
    try {
      b = JSON.parse(raw);
    } catch {
      return this.send(res, 400, { ok: false, error: 'invalid json' });
    }
    this.createCalls.push(String(b.order_id));
    for (const f of [
      'order_id',
      'payment_method',
      'fiat_amount',
      'fiat_currency',
      'success_callback_url',
      'error_callback_url',
      'sign',
    ]) {
      if (typeof b[f] !== 'string' || !b[f]) return this.send(res, 400, { ok: false, error: `${f} is required` });
    }
    if (!/^\d+\.\d{2}$/.test(b.fiat_amount))
      return this.send(res, 400, { ok: false, error: 'fiat_amount must have two decimal places' });
    const requisite =
      b.payment_method === 'card' ? b.number_card : b.payment_method === 'sbp' ? b.phone_number : undefined;
    if (typeof requisite !== 'string')
      return this.send(res, 400, { ok: false, error: 'requisite is required for this payment method' });
    if (b.payment_method === 'sbp' && (typeof b.bank_name !== 'string' || !b.bank_name))
      return this.send(res, 400, { ok: false, error: 'bank_name is required' });
    if (b.payment_method === 'sbp' && !/^\d{11,13}$/.test(requisite))
      return this.send(res, 400, { ok: false, error: 'phone_number is invalid' });
    const expected = sha256(`${b.order_id}:${b.fiat_amount}:${requisite}:${b.fiat_currency}:${this.signKey}`);
    if (b.sign !== expected) return this.send(res, 400, { ok: false, error: 'invalid sign' });
    if (this.failNext) {
      const f = this.failNext;
      this.failNext = null;
      return this.send(res, f.httpStatus ?? 400, { ok: false, error: f.error });
    }
    if (this.orders.has(b.order_id)) return this.send(res, 400, { ok: false, error: 'order_id already exists' });

    const now = new Date().toISOString();
    const order: P2pOrder = {
      orderId: b.order_id,
      internalId: `tx_${randomBytes(6).toString('hex')}`,
      paymentMethod: b.payment_method,
      fiatAmount: b.fiat_amount,
      fiatCurrency: b.fiat_currency,
      requisite: b.payment_method === 'card' ? maskPan(requisite) : requisite,
      bankName: b.bank_name ?? null,
      bik: b.bik ?? null,
      fullName: b.full_name ?? null,
      status: 'expectation',
      successUrl: b.success_callback_url,
      errorUrl: b.error_callback_url,
      createdAt: now,
      updatedAt: now,
    };
    this.orders.set(order.orderId, order);
    if (this.hangNext) {
      this.hangNext = false;
      return; // committed, never answered: the client times out
    }
    const auto = this.autoStatus;
    if (auto && this.callbackBeforeAnswer) await this.settle(order.orderId, auto);
    else if (auto) this.later(() => this.settle(order.orderId, auto), this.autoSettleMs);
    this.send(res, 200, {
      ok: true,
      internal_transaction_id: order.internalId,
      fiat_amount: this.echoFiatAmount ?? order.fiatAmount,
      usdt_amount: usdt(order.fiatAmount),
      merchant_spent_usdt: usdt(order.fiatAmount),
      fiat_currency: order.fiatCurrency,
      exchange_rate: '100.0000',
      payment_method: order.paymentMethod,
      reject_callback_url: `${this.url}/api/merchant/${this.merchant}/rejected_pay_out/?id=${order.internalId}`,
    });
  }

  private status(req: IncomingMessage, id: string, res: ServerResponse): void {
    this.statusCalls.push(id);
    if (req.headers['x-api-key'] !== this.apiKey) return this.send(res, 401, { ok: false, error: 'api key not found' });
    if (this.statusFailures > 0) {
      this.statusFailures--;
      return this.send(res, 500, { ok: false, error: 'internal error' });
    }
    // Keyed by its own id: our order id finds nothing here.
    const o = [...this.orders.values()].find((x) => x.internalId === id);
    if (!o) return this.send(res, 404, { ok: false, error: 'not found' });
    this.send(res, 200, {
      ok: true,
      order_id: o.orderId,
      type: 'pay_out',
      status: o.status,
      ...orderFields(o, this.echoFiatAmount),
    });
  }

  private reject(req: IncomingMessage, raw: string, res: ServerResponse): void {
    let b: Record<string, any>;
    try {
      b = JSON.parse(raw);
    } catch {
      return this.send(res, 400, { ok: false, error: 'invalid json' });
    }
    this.rejectCalls.push(String(b.order_id));
    if (req.headers['x-api-key'] !== this.apiKey) return this.send(res, 401, { ok: false, error: 'api key not found' });
    if (b.standart_sign !== sha256(`${b.order_id}:${this.signKey}`))
      return this.send(res, 400, { ok: false, error: 'invalid sign' });
    const o = this.orders.get(b.order_id);
    if (!o) return this.send(res, 404, { ok: false, error: 'not found' });
    if (o.status !== 'expectation') return this.send(res, 400, { ok: false, error: `order is ${o.status}` });
    this.send(res, 200, { ok: true });
    this.later(() => this.settle(o.orderId, 'rejected_merchant'), 0);
  }

  private later(fn: () => Promise<void>, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      void fn().catch(() => {});
    }, ms);
    this.timers.add(t);
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  }
}

/** An order as the gateway shows it in status answers and callbacks. */
function orderFields(o: P2pOrder, echoFiatAmount: string | null = null) {
  return {
    fiat_amount: echoFiatAmount ?? o.fiatAmount,
    usdt_amount: usdt(o.fiatAmount),
    merchant_spent_usdt: usdt(o.fiatAmount),
    fiat_currency: o.fiatCurrency,
    exchange_rate: '100.0000',
    payment_method: o.paymentMethod,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    number_card: o.paymentMethod === 'card' ? o.requisite : null,
    phone_number: o.paymentMethod === 'sbp' ? o.requisite : null,
    number_score: null,
    iban_number: null,
    full_name: o.fullName ?? '',
    bank_name: o.bankName ?? '',
  };
}

function usdt(fiat: string): string {
  const kopecks = Number(fiat.replace('.', ''));
  return (kopecks / 10000).toFixed(4);
}

export async function startP2pSimulator(opts: P2pSimOptions = {}): Promise<P2pSimulator> {
  return new P2pSimulator(opts).start();
}
