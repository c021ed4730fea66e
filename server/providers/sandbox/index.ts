// The built-in sandbox provider: deterministic outcomes chosen by test data
// (outcomes.ts), a configurable processing delay, signed callbacks, and its own
// state in DATA_DIR/sandbox-<instance>.sqlite so it remembers what it received
// across our restarts (crash tests count submissions there). It never stores a
// card number or phone in clear: only masked ones.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import * as v from 'valibot';
import { maskPan } from '../../../src/contract/card.ts';
import { maskPhone } from '../../../src/contract/phone.ts';
import type {
  Capabilities,
  AdapterDeps,
  AdapterFactory,
  CallbackRequest,
  CallbackResult,
  PayoutRef,
  ProviderAdapter,
  StatusResult,
  SubmitRequest,
  SubmitResult,
} from '../types.ts';
import { loadSandboxOptions, type SandboxOptions } from './options.ts';
import { behaviourFor, type Behaviour } from './outcomes.ts';
import { SIGN_HEADER, signBody, verifyBody } from './signature.ts';
import { CallbackBody, callbackBody, callbackOutcome, outcomeOf, type Received } from './wire.ts';

const SANDBOX_MAX_AMOUNT = 99_999_999_999;

export function sandboxStatePath(dataDir: string, instance: string): string {
  return join(dataDir, `sandbox-${instance}.sqlite`);
}

export const sandboxFactory: AdapterFactory = {
  kind: 'sandbox',
  create(deps: AdapterDeps): ProviderAdapter {
    return new SandboxAdapter(deps, loadSandboxOptions(deps.options));
  },
};

class SandboxAdapter implements ProviderAdapter {
  readonly kind = 'sandbox';
  readonly instance: string;
  readonly capabilities: Capabilities;
  private db: SQLite.Database | undefined;
  private readonly secret: string;

  constructor(
    private deps: AdapterDeps,
    private opts: SandboxOptions,
  ) {
    this.instance = deps.instance;
    this.secret = opts.secret ?? randomBytes(32).toString('hex');
    this.capabilities = {
      methods: ['card', 'sbp'],
      minAmount: 1,
      maxAmount: SANDBOX_MAX_AMOUNT,
      requiredFields: opts.requireFullName ? { card: ['fullName'], sbp: ['fullName'] } : {},
      handoff: opts.handoff,
    };
  }

  /** Opened on first use, so validating the configuration touches no files. */
  private state(): SQLite.Database {
    if (this.db) return this.db;
    const db = new SQLite(sandboxStatePath(this.deps.dataDir, this.instance));
    db.pragma('journal_mode = WAL');
    // Survives our process being killed (what the crash tests do); a simulator needs no more.
    db.pragma('synchronous = NORMAL');
    db.exec(`
      create table if not exists submissions (id integer primary key, idempotency_key text not null, order_id text not null, target text not null, at integer not null);
      create table if not exists received (idempotency_key text primary key, order_id text not null, ref text not null, behaviour text not null, amount integer not null, target text not null, created_at integer not null);`);
    this.db = db;
    return db;
  }

