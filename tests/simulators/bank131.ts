// A Bank 131 payout API v1 simulator: plays the bank's side as its documentation
// describes. It checks X-PARTNER-PROJECT and our X-PARTNER-SIGN (RSA-SHA256 over
// the raw body) and refuses anything else with authentication_error, keeps
// sessions in memory, honours X-PARTNER-IDEMPOTENCY-KEY, holds payouts for
// confirmation (or auto-confirms), and sends ready_to_confirm / payment_finished /
// payment_refunded webhooks signed with the bank's key. Tests steer it through
// the methods below: refuse or fail with a code, delay, commit then time out,
// hold/reorder/duplicate webhooks, sign one badly. It keeps no card numbers: only
// bin and last four, as the bank's webhooks show them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { closeServer, listenLocal, readBody } from './http.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SimulatorOptions {
  project: string;
  /** The partner's public key: every request must be signed with its private half. */
  partnerPublicKey: KeyObject | string;
  /** The bank's private key: webhooks are signed with it. */
  bankPrivateKey: KeyObject | string;
  /** Where webhooks go (the bank's partner settings hold one URL). */
  webhookUrl?: string;
  /** Skip ready_to_confirm and pay at once (the bank can switch this on per partner). */
  autoConfirm?: boolean;
  /** Between confirmation and payment_finished. */
  finishDelayMs?: number;
  /** Waits before each resend of a webhook the partner did not answer with 2xx. */
  retryDelaysMs?: number[];
}

export interface SimPayment {
  id: string;
  status: 'pending' | 'in_progress' | 'succeeded' | 'failed';
  created_at: string;
  payment_method: unknown;
  participant_details?: unknown;
  amount_details: { amount: number; currency: string };
  metadata?: unknown;
  error?: { code: string; description: string };
  refunds?: Array<{ id: string; status: string; created_at: string; finished_at: string; amount_details: unknown }>;
}

export interface SimSession {
  id: string;
  status: 'created' | 'in_progress' | 'accepted' | 'cancelled' | 'error';
  created_at: string;
  updated_at: string;
  next_action?: 'confirm';
  error?: { code: string; description: string };
  payments: SimPayment[];
}

export interface Delivery {
  type: string;
  sessionId: string;
  httpStatus: number | 'error';
  badSignature: boolean;
}

export interface RequestLog {
  method: string;
  path: string;
  idempotencyKey: string | null;
  signatureOk: boolean;
  /** What the simulator answered (error code or "ok"). */
  answer: string;
  /** The session the request named or created. */
  sessionId?: string;
}

type Pending = { type: string; session: SimSession };

const PAYOUT_PATHS = new Set(['/api/v1/session/init/payout', '/api/v1/session/start/payout']);

export const SIM_BANKS = [
  { id: '100000000111', eng_name: 'Sberbank', ru_name: 'Сбербанк' },
  { id: '100000000004', eng_name: 'T-Bank', ru_name: 'Т-Банк' },
  { id: '100000000005', eng_name: 'VTB Bank', ru_name: 'Банк ВТБ' },
];

export class Bank131Simulator {
  url = '';
  readonly sessions = new Map<string, SimSession>();
  readonly requests: RequestLog[] = [];
  readonly deliveries: Delivery[] = [];
  /** Payouts the bank accepted (each start/init that created one). */
  payoutsCreated = 0;
  webhookUrl: string | undefined;
  autoConfirm: boolean;
  /** Every answer waits this long. */
  answerDelayMs = 0;
  /** Every webhook is sent twice. */
  duplicateWebhooks = false;

