// Paying out through an upstream Quantum Payouts account: card payouts by performPayout
// (Bearer token; idempotent per orderNumber, and our orderId is that orderNumber, so a
// repeated submit cannot pay twice), status by getPayoutStatus, and its
// payout.status_changed webhooks verified by HMAC. What the account may do is read from
// its `features` (at start, then again when stale) so our capabilities tell the truth.
// Every request to the account waits its turn under the account's rate limit.
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import type {
  AdapterDeps,
  AdapterFactory,
  CallbackRequest,
  CallbackResult,
  Capabilities,
  PayoutRef,
  ProviderAdapter,
  StatusResult,
  SubmitRequest,
  SubmitResult,
} from '../types.ts';
import { exchange, parseJson, type Exchange } from '../http.ts';
import { limiterFor, type RateLimiter } from '../limiter.ts';
import { loadQuantumOptions, type QuantumOptions } from './options.ts';
import { verifyWebhookSignature } from './signature.ts';
import { FeaturesAnswer, isRetryable, performBody, readAnswer, Webhook, webhookOutcome } from './wire.ts';

export const quantumFactory: AdapterFactory = {
  kind: 'quantum',
  create: (deps) => new QuantumAdapter(deps, loadQuantumOptions(deps.options)),
};

export class QuantumAdapter implements ProviderAdapter {
  readonly kind = 'quantum';
  readonly instance: string;
  /** Card payouts allowed on the account, as `features` last said (null: not known yet). */
  private cardPayouts: boolean | null = null;
  private featuresAt = 0;
  /** After a failed features request, not before this. */
  private featuresRetryAt = 0;
  private featuresRun: Promise<void> | null = null;
  private limiter: RateLimiter;

  constructor(
    private deps: AdapterDeps,
    private opts: QuantumOptions,
  ) {
    this.instance = deps.instance;
    // One limit per upstream account, however many instances name it.
    const account = `${opts.baseUrl}|${createHash('sha256').update(opts.token).digest('hex')}`;
    this.limiter = limiterFor(account, opts.requestsPerSecond, 1000);
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

  /**
   * One request, under the account's rate limit; a 429 or 5xx is tried again after a
   * back-off (every call here is safe to repeat: performPayout is idempotent per orderNumber).
   */
  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Exchange> {
    for (let attempt = 0; ; attempt++) {
      const release = await this.limiter.take();
      const x = await exchange(
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
      ).finally(release);
      if (x.kind !== 'answer' || !isRetryable(x.status) || attempt >= this.opts.retries) return x;
      const backoff = this.opts.retryBackoffMs * 2 ** attempt;
      const asked = Number(x.headers.get('retry-after')) * 1000;
      await new Promise((r) => setTimeout(r, Math.min(Math.max(backoff, asked || 0), 30_000)));
    }
  }

  async submit(req: SubmitRequest): Promise<SubmitResult> {
    const built = performBody(req, this.opts.defaultDescription);
    if ('invalid' in built) return { status: 'failed', code: built.code, message: built.invalid };
    if (this.cardPayouts === null) await this.refreshFeatures();
    if (this.cardPayouts === false)
      return {
        status: 'failed',
        code: 'method_not_supported',
        message: 'card payouts are not enabled on the upstream account',
      };
    const x = await this.call('POST', 'performPayout', built.body);
    if (x.kind !== 'answer') return { status: x.kind, error: `performPayout: ${x.error}` };
    const { answer, code } = readAnswer(x.status, x.json, 'performPayout', req.orderId);
    if (code === 'PERMISSION_DENIED') this.featuresAt = 0; // the account may have changed: ask features again
    if (answer.status === 'failed')
      this.deps.log.warn(
        { instance: this.instance, orderId: req.orderId, httpStatus: x.status, code },
        'quantum performPayout refused',
      );
    return answer.status === 'not_found' ? { status: 'unknown', error: 'performPayout: not found' } : answer;
  }

  async status(ref: PayoutRef): Promise<StatusResult> {
    const x = await this.call('POST', 'getPayoutStatus', { orderNumber: ref.orderId });
    if (x.kind !== 'answer') return { status: 'unknown', error: `getPayoutStatus: ${x.error}` };
    return readAnswer(x.status, x.json, 'getPayoutStatus', ref.orderId).answer;
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
    const ok = { status: 200, body: 'ok', contentType: 'text/plain' };
    // Other events, and payouts made on the account by hand or by file, are not ours.
    const ours = webhookOutcome(parsed.output);
    if (!ours) return { accepted: true, updates: [], response: ok };
    return {
      accepted: true,
      updates: [
        {
          ref: { orderId: ours.orderId },
          outcome: ours.outcome,
          eventKey: `${this.instance}:${parsed.output.eventId}`,
        },
      ],
      response: ok,
    };
  }
}
