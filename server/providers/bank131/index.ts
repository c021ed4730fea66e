// Bank 131 payouts (API v1): card by open number with the recipient's full name,
// SBP by phone + bank id. Every request is signed with our RSA key; webhooks are
// checked with the bank's key before they are read. A session the bank holds for
// confirmation is confirmed while we still want the payout, cancelled otherwise.
import * as v from 'valibot';
import type {
  AdapterDeps,
  AdapterFactory,
  AdapterHost,
  Capabilities,
  CallbackRequest,
  CallbackResult,
  CancelResult,
  ProviderOutcome,
  PayoutRef,
  ProviderAdapter,
  StatusResult,
  SubmitRequest,
  SubmitResult,
} from '../types.ts';
import { Bank131Client, type CallResult } from './client.ts';
import { failureCode, isInconclusive } from './errors.ts';
import { Journal, type Attempt } from './journal.ts';
import { loadSettings, type Bank131Settings } from './options.ts';
import { SIGN_HEADER, verifyBody } from './signature.ts';
import { BankList, orderIdOf, payoutFields, viewSession, Webhook, type Session } from './wire.ts';

export const bank131Factory: AdapterFactory = {
  kind: 'bank131',
  create(deps: AdapterDeps): ProviderAdapter {
    return new Bank131Adapter(deps, loadSettings(deps.options));
  },
};

/** Our statuses in which the payout is still wanted: a session waiting for confirmation gets confirmed. */
const WANTED = new Set(['created', 'processing']);
/** Our statuses in which the bank's result is already in: a late ready_to_confirm is stale. */
const SETTLED = new Set(['success', 'refunded']);

export class Bank131Adapter implements ProviderAdapter {
  readonly kind = 'bank131';
  readonly instance: string;
  readonly capabilities: Capabilities;
  private client: Bank131Client;
  private journal: Journal;

  constructor(
    private deps: AdapterDeps,
    private settings: Bank131Settings,
  ) {
    this.instance = deps.instance;
    this.client = new Bank131Client(settings, deps.fetch, deps.log);
    this.journal = new Journal(deps, deps.instance);
    this.capabilities = {
      methods: ['card', 'sbp'],
      minAmount: settings.minAmount,
      maxAmount: settings.maxAmount,
      // The bank needs the passport name for cards only.
      requiredFields: { card: ['fullName'] },
      handoff: false,
    };
  }

  async submit(req: SubmitRequest): Promise<SubmitResult> {
    if (req.amount < this.settings.minAmount || req.amount > this.settings.maxAmount) {
      return {
        status: 'failed',
        code: 'amount_out_of_range',
        message: `amount must be ${this.settings.minAmount}..${this.settings.maxAmount} kopecks`,
      };
    }
    const fields = payoutFields(req, this.settings.sbpDescription);
    if ('invalid' in fields) return { status: 'failed', code: 'invalid_recipient', message: String(fields.invalid) };

    const key = req.idempotencyKey;
    const earlier = await this.journal.get(key);
    if (earlier?.sent) return this.sendAgain(req.idempotencyKey, fields, earlier);
    const attempt = await this.journal.begin(key, req.orderId, this.deps.clock.now());

    if (this.settings.flow === 'init') {
      await this.journal.markSent(key);
      return this.payoutAnswer(key, await this.client.post('session/init/payout', fields, key));
    }

    let sessionId = attempt.session_id;
    if (!sessionId) {
      const created = await this.client.post('session/create', {});
      if (created.kind !== 'ok' || !created.session) return this.createFailed(created);
      sessionId = created.session.id;
      await this.journal.setSession(key, sessionId);
    }
    await this.journal.markSent(key);
    return this.payoutAnswer(
      key,
      await this.client.post('session/start/payout', { session_id: sessionId, ...fields }, key),
      sessionId,
    );
  }

  /**
   * The same attempt again, after status() found the bank without its payout. Never a
   * second payout: the same X-PARTNER-IDEMPOTENCY-KEY (the bank refuses a key it has),
   * and a start goes to the same session, which holds one payout at most.
   */
  private async sendAgain(key: string, fields: Record<string, unknown>, earlier: Attempt): Promise<SubmitResult> {
    const sessionId = earlier.session_id;
    if (sessionId) {
      const res = await this.client.post('session/status', { session_id: sessionId });
      if (res.kind !== 'ok' || !res.session) return { status: 'unknown', error: describeFailure(res) };
      const { view } = viewSession(res.session);
      if (view.status === 'unknown') return { status: 'unknown', error: view.error };
      if (view.status !== 'empty') return view;
      return this.payoutAnswer(
        key,
        await this.client.post('session/start/payout', { session_id: sessionId, ...fields }, key),
        sessionId,
      );
    }
    if (this.settings.flow === 'init' && !earlier.held)
      return this.payoutAnswer(key, await this.client.post('session/init/payout', fields, key));
    return { status: 'unknown', error: 'sent before; the session id comes with the bank’s webhook' };
  }