  private server: Server;
  private partnerKey: KeyObject;
  private bankKey: KeyObject;
  private wrongKey: KeyObject | undefined;
  private idempotency = new Map<string, string>();
  /** Sessions whose payout is to fail, with the code. */
  private failCodes = new Map<string, string>();
  private refuseNextPayout: { code: string; httpStatus: number } | undefined;
  private failNextPayout: string | undefined;
  private holdNextAnswerMs: number | undefined;
  private badSignatureNext = false;
  private dropNextPayout = false;
  private refuseNextConfirm: string | undefined;
  private holding = false;
  private held: Pending[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private inflight = new Set<Promise<void>>();

  constructor(private opts: SimulatorOptions) {
    this.partnerKey =
      typeof opts.partnerPublicKey === 'string' ? createPublicKey(opts.partnerPublicKey) : opts.partnerPublicKey;
    this.bankKey =
      typeof opts.bankPrivateKey === 'string' ? createPrivateKey(opts.bankPrivateKey) : opts.bankPrivateKey;
    this.webhookUrl = opts.webhookUrl;
    this.autoConfirm = opts.autoConfirm ?? false;
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** On a free port, or on `port` (one that was free, for a bank that comes up late). */
  async start(port = 0): Promise<this> {
    this.url = await listenLocal(this.server, port);
    return this;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inflight]);
    await closeServer(this.server);
  }

  // ---- controls -------------------------------------------------------------

  /** The next payout request (init or start) is refused at once with this code. */
  refuseNext(code: string, httpStatus = 400): void {
    this.refuseNextPayout = { code, httpStatus };
  }

  /** The next payout is accepted, then ends `failed` with this code in payment_finished. */
  failNext(code: string): void {
    this.failNextPayout = code;
  }

  /** The next payout request is committed (and proceeds), but its answer comes only after `ms`. */
  commitThenTimeout(ms: number): void {
    this.holdNextAnswerMs = ms;
  }

  /** The next payout request (init or start) is lost on the way: the connection drops before the bank reads it. */
  dropNext(): void {
    this.dropNextPayout = true;
  }

  /** The next session/confirm is refused with this code, the session left as it is. */
  refuseConfirm(code: string): void {
    this.refuseNextConfirm = code;
  }

  /** The next webhook is signed with a key that is not the bank's. */
  signNextWebhookBadly(): void {
    this.badSignatureNext = true;
  }

  /** Keep webhooks instead of sending them, until release. */
  holdWebhooks(): void {
    this.holding = true;
  }

  /** Send the held webhooks, oldest first or (reverse) newest first, then send as usual. */
  async releaseWebhooks(order: 'in_order' | 'reverse' = 'in_order'): Promise<void> {
    this.holding = false;
    const batch = order === 'reverse' ? this.held.reverse() : this.held;
    this.held = [];
    for (const p of batch) await this.deliver(p);
  }

  heldWebhooks(): string[] {
    return this.held.map((p) => p.type);
  }

  /** The recipient's bank returned the money (card payouts here; SBP payouts cannot be refunded). */
  refund(sessionId: string): void {
    const s = this.mustSession(sessionId);
    const p = s.payments[0];
    if (!p || p.status !== 'succeeded') throw new Error(`session ${sessionId} has no succeeded payout to refund`);
    if ((p.payment_method as { type?: string }).type === 'bank_account')
      throw new Error('SBP payouts cannot be refunded');
    const now = iso();
    p.refunds = [
      {
        id: `rf_${randomId()}`,
        status: 'accepted',
        created_at: now,
        finished_at: now,
        amount_details: p.amount_details,
      },
    ];
    s.updated_at = now;
    this.sendWebhook('payment_refunded', s);
  }

  /** Puts a session into the bank's `error` state (unexpected, not final). */
  setSessionError(sessionId: string, code = 'internal_error'): void {
    const s = this.mustSession(sessionId);
    s.status = 'error';
    s.error = { code, description: 'Unexpected error' };
  }

