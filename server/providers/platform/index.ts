// The payments platform, a hand-off provider: it collects the recipient's details on its
// own hosted form. POST /api/payments (type "payout", Idempotency-Key, externalId = our
// orderId, redirectUrl back to our page, webhookUrl = our callback) answers the form's
// `url`; our page sends the recipient there. The status comes from its webhook, always
// confirmed by GET /api/payments/:id, and from that same GET when we reconcile.
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
import { decimalToKopecks, kopecksToDecimal } from '../amount.ts';
import { exchange, inconclusiveStatus, isObject, parseJson, type Exchange } from '../http.ts';
import { EnvName, HttpUrl, Int, parseOptions, readSecret, RequestTimeoutMs } from '../options.ts';
import { idempotencyUuid, verifyPlatformSignature } from './signature.ts';

const OptionsSchema = v.strictObject({
  /** The platform's origin; /api/payments is added. */
  baseUrl: HttpUrl,
  /** A token with the "Payout" checkbox enabled. */
  tokenFile: v.optional(v.string()),
  tokenEnv: v.optional(EnvName),
  /** The methods the platform's form offers for this account (it collects them, not us). */
  methods: v.optional(v.pipe(v.array(v.picklist(['card', 'sbp'])), v.minLength(1)), ['card']),
  /** The header carrying the webhook signature. */
  signatureHeader: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name')),
    'X-Signature',
  ),
  requestTimeoutMs: RequestTimeoutMs,
  minAmount: v.optional(Int(1, 1e13), 100),
  maxAmount: v.optional(Int(1, 1e13), 100_000_000),
});
type PlatformOptions = v.InferOutput<typeof OptionsSchema> & { token: string };

const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed'] as const;
const Payment = v.looseObject({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  status: v.picklist(PAYMENT_STATUSES),
  url: v.optional(v.string()),
  externalId: v.nullish(v.string()),
  amount: v.optional(v.string()),
  currency: v.optional(v.string()),
  type: v.optional(v.string()),
});
/** The webhook body is not documented: a payment object, bare or under `data`/`payment`/`object`. */
const WebhookId = v.looseObject({ id: v.string() });

export function outcomeOf(status: (typeof PAYMENT_STATUSES)[number], providerRef: string): ProviderOutcome {
  if (status === 'succeeded') return { status: 'success', providerRef };
  if (status === 'failed')
    return {
      status: 'failed',
      code: 'platform_failed',
      message: 'the payments platform reports the payout failed',
      providerRef,
    };
  return { status: 'processing', providerRef };
}

export const platformFactory: AdapterFactory = {
  kind: 'platform',
  create(deps) {
    const o = parseOptions(OptionsSchema, deps.options);
    if (o.minAmount > o.maxAmount) throw new Error('options.minAmount: must not exceed maxAmount');
    return new PlatformAdapter(deps, { ...o, token: readSecret({ file: o.tokenFile, env: o.tokenEnv }, 'token') });
  },
};

export class PlatformAdapter implements ProviderAdapter {
  readonly kind = 'platform';
  readonly instance: string;
  readonly capabilities: Capabilities;

  constructor(
    private deps: AdapterDeps,
    private opts: PlatformOptions,
  ) {
    this.instance = deps.instance;
    this.capabilities = {
      methods: opts.methods,
      minAmount: opts.minAmount,
      maxAmount: opts.maxAmount,
      requiredFields: {},
      handoff: true,
    };
  }