  async status(ref: PayoutRef): Promise<StatusResult> {
    const attempt = await this.journal.get(ref.idempotencyKey);
    // The journal knows this very attempt's session; the payout's providerRef may be an earlier attempt's.
    const sessionId = attempt ? attempt.session_id : ref.providerRef;
    if (!sessionId) {
      if (!attempt?.sent) return { status: 'not_found' };
      if (this.settings.flow === 'init' && !attempt.held)
        return { status: 'resend', reason: 'session/init/payout went unanswered' };
      return { status: 'unknown', error: 'sent without an answer; the session id comes with the bank’s webhook' };
    }
    const res = await this.client.post('session/status', { session_id: sessionId });
    if (res.kind !== 'ok' || !res.session) return { status: 'unknown', error: describeFailure(res) };
    const { view, needsConfirm } = viewSession(res.session);
    if (needsConfirm) {
      // Still wanted: confirm. Withdrawal asked for (its link expired): cancel, never confirm.
      if (ref.withdrawRequested) await this.client.post('session/cancel', { session_id: res.session.id });
      else await this.confirm(res.session.id);
    }
    if (view.status === 'empty') {
      if (attempt && !attempt.sent) return { status: 'not_found' };
      // The start never took: the same start again, before the link expires with nothing paid.
      if (attempt) return { status: 'resend', reason: 'the session holds no payout' };
      return { status: 'processing', providerRef: sessionId };
    }
    return view;
  }

  async cancel(ref: PayoutRef): Promise<CancelResult> {
    const attempt = await this.journal.get(ref.idempotencyKey);
    const sessionId = attempt ? attempt.session_id : ref.providerRef;
    if (!sessionId) return { ok: false, reason: 'unknown', message: 'no session known yet' };
    const res = await this.client.post('session/cancel', { session_id: sessionId });
    if (res.kind === 'ok') return { ok: true };
    return { ok: false, reason: res.kind === 'refused' ? 'refused' : 'unknown', message: describeFailure(res) };
  }

  async handleCallback(req: CallbackRequest, host: AdapterHost): Promise<CallbackResult> {
    if (!verifyBody(req.rawBody, req.headers.get(SIGN_HEADER), this.settings.bankPublicKey)) {
      return { accepted: false, httpStatus: 401, reason: `bad or missing ${SIGN_HEADER}` };
    }
    let hook: Webhook;
    try {
      hook = v.parse(Webhook, JSON.parse(req.rawBody));
    } catch {
      return { accepted: false, httpStatus: 400, reason: 'not a Bank 131 webhook' };
    }
    const session = hook.session;
    const orderId = orderIdOf(session);
    if (orderId) await this.journal.learnSession(orderId, session.id);
    const ref = { ...(orderId ? { orderId } : {}), providerRef: session.id };
    const ok = { status: 200, body: '{}', contentType: 'application/json' };

    switch (hook.type) {
      case 'ready_to_confirm': {
        const answered = await this.answerConfirmation(session, ref, host);
        if (!answered.ok)
          return {
            accepted: true,
            updates: [],
            response: { status: 503, body: '{}', contentType: 'application/json' },
          };
        const updates = answered.confirmed
          ? [
              {
                ref,
                outcome: { status: 'processing', providerRef: session.id } as ProviderOutcome,
                eventKey: `${session.id}:ready_to_confirm`,
              },
            ]
          : [];
        return { accepted: true, updates, response: ok };
      }
      case 'payment_finished': {
        const { view } = viewSession(session);
        if (view.status === 'empty' || view.status === 'unknown') return { accepted: true, updates: [], response: ok };
        return {
          accepted: true,
          updates: [{ ref, outcome: view, eventKey: `${session.id}:${view.status}` }],
          response: ok,
        };
      }
      case 'payment_refunded':
        // Refunds come only after success; the engine walks processing → success → refunded if this overtakes payment_finished.
        return {
          accepted: true,
          updates: [
            { ref, outcome: { status: 'refunded', providerRef: session.id }, eventKey: `${session.id}:refunded` },
          ],
          response: ok,
        };
      default:
        this.deps.log.info({ instance: this.instance, type: hook.type }, 'bank131 webhook ignored');
        return { accepted: true, updates: [], response: ok };
    }
  }