  /** Signs and sends any webhook body, as the bank would (or with a wrong key). */
  async sendRaw(body: string, opts: { badSignature?: boolean } = {}): Promise<number> {
    if (!this.webhookUrl) throw new Error('no webhookUrl');
    const res = await fetch(this.webhookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-PARTNER-SIGN': this.signWebhook(body, !!opts.badSignature) },
      body,
    });
    await res.text();
    return res.status;
  }

  sessionByOrder(orderId: string): SimSession | undefined {
    return [...this.sessions.values()].find((s) => s.payments[0]?.metadata === orderId);
  }

  /** Resolves once nothing is scheduled or being delivered. */
  async idle(): Promise<void> {
    while (this.timers.size || this.inflight.size) {
      await Promise.allSettled([...this.inflight]);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  // ---- HTTP -----------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '').split('?')[0]!;
    const key = header(req, 'x-partner-idempotency-key');
    const signed = req.method === 'GET' ? '{}' : raw;
    const signatureOk = verifySig(signed, header(req, 'x-partner-sign'), this.partnerKey);
    const log: RequestLog = { method: req.method ?? '', path, idempotencyKey: key, signatureOk, answer: 'ok' };
    this.requests.push(log);
    if (this.dropNextPayout && PAYOUT_PATHS.has(path)) {
      this.dropNextPayout = false;
      log.answer = 'dropped';
      log.sessionId = (JSON.parse(raw) as { session_id?: string }).session_id;
      req.socket.destroy();
      return;
    }

    let status = 200;
    let answer: object;
    let holdMs = this.answerDelayMs;
    try {
      if (header(req, 'x-partner-project') !== this.opts.project)
        throw new BankError('identification_error', 'Unknown project', 401);
      if (!signatureOk) throw new BankError('authentication_error', 'Signature check failed', 401);
      let body: any = {};
      if (req.method !== 'GET') {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new BankError('invalid_request', 'Body is not JSON');
        }
      }
      if (PAYOUT_PATHS.has(path) && key) {
        if (this.idempotency.has(key))
          throw new BankError('idempotency_key_already_exists', 'Idempotency key already used', 409);
      }
      if (typeof body?.session_id === 'string') log.sessionId = body.session_id;
      answer = this.route(req.method ?? '', path, body);
      log.sessionId ??= (answer as { session?: SimSession }).session?.id;
      if (PAYOUT_PATHS.has(path)) {
        if (key) this.idempotency.set(key, (answer as { session: SimSession }).session.id);
        if (this.holdNextAnswerMs !== undefined) {
          holdMs = this.holdNextAnswerMs;
          this.holdNextAnswerMs = undefined;
        }
      }
    } catch (caught) {
      const err = caught instanceof BankError ? caught : new BankError('internal_error', String(caught), 500);
      status = err.httpStatus;
      log.answer = err.code;
      answer = { status: 'error', error: { code: err.code, description: err.message } };
    }
    const text = JSON.stringify(answer);
    if (holdMs > 0) await this.sleep(holdMs);
    if (!res.destroyed) res.writeHead(status, { 'Content-Type': 'application/json' }).end(text);
  }

  private route(method: string, path: string, body: any): object {
    if (method === 'GET' && path === '/api/v1/fps/banks') return { status: 'ok', banks: SIM_BANKS };
    if (method !== 'POST') throw new BankError('invalid_request', `No route ${method} ${path}`, 404);
    switch (path) {
      case '/api/v1/session/create':
        return this.ok(this.newSession());
      case '/api/v1/session/init/payout':
        return this.ok(this.startPayout(this.newSession(), body));
      case '/api/v1/session/start/payout': {
        const s = this.sessions.get(String(body?.session_id));
        if (!s) throw new BankError('invalid_request', 'Session not found');
        if (s.status !== 'created' || s.payments.length)
          throw new BankError('session_wrong_state', `Session is ${s.status}`);
        return this.ok(this.startPayout(s, body));
      }
      case '/api/v1/session/confirm':
        return this.ok(this.confirm(this.mustSession(body?.session_id)));
      case '/api/v1/session/cancel':
        return this.ok(this.cancel(this.mustSession(body?.session_id)));
      case '/api/v1/session/status':
        return this.ok(this.mustSession(body?.session_id));
      default:
        throw new BankError('invalid_request', `No route ${path}`, 404);
    }
  }

  private ok(session: SimSession): object {
    return { status: 'ok', session: structuredClone(session) };
  }

  private newSession(): SimSession {
    const now = iso();
    const s: SimSession = { id: `ps_${randomId()}`, status: 'created', created_at: now, updated_at: now, payments: [] };
    this.sessions.set(s.id, s);
    return s;
  }

  private startPayout(s: SimSession, body: any): SimSession {
    const refusal = this.refuseNextPayout;
    if (refusal) {
      this.refuseNextPayout = undefined;
      throw new BankError(refusal.code, `Refused: ${refusal.code}`, refusal.httpStatus);
    }
    const amount = body?.amount_details?.amount;
    if (!Number.isInteger(amount) || amount <= 0 || body?.amount_details?.currency !== 'rub') {
      throw new BankError('invalid_request', 'amount_details: integer amount in kopecks and currency "rub" required');
    }
    const now = iso();
    s.status = 'in_progress';
    s.updated_at = now;
    s.payments.push({
      id: `po_${randomId()}`,
      status: 'in_progress',
      created_at: now,
      payment_method: describeMethod(body?.payment_method, body?.participant_details),
      ...(body?.participant_details ? { participant_details: body.participant_details } : {}),
      amount_details: { amount, currency: 'rub' },
      ...(body?.metadata !== undefined ? { metadata: body.metadata } : {}),
    });
    this.payoutsCreated++;
    const outcome = this.failNextPayout;
    this.failNextPayout = undefined;
    if (outcome) this.failCodes.set(s.id, outcome);
    const answer = structuredClone(s);
    if (this.autoConfirm) this.later(() => this.finish(s, outcome));
    else {
      this.later(() => {
        s.next_action = 'confirm';
        s.payments[0]!.status = 'pending';
        this.sendWebhook('ready_to_confirm', s);
      }, 5);
    }
    return answer;
  }

  private confirm(s: SimSession): SimSession {
    const refused = this.refuseNextConfirm;
    this.refuseNextConfirm = undefined;
    if (refused) throw new BankError(refused, `Confirm refused: ${refused}`);
    if (s.status !== 'in_progress' || s.next_action !== 'confirm')
      throw new BankError('session_wrong_state', `Session is ${s.status}, nothing to confirm`);
    delete s.next_action;
    s.payments[0]!.status = 'in_progress';
    s.updated_at = iso();
    this.later(() => this.finish(s, this.failCodes.get(s.id)));
    return s;
  }

  private cancel(s: SimSession): SimSession {
    if (
      s.status === 'accepted' ||
      s.status === 'cancelled' ||
      (s.status === 'in_progress' && s.next_action !== 'confirm')
    ) {
      throw new BankError('session_wrong_state', `Session is ${s.status}, cannot cancel`);
    }
    const error = { code: 'session_cancelled_by_partner', description: 'Cancelled by the partner' };
    s.status = 'cancelled';
    delete s.next_action;
    s.error = error;
    for (const p of s.payments) Object.assign(p, { status: 'failed', error });
    s.updated_at = iso();
    return s;
  }

  private finish(s: SimSession, failCode: string | undefined): void {
    if (s.status !== 'in_progress') return;
    const p = s.payments[0]!;
    s.status = 'accepted';
    s.updated_at = iso();
    if (failCode)
      Object.assign(p, { status: 'failed', error: { code: failCode, description: `Payout failed: ${failCode}` } });
    else p.status = 'succeeded';
    this.sendWebhook('payment_finished', s);
  }

  // ---- webhooks -------------------------------------------------------------

  private sendWebhook(type: string, s: SimSession): void {
    const pending = { type, session: structuredClone(s) };
    if (this.holding) this.held.push(pending);
    else this.track(this.deliver(pending));
  }

  private async deliver(p: Pending): Promise<void> {
    const copies = this.duplicateWebhooks ? 2 : 1;
    for (let i = 0; i < copies; i++) await this.deliverOnce(p);
  }

  private async deliverOnce(p: Pending): Promise<void> {
    if (!this.webhookUrl) return;
    const body = JSON.stringify({ type: p.type, session: p.session });
    const delays = [0, ...(this.opts.retryDelaysMs ?? [100, 300])];
    for (const delay of delays) {
      if (delay) await this.sleep(delay);
      const bad = this.badSignatureNext;
      this.badSignatureNext = false;
      let status: number | 'error';
      try {
        const res = await fetch(this.webhookUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-PARTNER-SIGN': this.signWebhook(body, bad) },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await res.text();
        status = res.status;
      } catch {
        status = 'error';
      }
      this.deliveries.push({ type: p.type, sessionId: p.session.id, httpStatus: status, badSignature: bad });
      if (typeof status === 'number' && status >= 200 && status < 300) return;
    }
  }

  private signWebhook(body: string, bad: boolean): string {
    const key = bad ? (this.wrongKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey) : this.bankKey;
    return sign('sha256', Buffer.from(body), key).toString('base64');
  }

  // ---- plumbing -------------------------------------------------------------

  private mustSession(id: unknown): SimSession {
    const s = this.sessions.get(String(id));
    if (!s) throw new BankError('invalid_request', 'Session not found');
    return s;
  }

  private later(fn: () => void, ms = this.opts.finishDelayMs ?? 20): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }
}

