// Paying out through an upstream Quantum Payouts account: card payouts by performPayout
// (Bearer token; idempotent per orderNumber, and our orderId is that orderNumber, so a
// repeated submit cannot pay twice), status by getPayoutStatus, and its
// payout.status_changed webhooks verified by HMAC. What the account may do is read from
// its `features` (at start, then again when stale) so our capabilities tell the truth.
import * as v from 'valibot';
import type {
  AdapterDeps,
  AdapterFactory,
  CallbackRequest,
  CallbackResult,
  Capabilities,
  ProviderOutcome,
  PayoutRef,
  ProviderAdapter,
  StatusResult,
  SubmitRequest,
  SubmitResult,
} from '../types.ts';
import { exchange, inconclusiveStatus, parseJson, type Exchange } from '../http.ts';
import { EnvName, HttpUrl, Int, parseOptions, readSecret, RequestTimeoutMs } from '../options.ts';
import { verifyWebhookSignature } from './signature.ts';

const OptionsSchema = v.strictObject({
  /** The API base, e.g. https://payouts.example/api/v1 */
  baseUrl: HttpUrl,
  tokenFile: v.optional(v.string()),
  tokenEnv: v.optional(EnvName),
  /** The account's webhook secret; without one, webhooks are refused and status is polled. */
  webhookSecretFile: v.optional(v.string()),
  webhookSecretEnv: v.optional(EnvName),
  requestTimeoutMs: RequestTimeoutMs,
  /** How long an answer of `features` is trusted before it is asked again. */
  featuresTtlMs: v.optional(Int(1000, 86_400_000), 600_000),
  /** performPayout requires a description; used when the payout has none. */
  defaultDescription: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(600)), 'Payout'),
  minAmount: v.optional(Int(1, 999_999_999_999), 1),
  maxAmount: v.optional(Int(1, 999_999_999_999), 999_999_999_999),
});

const UPSTREAM_STATUSES = ['uploaded', 'created', 'processing', 'success', 'failed', 'cancelled'] as const;
type UpstreamStatus = (typeof UPSTREAM_STATUSES)[number];

export function outcomeOf(status: UpstreamStatus, providerRef?: string): ProviderOutcome {
  if (status === 'success') return { status: 'success', providerRef };
  if (status === 'failed')
    return {
      status: 'failed',
      code: 'upstream_failed',
      message: 'the upstream account reports the payout failed',
      providerRef,
    };
  if (status === 'cancelled') return { status: 'cancelled', code: 'upstream_cancelled', providerRef };
  return { status: 'processing', providerRef };
}

const Envelope = v.looseObject({ result: v.looseObject({ error: v.string(), message: v.nullish(v.string()) }) });
const PayoutAnswer = v.looseObject({
  orderNumber: v.string(),
  orderStatus: v.picklist(UPSTREAM_STATUSES),
  orderId: v.nullish(v.union([v.string(), v.number()])),
});
const FeaturesAnswer = v.looseObject({
  features: v.looseObject({ card_payouts: v.boolean(), sbp_payouts: v.optional(v.boolean()) }),
});
const Webhook = v.looseObject({
  event: v.string(),
  eventId: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  payout: v.looseObject({
    id: v.union([v.number(), v.string()]),
    externalId: v.nullable(v.string()),
    status: v.picklist(UPSTREAM_STATUSES),
    amount: v.optional(v.number()),
    currency: v.optional(v.string()),
  }),
});

export const quantumFactory: AdapterFactory = {
  kind: 'quantum',
  create(deps) {
    const o = parseOptions(OptionsSchema, deps.options);
    if (o.minAmount > o.maxAmount) throw new Error('options.minAmount: must not exceed maxAmount');
    const token = readSecret({ file: o.tokenFile, env: o.tokenEnv }, 'token');
    const secretGiven = o.webhookSecretFile || o.webhookSecretEnv;
    const webhookSecret = secretGiven
      ? readSecret({ file: o.webhookSecretFile, env: o.webhookSecretEnv }, 'webhookSecret')
      : null;
    return new QuantumAdapter(deps, { ...o, token, webhookSecret });
  },
};

type QuantumOptions = v.InferOutput<typeof OptionsSchema> & { token: string; webhookSecret: string | null };

export class QuantumAdapter implements ProviderAdapter {
  readonly kind = 'quantum';
  readonly instance: string;
  /** Card payouts allowed on the account, as `features` last said (null: not known yet). */
  private cardPayouts: boolean | null = null;
  private featuresAt = 0;
  /** After a failed features request, not before this. */
  private featuresRetryAt = 0;
  private featuresRun: Promise<void> | null = null;

  constructor(
    private deps: AdapterDeps,
    private opts: QuantumOptions,
  ) {
    this.instance = deps.instance;
    void this.refreshFeatures();
  }

  /** Card only (performPayout has no SBP), and only while the account's features allow it. */
  get capabilities(): Capabilities {
    const now = this.deps.clock.now();
    if (now - this.featuresAt > this.opts.featuresTtlMs && now >= this.featuresRetryAt) void this.refreshFeatures();
    return {
      methods: this.cardPayouts ? ['card'] : [],
      minAmount: this.opts.minAmount,
      maxAmount: this.opts.maxAmount,
      requiredFields: {},
      handoff: false,
    };
  }