  private call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Exchange> {
    return exchange(
      this.deps.fetch,
      `${this.opts.baseUrl.replace(/\/+$/, '')}/api/payments${path}`,
      {
        method,
        headers: {
          Authorization: `Bearer ${this.opts.token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      this.opts.requestTimeoutMs,
    );
  }

  /**
   * Creates the payout on the platform. Safe to repeat with the same idempotency key: the
   * platform answers the same payment (and form url), never a second one.
   */
  async submit(req: SubmitRequest): Promise<SubmitResult> {
    const body: Record<string, unknown> = {
      amount: kopecksToDecimal(req.amount),
      currency: req.currency,
      type: 'payout',
      externalId: req.orderId,
      webhookUrl: `${req.callbackUrl}/${encodeURIComponent(req.orderId)}`,
      metadata: { orderId: req.orderId },
    };
    if (req.description) body.description = req.description.slice(0, 255);
    if (req.returnUrl) body.redirectUrl = req.returnUrl;
    const x = await this.call('POST', '', body, { 'Idempotency-Key': idempotencyUuid(req.idempotencyKey) });
    if (x.kind !== 'answer') return { status: x.kind, error: `create payment: ${x.error}` };
    const doubt = inconclusiveStatus(x.status) ?? (x.status === 409 ? 'HTTP 409' : undefined);
    if (doubt) return { status: 'unknown', error: `create payment: ${doubt}` };
    if (x.status >= 400) {
      const message = messageOf(x.json) ?? `HTTP ${x.status}`;
      this.deps.log.warn(
        { instance: this.instance, orderId: req.orderId, httpStatus: x.status },
        'platform refused a payout',
      );
      return { status: 'failed', code: 'platform_rejected', message };
    }
    const p = v.safeParse(Payment, x.json);
    if (!p.success || p.output.externalId !== req.orderId || !p.output.url)
      return { status: 'unknown', error: 'create payment: unexpected answer' };
    if (decimalToKopecks(p.output.amount ?? '') !== req.amount)
      return { status: 'unknown', error: 'create payment: the platform answered another amount' };
    return { ...outcomeOf(p.output.status, p.output.id), redirectUrl: p.output.url };
  }

  /** GET /api/payments/:id. Without the platform's id (the create answer was lost) only a repeated create can find it. */
  async status(ref: PayoutRef): Promise<StatusResult> {
    if (!ref.providerRef)
      return {
        status: 'unknown',
        error: 'no platform payment id yet: the hand-off repeats the create with the same Idempotency-Key',
      };
    const { orderId: _ours, ...answer } = await this.fetchPayment(ref.providerRef, ref.orderId);
    return answer as StatusResult;
  }

  private async fetchPayment(id: string, orderId?: string): Promise<StatusResult & { orderId?: string }> {
    const x = await this.call('GET', `/${encodeURIComponent(id)}`);
    if (x.kind !== 'answer') return { status: 'unknown', error: `get payment: ${x.error}` };
    if (x.status === 404) return { status: 'not_found' };
    if (x.status !== 200) return { status: 'unknown', error: `get payment: HTTP ${x.status}` };
    const p = v.safeParse(Payment, x.json);
    if (
      !p.success ||
      !p.output.externalId ||
      (orderId && p.output.externalId !== orderId) ||
      (p.output.type && p.output.type !== 'payout')
    ) {
      return { status: 'unknown', error: 'get payment: unexpected answer' };
    }
    return { ...outcomeOf(p.output.status, p.output.id), orderId: p.output.externalId };
  }

  /** Webhook at <callback base>/<orderId>: signature, then the payment as GET tells it. */
  async handleCallback(req: CallbackRequest): Promise<CallbackResult> {
    if (!verifyPlatformSignature(this.opts.token, req.rawBody, req.headers.get(this.opts.signatureHeader))) {
      return { accepted: false, httpStatus: 401, reason: `bad ${this.opts.signatureHeader}` };
    }
    const json = parseJson(req.rawBody);
    if (json === undefined) return { accepted: false, httpStatus: 400, reason: 'body is not JSON' };
    const inner = isObject(json) ? ([json.data, json.payment, json.object].find(isObject) ?? json) : json;
    const named = v.safeParse(WebhookId, inner);
    if (!named.success) return { accepted: false, httpStatus: 400, reason: 'webhook names no payment id' };
    const urlOrderId = req.pathTail ? decodeURIComponent(req.pathTail.split('/')[0]!) : undefined;

    const truth = await this.fetchPayment(named.output.id, urlOrderId);
    if (truth.status === 'unknown')
      return { accepted: false, httpStatus: 503, reason: `cannot confirm: ${truth.error}` };
    if (truth.status === 'not_found')
      return { accepted: false, httpStatus: 404, reason: 'the platform does not know this payment' };
    const { orderId, ...outcome } = truth;
    return {
      accepted: true,
      updates: [
        {
          ref: { orderId, providerRef: named.output.id },
          outcome: outcome as ProviderOutcome,
          eventKey: `${this.instance}:${named.output.id}:${outcome.status}`,
        },
      ],
      response: { status: 200, body: 'ok', contentType: 'text/plain' },
    };
  }
}

function messageOf(json: unknown): string | undefined {
  if (!isObject(json)) return undefined;
  for (const key of ['message', 'error', 'detail']) {
    const value = json[key];
    if (typeof value === 'string' && value) return value.slice(0, 300);
    if (isObject(value) && typeof value.message === 'string') return value.message.slice(0, 300);
  }
  return undefined;
}
