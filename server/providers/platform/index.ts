// The payments platform, a hand-off provider: it collects the recipient's details on its
// own hosted form. POST /api/payments (type "payout", Idempotency-Key, externalId = our
// orderId, redirectUrl back to our page, webhookUrl = our callback) answers the form's
// `url`; our page sends the recipient there. The status comes from its webhook, always
// confirmed by GET /api/payments/:id, and from that same GET when we reconcile.
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
import { exchange, parseJson, type Exchange } from '../http.ts';
import { loadPlatformOptions, type PlatformOptions } from './options.ts';
import { idempotencyUuid, verifyPlatformSignature } from './signature.ts';
import { paymentBody, readCreateAnswer, readPayment, webhookPaymentId } from './wire.ts';

export const platformFactory: AdapterFactory = {
  kind: 'platform',
  create: (deps) => new PlatformAdapter(deps, loadPlatformOptions(deps.options)),
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
    const x = await this.call('POST', '', paymentBody(req), { 'Idempotency-Key': idempotencyUuid(req.idempotencyKey) });
    if (x.kind !== 'answer') return { status: x.kind, error: `create payment: ${x.error}` };
    const answer = readCreateAnswer(x.status, x.json, req);
    if (answer.status === 'failed')
      this.deps.log.warn(
        { instance: this.instance, orderId: req.orderId, httpStatus: x.status },
        'platform refused a payout',
      );
    return answer;
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

  private async fetchPayment(id: string, orderId?: string) {
    const x = await this.call('GET', `/${encodeURIComponent(id)}`);
    if (x.kind !== 'answer') return { status: 'unknown' as const, error: `get payment: ${x.error}` };
    return readPayment(x.status, x.json, orderId);
  }

  /** Webhook at <callback base>/<orderId>: signature, then the payment as GET tells it. */
  async handleCallback(req: CallbackRequest): Promise<CallbackResult> {
    if (!verifyPlatformSignature(this.opts.token, req.rawBody, req.headers.get(this.opts.signatureHeader))) {
      return { accepted: false, httpStatus: 401, reason: `bad ${this.opts.signatureHeader}` };
    }
    const json = parseJson(req.rawBody);
    if (json === undefined) return { accepted: false, httpStatus: 400, reason: 'body is not JSON' };
    const id = webhookPaymentId(json);
    if (!id) return { accepted: false, httpStatus: 400, reason: 'webhook names no payment id' };
    const urlOrderId = req.pathTail ? decodeURIComponent(req.pathTail.split('/')[0]!) : undefined;

    const truth = await this.fetchPayment(id, urlOrderId);
    if (truth.status === 'unknown')
      return { accepted: false, httpStatus: 503, reason: `cannot confirm: ${truth.error}` };
    if (truth.status === 'not_found')
      return { accepted: false, httpStatus: 404, reason: 'the platform does not know this payment' };
    const { orderId, ...outcome } = truth;
    return {
      accepted: true,
      updates: [
        {
          ref: { orderId, providerRef: id },
          outcome: outcome as ProviderOutcome,
          eventKey: `${this.instance}:${id}:${outcome.status}`,
        },
      ],
      response: { status: 200, body: 'ok', contentType: 'text/plain' },
    };
  }
}