  /** One features request at a time; failures leave the last answer and are retried on the next read. */
  refreshFeatures(): Promise<void> {
    this.featuresRun ??= (async () => {
      const x = await this.call('GET', 'features');
      const parsed = x.kind === 'answer' && x.status === 200 ? v.safeParse(FeaturesAnswer, x.json) : undefined;
      if (parsed?.success) {
        this.cardPayouts = parsed.output.features.card_payouts;
        this.featuresAt = this.deps.clock.now();
      } else {
        this.featuresRetryAt = this.deps.clock.now() + 5000;
        this.deps.log.warn(
          { instance: this.instance, error: x.kind === 'answer' ? `HTTP ${x.status}` : x.error },
          'quantum features not available',
        );
      }
    })().finally(() => (this.featuresRun = null));
    return this.featuresRun;
  }

  private call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Exchange> {
    return exchange(
      this.deps.fetch,
      `${this.opts.baseUrl.replace(/\/+$/, '')}/${path}`,
      {
        method,
        headers: {
          Authorization: `Bearer ${this.opts.token}`,
          Accept: 'application/json; version=1.0',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=UTF-8' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      this.opts.requestTimeoutMs,
    );
  }

  async submit(req: SubmitRequest): Promise<SubmitResult> {
    const r = req.recipient;
    if (r?.type !== 'card')
      return { status: 'failed', code: 'method_not_supported', message: 'the upstream account pays out to cards only' };
    // orderNumber is what makes performPayout idempotent; the account takes at most 32 characters.
    if (req.orderId.length > 32)
      return { status: 'failed', code: 'invalid_request', message: 'order id longer than 32 characters' };
    if (this.cardPayouts === null) await this.refreshFeatures();
    if (this.cardPayouts === false)
      return {
        status: 'failed',
        code: 'method_not_supported',
        message: 'card payouts are not enabled on the upstream account',
      };
    const x = await this.call('POST', 'performPayout', {
      orderNumber: req.orderId,
      amount: req.amount,
      description: (req.description ?? this.opts.defaultDescription).slice(0, 600),
      target: { pan: r.pan },
    });
    if (x.kind === 'not_sent') return { status: 'not_sent', error: `performPayout: ${x.error}` };
    const answer = this.answerOf(x, 'performPayout', req.orderId);
    return answer.status === 'not_found' ? { status: 'unknown', error: 'performPayout: not found' } : answer;
  }

  async status(ref: PayoutRef): Promise<StatusResult> {
    const x = await this.call('POST', 'getPayoutStatus', { orderNumber: ref.orderId });
    return this.answerOf(x, 'getPayoutStatus', ref.orderId);
  }

  private answerOf(x: Exchange, what: string, orderId: string): Exclude<StatusResult, { status: 'resend' }> {
    if (x.kind !== 'answer') return { status: 'unknown', error: `${what}: ${x.error}` };
    const env = v.safeParse(Envelope, x.json);
    const code = env.success ? env.output.result.error : null;
    const doubt = inconclusiveStatus(x.status);
    // Without the result envelope the answer is not the account's: it proves nothing.
    if (doubt || !env.success || code === 'INTERNAL_ERROR')
      return { status: 'unknown', error: `${what}: ${doubt ?? `HTTP ${x.status}`} ${code ?? 'no result envelope'}` };
    if (code === '0' && x.status < 300) {
      const p = v.safeParse(PayoutAnswer, x.json);
      if (!p.success || p.output.orderNumber !== orderId)
        return { status: 'unknown', error: `${what}: unexpected answer` };
      const ref = p.output.orderId === null || p.output.orderId === undefined ? undefined : String(p.output.orderId);
      return outcomeOf(p.output.orderStatus, ref);
    }
    if (what === 'getPayoutStatus') {
      if (x.status === 404 || /NOT_FOUND/.test(code ?? '')) return { status: 'not_found' };
      return { status: 'unknown', error: `${what}: HTTP ${x.status} ${code ?? ''}`.trim() };
    }
    // performPayout refused: it was not sent to the bank.
    if (code === 'PERMISSION_DENIED') this.featuresAt = 0; // the account may have changed: ask features again
    const message = (env.success ? env.output.result.message : null) ?? `HTTP ${x.status}`;
    this.deps.log.warn(
      { instance: this.instance, orderId, httpStatus: x.status, code },
      'quantum performPayout refused',
    );
    return { status: 'failed', code: `upstream_${(code ?? 'rejected').toLowerCase()}`, message };
  }

  /** payout.status_changed: HMAC checked over the body before anything else is read. */
  async handleCallback(req: CallbackRequest): Promise<CallbackResult> {
    if (!this.opts.webhookSecret)
      return { accepted: false, httpStatus: 401, reason: 'no webhook secret configured for this instance' };
    if (!verifyWebhookSignature(this.opts.webhookSecret, req.rawBody, req.headers.get('x-payouts-signature'))) {
      return { accepted: false, httpStatus: 401, reason: 'bad X-Payouts-Signature' };
    }
    const parsed = v.safeParse(Webhook, parseJson(req.rawBody));
    if (!parsed.success) return { accepted: false, httpStatus: 400, reason: `webhook: ${v.summarize(parsed.issues)}` };
    const { event, eventId, payout } = parsed.output;
    const ok = { status: 200, body: 'ok', contentType: 'text/plain' };
    // Other events, and payouts made on the account by hand or by file, are not ours.
    if (event !== 'payout.status_changed' || payout.externalId === null)
      return { accepted: true, updates: [], response: ok };
    return {
      accepted: true,
      updates: [
        {
          ref: { orderId: payout.externalId },
          outcome: outcomeOf(payout.status),
          eventKey: `${this.instance}:${eventId}`,
        },
      ],
      response: ok,
    };
  }
}
