// The P2P gateway adapter (seed 001): create_pay_out (signed), rejected_pay_out to
// withdraw, success/error callbacks, and status_pay_out only when a callback is overdue
// (the gateway asks not to be polled and rate-limits status queries).
//
// What a lost create answer allows: the gateway defines no idempotency and no "not
// found", so an order it may have is never created again and never ended on a guess.
// Its callbacks name our order id (in the URL we gave and in the body), so they settle
// it; the callback URLs carry a tag only we and the gateway know, which is what makes
// an unsigned callback believable (the gateway's `standart_sign` is never defined).
import type {
  AdapterDeps,
  AdapterFactory,
  AdapterHost,
  CallbackRequest,
  CallbackResult,
  CancelResult,
  Capabilities,
  PayoutRef,
  ProviderAdapter,
  StatusResult,
  SubmitRequest,
  SubmitResult,
} from '../types.ts';
import { exchange, inconclusiveStatus, isObject, parseJson } from '../http.ts';
import { Journal } from './journal.ts';
import { loadP2pOptions, type P2pOptions } from './options.ts';
import { callbackTag, isCallbackTag, standardSign, type CallbackKind } from './signature.ts';
import {
  callbackKindOf,
  errorTextOf,
  payoutBody,
  readCallback,
  readCreateAnswer,
  readStatusAnswer,
  sameOrigin,
} from './wire.ts';

export const p2pFactory: AdapterFactory = {
  kind: 'p2p',
  create: (deps) => new P2pAdapter(deps, loadP2pOptions(deps.options)),
};

const OK = { status: 200, body: 'OK', contentType: 'text/plain' };

export class P2pAdapter implements ProviderAdapter {
  readonly kind = 'p2p';
  readonly instance: string;
  readonly capabilities: Capabilities;
  private journal: Journal;
  /** When the instance's status queries of the last minute were made. */
  private recentQueries: number[] = [];

  constructor(
    private deps: AdapterDeps,
    private opts: P2pOptions,
  ) {
    this.instance = deps.instance;
    this.journal = new Journal(deps, deps.instance);
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

  private callbackUrl(base: string, kind: CallbackKind, orderId: string): string {
    return `${base}/${kind}/${encodeURIComponent(orderId)}/${callbackTag(kind, orderId, this.opts.signKey)}`;
  }

  async submit(req: SubmitRequest): Promise<SubmitResult> {
    const built = payoutBody(
      req,
      {
        success: this.callbackUrl(req.callbackUrl, 'success', req.orderId),
        error: this.callbackUrl(req.callbackUrl, 'error', req.orderId),
      },
      this.opts,
    );
    if ('invalid' in built) return { status: 'failed', code: 'invalid_recipient', message: built.invalid };
    await this.journal.sending(req.orderId, this.deps.clock.now());
    const x = await exchange(
      this.deps.fetch,
      this.url('create_pay_out'),
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(built.body) },
      this.opts.requestTimeoutMs,
    );
    if (x.kind !== 'answer') return { status: x.kind, error: `create_pay_out: ${x.error}` };
    const { rejectUrl, ...answer } = readCreateAnswer(x.status, x.json, x.text);
    if (answer.status === 'processing' && answer.providerRef)
      await this.journal.accepted(req.orderId, answer.providerRef, sameOrigin(rejectUrl, this.opts.baseUrl));
    if (answer.status === 'failed')
      this.deps.log.warn(
        { instance: this.instance, orderId: req.orderId, httpStatus: x.status, code: answer.code },
        'p2p gateway refused a payout',
      );
    return answer;
  }

  /**
   * Asked by the engine's status sync. The gateway's callback is the answer; the gateway
   * is asked only once that callback is overdue, and then sparingly. Until then: unknown
   * (waiting), which neither ends the payout nor sends it again.
   */
  async status(ref: PayoutRef): Promise<StatusResult> {
    const now = this.deps.clock.now();
    const order = await this.journal.get(ref.orderId);
    const internalId = order?.internal_id ?? ref.providerRef ?? undefined;
    const waiting: StatusResult = { status: 'unknown', error: 'waiting for the gateway’s callback' };
    if (!order) {
      // Sent before this journal existed (or it was lost): count from now.
      await this.journal.sending(ref.orderId, now);
      return waiting;
    }
    if (now < order.sent_at + this.opts.statusAfterMs) return waiting;
    if (order.asked_at !== null && now < order.asked_at + this.opts.statusIntervalMs) return waiting;
    if (!this.mayQuery(now)) return waiting;
    await this.journal.asked(ref.orderId, now);
    return this.inquire(ref.orderId, internalId);
  }

  /** At most statusPerMinute queries in any minute, for the whole instance. */
  private mayQuery(now: number): boolean {
    this.recentQueries = this.recentQueries.filter((t) => t > now - 60_000);
    if (this.recentQueries.length >= this.opts.statusPerMinute) return false;
    this.recentQueries.push(now);
    return true;
  }

