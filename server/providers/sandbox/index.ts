// The built-in sandbox provider: deterministic outcomes chosen by test data
// (outcomes.ts), a configurable processing delay, signed callbacks, and its own
// records in the service's database (sandbox_* tables) so it remembers what it
// received across our restarts and whichever instance asks (crash tests count
// submissions there). A decline is kept too, as a provider keeps its refusals: asked
// again by the same key, it answers the same refusal, never "not found". It never
// stores a card number or phone in clear: only masked ones.
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import type { Db, Tx } from '../../db/index.ts';
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

  private received(db: Db, idempotencyKey: string): Promise<Received | undefined> {
    return db
      .selectFrom('sandbox_received')
      .select(['idempotency_key', 'order_id', 'ref', 'behaviour', 'amount', 'created_at'])
      .where('instance', '=', this.instance)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
  }

  async submit(req: SubmitRequest): Promise<SubmitResult> {
    if (this.opts.submitDelayMs) await new Promise((r) => setTimeout(r, this.opts.submitDelayMs));
    const r = req.recipient;
    if (!r && !this.opts.handoff)
      return { status: 'failed', code: 'invalid_recipient', message: 'recipient details are required' };
    // One transaction: a call cut short (our process killed with it) leaves no trace, as a
    // request that never reached a provider.
    return this.deps.db.transaction().execute((tx) => this.take(tx, req));
  }

  private async take(db: Tx, req: SubmitRequest): Promise<SubmitResult> {
    const r = req.recipient;
    const target = !r ? 'hand-off' : r.type === 'card' ? maskPan(r.pan) : maskPhone(r.phone);
    const now = this.deps.clock.now();
    // Every call is counted, repeats included: tests assert there was exactly one.
    await db
      .insertInto('sandbox_submissions')
      .values({ instance: this.instance, idempotency_key: req.idempotencyKey, order_id: req.orderId, target, at: now })
      .execute();

    const existing = await this.received(db, req.idempotencyKey);
    if (existing) return { ...this.outcomeOf(existing), ...(this.opts.handoff ? { redirectUrl: req.returnUrl } : {}) };
    if (!r) return this.keep(db, req, target, { kind: 'success' });

    if (this.opts.requireFullName && !r.fullName?.trim()) {
      return { status: 'failed', code: 'invalid_recipient', message: 'recipient full name is required' };
    }
    if (req.amount < 1 || req.amount > SANDBOX_MAX_AMOUNT) return { status: 'failed', code: 'amount_out_of_range' };
    const behaviour = behaviourFor(r);
    if (behaviour.kind === 'lost_once') {
      const before = await db
        .selectFrom('sandbox_submissions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('instance', '=', this.instance)
        .where('order_id', '=', req.orderId)
        .executeTakeFirstOrThrow();
      if (Number(before.n) <= 1) return { status: 'unknown', error: 'connection reset (sandbox: request lost)' };
    }

    return this.keep(db, req, target, behaviour);
  }

  private async keep(db: Tx, req: SubmitRequest, target: string, behaviour: Behaviour): Promise<SubmitResult> {
    const row: Received = {
      idempotency_key: req.idempotencyKey,
      order_id: req.orderId,
      ref: `sbx_${randomBytes(8).toString('hex')}`,
      behaviour: JSON.stringify(behaviour),
      amount: req.amount,
      created_at: this.deps.clock.now(),
    };
    await db
      .insertInto('sandbox_received')
      .values({ ...row, instance: this.instance, target })
      .execute();
    if (behaviour.kind === 'commit_then_timeout')
      return { status: 'unknown', error: 'timeout (sandbox: answer lost after commit)' };
    if (this.opts.callbacks && behaviour.kind !== 'stuck' && behaviour.kind !== 'decline')
      this.scheduleCallback(req.callbackUrl, row, behaviour);
    // Hand-off: "our page" is done at once; the recipient goes straight back.
    return { ...this.outcomeOf(row), ...(this.opts.handoff ? { redirectUrl: req.returnUrl } : {}) };
  }

  async status(ref: PayoutRef): Promise<StatusResult> {
    const row = await this.received(this.deps.db, ref.idempotencyKey);
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
}