  /**
   * The banks Bank 131 pays to over SBP (GET fps/banks), as {id, nameRu, nameEn}; the
   * built-in list is the default and this one can replace it. Undefined when unavailable.
   */
  async sbpBanks(): Promise<Array<{ id: string; nameRu: string; nameEn: string }> | undefined> {
    const res = await this.client.get('fps/banks');
    if (res.kind !== 'ok') return undefined;
    const list = v.safeParse(BankList, res.body);
    if (!list.success) return undefined;
    return list.output.banks.map((b) => ({ id: b.id, nameRu: b.ru_name, nameEn: b.eng_name || b.ru_name }));
  }

  /**
   * ready_to_confirm: confirm while we want the payout, cancel when we gave it up;
   * leave sessions that are not ours alone (a project may be shared). `ok: false` asks the bank to resend.
   */
  private async answerConfirmation(
    session: Session,
    ref: Partial<PayoutRef>,
    host: AdapterHost,
  ): Promise<{ ok: boolean; confirmed: boolean }> {
    let ours: Awaited<ReturnType<AdapterHost['payoutStatus']>>;
    try {
      ours = await host.payoutStatus(ref);
    } catch (err) {
      this.deps.log.error(
        { instance: this.instance, err: (err as Error).message },
        'bank131: our payout status unavailable',
      );
      return { ok: false, confirmed: false };
    }
    if (!ours) {
      this.deps.log.warn(
        { instance: this.instance, session: session.id },
        'bank131 ready_to_confirm for a session that is not ours: left alone',
      );
      return { ok: true, confirmed: false };
    }
    if (SETTLED.has(ours.status)) return { ok: true, confirmed: false };
    if (WANTED.has(ours.status) && !ours.withdrawRequested) {
      const confirmed = await this.confirm(session.id);
      return { ok: confirmed, confirmed };
    }
    const res = await this.client.post('session/cancel', { session_id: session.id });
    this.deps.log.info(
      { instance: this.instance, session: session.id, ours: ours.status },
      'bank131 session cancelled: payout no longer wanted',
    );
    return { ok: res.kind === 'ok' || res.kind === 'refused', confirmed: false };
  }

  /**
   * True when the bank has our confirmation. A refused confirm counts only when the
   * session shows the bank no longer waits for it (confirmed before, or auto-confirmed).
   */
  private async confirm(sessionId: string): Promise<boolean> {
    const res = await this.client.post('session/confirm', { session_id: sessionId });
    if (res.kind === 'ok') return true;
    if (res.kind !== 'refused') return false;
    this.deps.log.info({ instance: this.instance, session: sessionId, code: res.code }, 'bank131 confirm refused');
    const now = await this.client.post('session/status', { session_id: sessionId });
    const s = now.kind === 'ok' ? now.session : undefined;
    return !!s && s.next_action !== 'confirm' && (s.status === 'in_progress' || s.status === 'accepted');
  }

  private async payoutAnswer(key: string, res: CallResult, sessionId?: string): Promise<SubmitResult> {
    switch (res.kind) {
      case 'ok': {
        if (!res.session) return { status: 'unknown', error: 'accepted without a session in the answer' };
        await this.journal.setSession(key, res.session.id);
        const { view } = viewSession(res.session);
        if (view.status === 'empty' || view.status === 'unknown')
          return { status: 'processing', providerRef: res.session.id };
        return view;
      }
      case 'refused':
        if (res.code === 'idempotency_key_already_exists') await this.journal.markHeld(key);
        if (isInconclusive(res.code))
          return { status: 'unknown', error: `refused with ${res.code}; reconcile by status` };
        return {
          status: 'failed',
          code: failureCode(res.code),
          message: res.description,
          ...(sessionId ? { providerRef: sessionId } : {}),
        };
      case 'not_sent':
        return { status: 'not_sent', error: res.error };
      case 'unknown':
        return { status: 'unknown', error: res.error };
    }
  }

  /** session/create holds no payout yet, so nothing can be paid: a refusal fails, anything else is retried. */
  private createFailed(res: CallResult): SubmitResult {
    if (res.kind === 'refused') return { status: 'failed', code: failureCode(res.code), message: res.description };
    if (res.kind === 'not_sent') return { status: 'not_sent', error: `session/create: ${res.error}` };
    // The journal says nothing was sent, so status() answers not_found and the engine may submit again.
    return { status: 'unknown', error: `session/create: ${describeFailure(res)}` };
  }
}

function describeFailure(res: CallResult): string {
  switch (res.kind) {
    case 'ok':
      return 'answer without a session';
    case 'refused':
      return `${res.code}: ${res.description}`;
    default:
      return res.error;
  }
}
