// The built-in sandbox provider: deterministic outcomes chosen by test data
// (outcomes.ts), a configurable processing delay, signed callbacks, and its own
// records in the service's database (sandbox_* tables) so it remembers what it
// received across our restarts and whichever instance asks (crash tests count
// submissions there). It never stores a card number or phone in clear: only masked ones.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import * as v from 'valibot';
import type { SandboxReceivedTable } from '../../db/schema.ts';
import { maskPan } from '../../../src/contract/card.ts';
import { maskPhone } from '../../../src/contract/phone.ts';
import type {
  Capabilities,
  AdapterDeps,
  AdapterFactory,
  CallbackRequest,
  CallbackResult,
  ProviderOutcome,
  PayoutRef,
  ProviderAdapter,
  StatusResult,
  SubmitRequest,
  SubmitResult,
} from '../types.ts';
import { parseOptions } from '../options.ts';
import { behaviourFor, type Behaviour } from './outcomes.ts';

const Ms = (max: number) =>
  v.pipe(
    v.number('must be a number of milliseconds'),
    v.integer('must be an integer'),
    v.minValue(0, 'must be ≥ 0'),
    v.maxValue(max, `must be ≤ ${max}`),
  );

const OptionsSchema = v.strictObject({
  /** How long an accepted payout stays `processing` before its outcome. */
  delayMs: v.optional(Ms(3_600_000), 1000),
  /** How long submit() takes to answer (to exercise slow providers). */
  submitDelayMs: v.optional(Ms(60_000), 0),
  /** Require the recipient's full name (exercises the page's extra-field path). */
  requireFullName: v.optional(v.boolean('must be true or false'), false),
  /** POST a signed callback when a payout finishes. */
  callbacks: v.optional(v.boolean('must be true or false'), true),
  /** Act as a hand-off provider: it "collects the details on its own page" (accepting at once and sending the recipient straight back). */
  handoff: v.optional(v.boolean('must be true or false'), false),
  /** HMAC key for the callbacks' X-Sandbox-Signature; a random one for each start when absent (never a known default). */
  secret: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'))),
});
export type SandboxOptions = v.InferOutput<typeof OptionsSchema>;

const SANDBOX_MAX_AMOUNT = 99_999_999_999;

type Received = Pick<
  Selectable<SandboxReceivedTable>,
  'idempotency_key' | 'order_id' | 'ref' | 'behaviour' | 'created_at'
>;

const CallbackBody = v.strictObject({
  orderId: v.string(),
  idempotencyKey: v.string(),
  ref: v.string(),
  status: v.picklist(['success', 'failed']),
  code: v.optional(v.string()),
});

export const sandboxFactory: AdapterFactory = {
  kind: 'sandbox',
  create(deps: AdapterDeps): ProviderAdapter {
    return new SandboxAdapter(deps, parseOptions(OptionsSchema, deps.options));
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

  private received(idempotencyKey: string): Promise<Received | undefined> {
    return this.deps.db
      .selectFrom('sandbox_received')
      .select(['idempotency_key', 'order_id', 'ref', 'behaviour', 'created_at'])
      .where('instance', '=', this.instance)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
  }

  async submit(req: SubmitRequest): Promise<SubmitResult> {
    if (this.opts.submitDelayMs) await new Promise((r) => setTimeout(r, this.opts.submitDelayMs));
    const r = req.recipient;
    if (!r && !this.opts.handoff)
      return { status: 'failed', code: 'invalid_recipient', message: 'recipient details are required' };
    const target = !r ? 'hand-off' : r.type === 'card' ? maskPan(r.pan) : maskPhone(r.phone);
    const db = this.deps.db;
    const now = this.deps.clock.now();
    // Every call is counted, repeats included: tests assert there was exactly one.
    await db
      .insertInto('sandbox_submissions')
      .values({ instance: this.instance, idempotency_key: req.idempotencyKey, order_id: req.orderId, target, at: now })
      .execute();

    const existing = await this.received(req.idempotencyKey);
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
      const before = await db
        .selectFrom('sandbox_submissions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('instance', '=', this.instance)
        .where('order_id', '=', req.orderId)
        .executeTakeFirstOrThrow();
      if (Number(before.n) <= 1) return { status: 'unknown', error: 'connection reset (sandbox: request lost)' };
    }

    return this.accept(req, target, behaviour);
  }

  private async accept(req: SubmitRequest, target: string, behaviour: Behaviour): Promise<SubmitResult> {
    const row: Received = {
      idempotency_key: req.idempotencyKey,
      order_id: req.orderId,
      ref: `sbx_${randomBytes(8).toString('hex')}`,
      behaviour: JSON.stringify(behaviour),
      created_at: this.deps.clock.now(),
    };
    await this.deps.db
      .insertInto('sandbox_received')
      .values({ ...row, instance: this.instance, amount: req.amount, target })
      .execute();
    if (behaviour.kind === 'commit_then_timeout')
      return { status: 'unknown', error: 'timeout (sandbox: answer lost after commit)' };
    if (this.opts.callbacks && behaviour.kind !== 'stuck') this.scheduleCallback(req.callbackUrl, row, behaviour);
    // Hand-off: "our page" is done at once; the recipient goes straight back.
    return { ...this.outcomeOf(row), ...(this.opts.handoff ? { redirectUrl: req.returnUrl } : {}) };
  }

  async status(ref: PayoutRef): Promise<StatusResult> {
    const row = await this.received(ref.idempotencyKey);
    return row ? this.outcomeOf(row) : { status: 'not_found' };
  }

  async handleCallback(req: CallbackRequest): Promise<CallbackResult> {
    const got = Buffer.from(req.headers.get('x-sandbox-signature') ?? '');
    const expected = Buffer.from(this.sign(req.rawBody));
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      return { accepted: false, httpStatus: 401, reason: 'bad X-Sandbox-Signature' };
    }
    let body: v.InferOutput<typeof CallbackBody>;
    try {
      body = v.parse(CallbackBody, JSON.parse(req.rawBody));
    } catch {
      return { accepted: false, httpStatus: 400, reason: 'body is not a sandbox callback' };
    }
    const outcome: ProviderOutcome =
      body.status === 'success'
        ? { status: 'success', providerRef: body.ref }
        : { status: 'failed', code: body.code ?? 'failed', providerRef: body.ref };
    return {
      accepted: true,
      updates: [
        { ref: { orderId: body.orderId, idempotencyKey: body.idempotencyKey, providerRef: body.ref }, outcome },
      ],
      response: { status: 200, body: 'OK', contentType: 'text/plain' },
    };
  }

  private outcomeOf(row: Received): ProviderOutcome {
    const b = JSON.parse(row.behaviour) as Behaviour;
    const providerRef = row.ref;
    if (b.kind === 'stuck' || this.deps.clock.now() - row.created_at < this.opts.delayMs)
      return { status: 'processing', providerRef };
    if (b.kind === 'fail_later') return { status: 'failed', code: b.code, providerRef };
    return { status: 'success', providerRef };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('hex');
  }

  private scheduleCallback(url: string, row: Received, behaviour: Behaviour): void {
    const body = JSON.stringify({
      orderId: row.order_id,
      idempotencyKey: row.idempotency_key,
      ref: row.ref,
      status: behaviour.kind === 'fail_later' ? 'failed' : 'success',
      ...(behaviour.kind === 'fail_later' ? { code: behaviour.code } : {}),
    });
    const timer = setTimeout(() => {
      this.deps
        .fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-sandbox-signature': this.sign(body) },
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