  /** GET status_pay_out/<id>/ with X-Api-Key: by the gateway's id once we have it, by our order id otherwise. */
  private async inquire(orderId: string, internalId: string | undefined): Promise<StatusResult> {
    const x = await exchange(
      this.deps.fetch,
      this.url('status_pay_out', internalId ?? orderId),
      { method: 'GET', headers: { 'Content-Type': 'application/json', 'X-Api-Key': this.opts.apiKey } },
      this.opts.requestTimeoutMs,
    );
    if (x.kind !== 'answer') return { status: 'unknown', error: `status_pay_out: ${x.error}` };
    const result = readStatusAnswer(x.status, x.json, orderId, internalId);
    if (x.status === 401 || x.status === 403)
      this.deps.log.error({ instance: this.instance, httpStatus: x.status }, 'p2p gateway refused our X-Api-Key');
    return result;
  }

  /** rejected_pay_out, at the reject URL the create answer gave (or the documented one). */
  async cancel(ref: PayoutRef): Promise<CancelResult> {
    const order = await this.journal.get(ref.orderId);
    const x = await exchange(
      this.deps.fetch,
      order?.reject_url ?? this.url('rejected_pay_out'),
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Api-Key': this.opts.apiKey },
        body: JSON.stringify({ order_id: ref.orderId, standart_sign: standardSign(ref.orderId, this.opts.signKey) }),
      },
      this.opts.requestTimeoutMs,
    );
    if (x.kind !== 'answer') return { ok: false, reason: 'unknown', message: `rejected_pay_out: ${x.error}` };
    if (x.status >= 200 && x.status < 300) return { ok: true };
    const doubt = inconclusiveStatus(x.status);
    const message = `rejected_pay_out: HTTP ${x.status} ${errorTextOf(isObject(x.json) ? x.json : {}, x.text).slice(0, 200)}`;
    return { ok: false, reason: doubt ? 'unknown' : 'refused', message };
  }

  /**
   * POST <callback base>/success|error/<order id>/<tag>. A callback at a tagged URL comes
   * from the gateway and is taken as its word; one at an untagged URL (given before tags
   * existed) is only a hint, confirmed by status_pay_out.
   */
  async handleCallback(req: CallbackRequest, host: AdapterHost): Promise<CallbackResult> {
    const [kind, urlOrderRaw, tag] = req.pathTail.split('/').filter(Boolean);
    if (kind !== 'success' && kind !== 'error') return { accepted: false, httpStatus: 404, reason: 'no such callback' };
    const json = parseJson(req.rawBody);
    if (json === undefined) return { accepted: false, httpStatus: 400, reason: 'body is not JSON' };
    const claim = readCallback(json);
    if ('invalid' in claim) return { accepted: false, httpStatus: 400, reason: claim.invalid };
    const orderId = urlOrderRaw ? decodeURIComponent(urlOrderRaw) : claim.orderId;
    if (!orderId) return { accepted: false, httpStatus: 400, reason: 'callback names no order' };
    if (claim.orderId !== undefined && claim.orderId !== orderId)
      return { accepted: false, httpStatus: 400, reason: 'order id in the URL and the body differ' };
    if (tag !== undefined && !isCallbackTag(tag, kind, orderId, this.opts.signKey))
      return { accepted: false, httpStatus: 401, reason: 'callback URL tag does not match' };
    if (callbackKindOf(claim.status) !== kind)
      return { accepted: false, httpStatus: 400, reason: `${claim.status} does not belong at the ${kind} URL` };

    const ours = await host.payoutStatus({ orderId });
    if (!ours) return { accepted: false, httpStatus: 404, reason: 'no such payout here' };
    if (ours.status !== 'created' && ours.status !== 'processing') return { accepted: true, updates: [], response: OK };
    const internalId = (await this.journal.get(orderId))?.internal_id ?? undefined;
    const eventKey = `${this.instance}:${orderId}:${claim.status}`;
    if (tag !== undefined) {
      const outcome = internalId ? { ...claim.outcome, providerRef: internalId } : claim.outcome;
      return { accepted: true, updates: [{ ref: { orderId }, outcome, eventKey }], response: OK };
    }

    // Unsigned and untagged: only what status_pay_out confirms is applied.
    const truth = await this.inquire(orderId, internalId);
    if (truth.status === 'unknown' || truth.status === 'not_found')
      return { accepted: false, httpStatus: 503, reason: 'cannot confirm this callback now' };
    if (truth.status !== claim.outcome.status) {
      this.deps.log.warn(
        { instance: this.instance, orderId, claimed: claim.status, confirmed: truth.status },
        'p2p callback not confirmed by status_pay_out',
      );
      return { accepted: false, httpStatus: 409, reason: 'callback status not confirmed by status_pay_out' };
    }
    return { accepted: true, updates: [{ ref: { orderId }, outcome: truth, eventKey }], response: OK };
  }
}