class BankError extends Error {
  constructor(
    readonly code: string,
    description: string,
    readonly httpStatus = 400,
  ) {
    super(description);
  }
}

/** The payment method as the bank echoes it: open card numbers reduced to bin and last four. */
function describeMethod(pm: any, participants: any): unknown {
  if (pm?.type === 'card' && pm.card?.type === 'bank_card') {
    const number = String(pm.card.bank_card?.number ?? '');
    if (!/^\d{13,19}$/.test(number) || !luhn(number))
      throw new BankError('card_number_does_not_exist', 'Card number is not valid');
    if (!participants?.recipient?.full_name)
      throw new BankError('invalid_request', 'participant_details.recipient.full_name is required for card payouts');
    return {
      type: 'card',
      card: {
        last4: number.slice(-4),
        bin: number.slice(0, 6),
        brand: number.startsWith('22') ? 'mir' : 'visa',
        country_iso3: 'RUS',
      },
    };
  }
  if (pm?.type === 'bank_account' && pm.bank_account?.system_type === 'faster_payment_system') {
    const fps = pm.bank_account.faster_payment_system ?? {};
    if (!/^7\d{10}$/.test(String(fps.phone)))
      throw new BankError('invalid_request', 'faster_payment_system.phone: 11 digits without "+"');
    if (!/^\d{12}$/.test(String(fps.bank_id)))
      throw new BankError('invalid_request', 'faster_payment_system.bank_id is required');
    if (typeof fps.description !== 'string' || !fps.description || [...fps.description].length > 140) {
      throw new BankError('invalid_request', 'faster_payment_system.description: required, at most 140 characters');
    }
    return {
      type: 'bank_account',
      bank_account: {
        system_type: 'faster_payment_system',
        faster_payment_system: { phone: fps.phone, bank_id: fps.bank_id, description: fps.description },
      },
    };
  }
  throw new BankError('invalid_request', 'payment_method: unsupported');
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function verifySig(body: string, sig: string | null, key: KeyObject): boolean {
  if (!sig) return false;
  try {
    return verify('sha256', Buffer.from(body), key, Buffer.from(sig, 'base64'));
  } catch {
    return false;
  }
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
}

const iso = () => new Date().toISOString();
const randomId = () => randomBytes(6).toString('hex');

export interface Bank131Keys {
  /** Ours: the adapter signs with the private half (file), the bank checks with the public half. */
  partnerPrivateKeyFile: string;
  partnerPublicKeyPem: string;
  /** The bank's: it signs webhooks with the private half, we check with the public half (file). */
  bankPrivateKeyPem: string;
  bankPublicKeyFile: string;
}

/** Two fresh RSA-2048 pairs, written as PEM files into `dir` where the adapter reads them. */
export function writeBank131Keys(dir: string): Bank131Keys {
  const pair = () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
  const partner = pair();
  const bank = pair();
  const keys: Bank131Keys = {
    partnerPrivateKeyFile: join(dir, 'bank131-partner.key.pem'),
    partnerPublicKeyPem: partner.publicKey,
    bankPrivateKeyPem: bank.privateKey,
    bankPublicKeyFile: join(dir, 'bank131-bank.pub.pem'),
  };
  writeFileSync(keys.partnerPrivateKeyFile, partner.privateKey, { mode: 0o600 });
  writeFileSync(keys.bankPublicKeyFile, bank.publicKey);
  return keys;
}
