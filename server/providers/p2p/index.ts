// The P2P gateway adapter: create_pay_out (signed), status_pay_out (X-Api-Key),
// rejected_pay_out for cancellation, and its success/error callbacks. The gateway never
// says how its callbacks are signed (`standart_sign` is undefined), so a callback is only
// a hint: we act on what status_pay_out answers, never on the callback's own claims.
import * as v from 'valibot';
import type {
  AdapterDeps,
  AdapterHost,
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
import { kopecksToDecimal } from '../amount.ts';
import { findBank } from '../../../src/contract/banks.ts';
import { exchange, inconclusiveStatus, isObject, parseJson } from '../http.ts';
import { failureCodeFor, P2P_FAILURE_MESSAGES } from './messages.ts';
import { loadP2pOptions, type P2pOptions } from './options.ts';
import { payoutSign, standardSign } from './sign.ts';

const GATEWAY_STATUSES = [
  'expectation',
  'successful',
  'rejected_timeout',
  'rejected_merchant',
  'rejected_gate',
] as const;
type GatewayStatus = (typeof GATEWAY_STATUSES)[number];

/** The gateway's status in our terms. rejected_merchant is our own cancellation taking effect. */
export function outcomeOf(status: GatewayStatus, providerRef?: string): ProviderOutcome {
  switch (status) {
    case 'expectation':
      return { status: 'processing', providerRef };
    case 'successful':
      return { status: 'success', providerRef };
    case 'rejected_merchant':
      return { status: 'cancelled', code: status, providerRef };
    default:
      return { status: 'failed', code: status, message: P2P_FAILURE_MESSAGES[status].en, providerRef };
  }
}

const StatusAnswer = v.looseObject({
  order_id: v.string(),
  status: v.picklist(GATEWAY_STATUSES),
});

const CallbackBody = v.looseObject({
  order_id: v.optional(v.union([v.string(), v.number()])),
  type: v.optional(v.string()),
  status: v.picklist(GATEWAY_STATUSES),
});

export const p2pFactory: AdapterFactory = {
  kind: 'p2p',
  create: (deps) => new P2pAdapter(deps, loadP2pOptions(deps.options)),
};

export class P2pAdapter implements ProviderAdapter {
  readonly kind = 'p2p';
  readonly instance: string;
  readonly capabilities: Capabilities;
  /** Per order: when the engine may next reach the gateway's rate-limited status inquiry. */
  private polls = new Map<string, { nextAt: number; delay: number; last: StatusResult }>();

  constructor(
    private deps: AdapterDeps,
    private opts: P2pOptions,
  ) {
    this.instance = deps.instance;
    this.capabilities = {
      methods: opts.methods,
      minAmount: opts.minAmount,
      maxAmount: opts.maxAmount,
      requiredFields: {},
      handoff: false,
    };
  }

  private url(action: string, id?: string): string {
    const base = `${this.opts.baseUrl.replace(/\/+$/, '')}/api/merchant/${encodeURIComponent(this.opts.merchant)}/${action}/`;
    return id === undefined ? base : `${base}${encodeURIComponent(id)}/`;
  }

  async submit(req: SubmitRequest): Promise<SubmitResult> {
    const r = req.recipient;
    if (!r) return { status: 'failed', code: 'invalid_recipient', message: 'recipient details are required' };
    const fiatAmount = kopecksToDecimal(req.amount);
    const fiatCurrency = req.currency.toLowerCase();
    const body: Record<string, unknown> = {
      order_id: req.orderId,
      payment_method: r.type,
      fiat_amount: fiatAmount,
      fiat_currency: fiatCurrency,
      success_callback_url: `${req.callbackUrl}/success/${encodeURIComponent(req.orderId)}`,
      error_callback_url: `${req.callbackUrl}/error/${encodeURIComponent(req.orderId)}`,
    };
    if (this.opts.payoutTimeoutMinutes) body.timeout = this.opts.payoutTimeoutMinutes;
    if (req.description) body.order_description = req.description.slice(0, 8000);
    if (r.fullName) body.full_name = r.fullName.slice(0, 128);
    let requisite: string;
    if (r.type === 'card') {
      // The gateway documents string(16); Mir and Visa can be up to 19 digits: we pass what was entered.
      requisite = body.number_card = r.pan;
    } else {
      requisite = body.phone_number = r.phone.replace(/\D/g, '');
      const bankName = findBank(r.bankId)?.nameEn ?? r.bankName;
      if (!bankName) return { status: 'failed', code: 'invalid_recipient', message: `unknown SBP bank ${r.bankId}` };
      body.bank_name = bankName.slice(0, 72);
      const bik = this.opts.bikByBankId[r.bankId];
      if (bik) body.bik = bik;
    }
    body.sign = payoutSign({ orderId: req.orderId, fiatAmount, requisite, fiatCurrency }, this.opts.signKey);

    const x = await exchange(
      this.deps.fetch,
      this.url('create_pay_out'),
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      this.opts.requestTimeoutMs,
    );
    if (x.kind !== 'answer') return { status: x.kind, error: `create_pay_out: ${x.error}` };
    const doubt = inconclusiveStatus(x.status);
    if (doubt) return { status: 'unknown', error: `create_pay_out: ${doubt}` };
    const answer = isObject(x.json) ? x.json : {};
    if (x.status >= 200 && x.status < 300 && answer.ok !== false) {
      if (typeof answer.internal_transaction_id === 'string')
        return { status: 'processing', providerRef: answer.internal_transaction_id };
      return { status: 'unknown', error: 'create_pay_out: accepted without a transaction id' };
    }
    const errorText = errorTextOf(answer, x.text);
    // The order already exists there: our earlier attempt arrived. Let status_pay_out tell.
    if (/already exists|duplicate/i.test(errorText))
      return { status: 'unknown', error: `create_pay_out: ${errorText}` };
    const code = failureCodeFor(errorText);
    this.deps.log.warn(
      { instance: this.instance, orderId: req.orderId, httpStatus: x.status, error: errorText.slice(0, 200) },
      'p2p gateway refused a payout',
    );
    return { status: 'failed', code, message: P2P_FAILURE_MESSAGES[code].en };
  }

  /**
   * The gateway asks not to be polled. Status queries the engine makes for one order are
   * spaced out (statusBackoffMs, doubling to statusBackoffMaxMs); in between, the last
   * answer stands. Callbacks always query (they are the signal to look).
   */
  async status(ref: PayoutRef): Promise<StatusResult> {
    const now = this.deps.clock.now();
    const poll = this.polls.get(ref.orderId);
    if (poll && now < poll.nextAt) return poll.last;
    const result = await this.inquire(ref.orderId);
    const final = result.status !== 'processing' && result.status !== 'unknown';
    if (final) this.polls.delete(ref.orderId);
    else {
      const delay = poll ? Math.min(poll.delay * 2, this.opts.statusBackoffMaxMs) : this.opts.statusBackoffMs;
      this.polls.set(ref.orderId, { nextAt: now + delay, delay, last: result });
    }
    return result;
  }

  /** GET status_pay_out/<our order id>/ with X-Api-Key. */
  private async inquire(orderId: string): Promise<StatusResult> {
    const x = await exchange(
      this.deps.fetch,
      this.url('status_pay_out', orderId),
      { method: 'GET', headers: { 'Content-Type': 'application/json', 'X-Api-Key': this.opts.apiKey } },
      this.opts.requestTimeoutMs,
    );
    if (x.kind !== 'answer') return { status: 'unknown', error: `status_pay_out: ${x.error}` };
    const answer = isObject(x.json) ? x.json : {};
    if (x.status === 404 || (x.status < 500 && /not.?found/i.test(errorTextOf(answer, ''))))
      return { status: 'not_found' };
    if (x.status < 200 || x.status >= 300) {
      if (x.status === 401 || x.status === 403)
        this.deps.log.error({ instance: this.instance, httpStatus: x.status }, 'p2p gateway refused our X-Api-Key');
      return { status: 'unknown', error: `status_pay_out: HTTP ${x.status} ${errorTextOf(answer, '').slice(0, 100)}` };
    }
    const parsed = v.safeParse(StatusAnswer, answer);
    if (!parsed.success || parsed.output.order_id !== orderId)
      return { status: 'unknown', error: 'status_pay_out: unexpected answer' };
    return outcomeOf(parsed.output.status);
  }

  /** rejected_pay_out: best effort; the error callback or a status query then confirms it. */
  async cancel(ref: PayoutRef): Promise<void> {
    const x = await exchange(
      this.deps.fetch,
      this.url('rejected_pay_out'),
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Api-Key': this.opts.apiKey },
        body: JSON.stringify({ order_id: ref.orderId, standart_sign: standardSign(ref.orderId, this.opts.signKey) }),
      },
      this.opts.requestTimeoutMs,
    );
    const ok = x.kind === 'answer' && x.status >= 200 && x.status < 300;
    if (!ok)
      this.deps.log.warn(
        { instance: this.instance, orderId: ref.orderId, error: x.kind === 'answer' ? `HTTP ${x.status}` : x.error },
        'p2p cancel not accepted',
      );
  }

  /** POST <callback base>/success|error/<order id>: confirmed by status_pay_out before anything changes. */
  async handleCallback(req: CallbackRequest, host: AdapterHost): Promise<CallbackResult> {
    const [, urlOrderId] = req.pathTail.split('/').filter(Boolean);
    const json = parseJson(req.rawBody);
    if (json === undefined) return { accepted: false, httpStatus: 400, reason: 'body is not JSON' };
    const body = v.safeParse(CallbackBody, json);
    if (!body.success) return { accepted: false, httpStatus: 400, reason: `callback: ${v.summarize(body.issues)}` };
    const bodyOrderId = body.output.order_id === undefined ? undefined : String(body.output.order_id);
    const orderId = urlOrderId ? decodeURIComponent(urlOrderId) : bodyOrderId;
    if (!orderId) return { accepted: false, httpStatus: 400, reason: 'callback names no order' };
    if (bodyOrderId !== undefined && bodyOrderId !== orderId)
      return { accepted: false, httpStatus: 400, reason: 'order id in the URL and the body differ' };

    // Unsigned callbacks must not make us spend the gateway's rate-limited inquiries: only
    // payouts of ours still waiting for a result are asked about.
    const ours = await host.payoutStatus({ orderId });
    if (!ours) return { accepted: false, httpStatus: 404, reason: 'no such payout here' };
    if (ours.status !== 'created' && ours.status !== 'processing') return { accepted: true, updates: [], response: OK };

    const truth = await this.inquire(orderId);
    if (truth.status === 'unknown')
      return { accepted: false, httpStatus: 503, reason: `cannot confirm: ${truth.error}` };
    if (truth.status === 'not_found')
      return { accepted: false, httpStatus: 404, reason: 'the gateway does not know this order' };
    this.polls.delete(orderId);
    const claimed = outcomeOf(body.output.status);
    if (claimed.status !== truth.status) {
      this.deps.log.warn(
        { instance: this.instance, orderId, claimed: body.output.status, confirmed: truth.status },
        'p2p callback not confirmed by status_pay_out',
      );
      return { accepted: false, httpStatus: 409, reason: 'callback status not confirmed by status_pay_out' };
    }
    return {
      accepted: true,
      updates: [{ ref: { orderId }, outcome: truth, eventKey: `${this.instance}:${orderId}:${body.output.status}` }],
      response: OK,
    };
  }
}

const OK = { status: 200, body: 'OK', contentType: 'text/plain' };

function errorTextOf(answer: Record<string, unknown>, fallback: string): string {
  for (const key of ['error', 'message', 'detail', 'errors']) {
    const value = answer[key];
    if (typeof value === 'string' && value) return value;
    if (Array.isArray(value) && typeof value[0] === 'string') return value.join('; ');
  }
  return fallback || 'unknown error';
}