  async submit(req: SubmitRequest): Promise<SubmitResult> {
    if (this.opts.submitDelayMs) await new Promise((r) => setTimeout(r, this.opts.submitDelayMs));
    const r = req.recipient;
    if (!r && !this.opts.handoff)
      return { status: 'failed', code: 'invalid_recipient', message: 'recipient details are required' };
    const target = !r ? 'hand-off' : r.type === 'card' ? maskPan(r.pan) : maskPhone(r.phone);
    const db = this.state();
    const now = this.deps.clock.now();
    // Every call is counted, repeats included: tests assert there was exactly one.
    db.prepare('insert into submissions (idempotency_key, order_id, target, at) values (?, ?, ?, ?)').run(
      req.idempotencyKey,
      req.orderId,
      target,
      now,
    );

    const existing = db.prepare('select * from received where idempotency_key = ?').get(req.idempotencyKey) as
      Received | undefined;
    if (existing) return { ...this.outcomeOf(existing), ...(this.opts.handoff ? { redirectUrl: req.returnUrl } : {}) };
    if (!r) return this.accept(req, target, { kind: 'success' });

    if (this.opts.requireFullName && !r.fullName?.trim()) {
      return { status: 'failed', code: 'invalid_recipient', message: 'recipient full name is required' };
    }
    if (req.amount < 1 || req.amount > SANDBOX_MAX_AMOUNT) return { status: 'failed', code: 'amount_out_of_range' };
    const behaviour = behaviourFor(r);
    if (behaviour.kind === 'decline')
      return { status: 'failed', code: behaviour.code, message: 'declined by the sandbox test data' };
    if (behaviour.kind === 'lost_once') {
      const before = db.prepare('select count(*) as n from submissions where order_id = ?').get(req.orderId) as {
        n: number;
      };
      if (before.n <= 1) return { status: 'unknown', error: 'connection reset (sandbox: request lost)' };
    }

    return this.accept(req, target, behaviour);
  }

  private accept(req: SubmitRequest, target: string, behaviour: Behaviour): SubmitResult {
    const db = this.state();
    const row: Received = {
      idempotency_key: req.idempotencyKey,
      order_id: req.orderId,
      ref: `sbx_${randomBytes(8).toString('hex')}`,
      behaviour: JSON.stringify(behaviour),
      amount: req.amount,
      created_at: this.deps.clock.now(),
    };
    db.prepare(
      'insert into received (idempotency_key, order_id, ref, behaviour, amount, target, created_at) values (?, ?, ?, ?, ?, ?, ?)',
    ).run(row.idempotency_key, row.order_id, row.ref, row.behaviour, row.amount, target, row.created_at);
    if (behaviour.kind === 'commit_then_timeout')
      return { status: 'unknown', error: 'timeout (sandbox: answer lost after commit)' };
    if (this.opts.callbacks && behaviour.kind !== 'stuck') this.scheduleCallback(req.callbackUrl, row, behaviour);
    // Hand-off: "our page" is done at once; the recipient goes straight back.
    return { ...this.outcomeOf(row), ...(this.opts.handoff ? { redirectUrl: req.returnUrl } : {}) };
  }

  async status(ref: PayoutRef): Promise<StatusResult> {
    const row = this.state().prepare('select * from received where idempotency_key = ?').get(ref.idempotencyKey) as
      Received | undefined;
    return row ? this.outcomeOf(row) : { status: 'not_found' };
  }

  async handleCallback(req: CallbackRequest): Promise<CallbackResult> {
    if (!verifyBody(req.rawBody, req.headers.get(SIGN_HEADER), this.secret)) {
      return { accepted: false, httpStatus: 401, reason: 'bad X-Sandbox-Signature' };
    }
    let body: CallbackBody;
    try {
      body = v.parse(CallbackBody, JSON.parse(req.rawBody));
    } catch {
      return { accepted: false, httpStatus: 400, reason: 'body is not a sandbox callback' };
    }
    return {
      accepted: true,
      updates: [
        {
          ref: { orderId: body.orderId, idempotencyKey: body.idempotencyKey, providerRef: body.ref },
          outcome: callbackOutcome(body),
        },
      ],
      response: { status: 200, body: 'OK', contentType: 'text/plain' },
    };
  }

  private outcomeOf(row: Received) {
    return outcomeOf(row, this.deps.clock.now(), this.opts.delayMs);
  }

  private scheduleCallback(url: string, row: Received, behaviour: Behaviour): void {
    const body = callbackBody(row, behaviour);
    const timer = setTimeout(() => {
      this.deps
        .fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SIGN_HEADER]: signBody(body, this.secret) },
          body,
          signal: AbortSignal.timeout(10_000),
        })
        .then((res) => res.body?.cancel())
        // A lost callback is fine: the status sync finds the outcome.
        .catch((err: Error) =>
          this.deps.log.debug({ err: err.message, instance: this.instance }, 'sandbox callback not delivered'),
        );
    }, this.opts.delayMs);
    timer.unref();
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }
}
