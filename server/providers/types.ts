// The contract every payout provider adapter fulfils. The engine speaks only this;
// each adapter (one folder under server/providers/) speaks its provider's protocol.
// Amounts are integer kopecks on both sides of this interface.
import type { PayoutType } from '../../src/contract/status.ts';
import type { RecipientField } from '../../src/contract/recipient.ts';
import type { Logger } from '../log.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/index.ts';

/** What the engine and the page ask of an instance before routing a payout to it (RUB only). */
export interface Capabilities {
  methods: readonly PayoutType[];
  /** Inclusive limits in kopecks. */
  minAmount: number;
  maxAmount: number;
  /** Recipient fields needed beyond the card number or phone, per method. */
  requiredFields: Readonly<Partial<Record<PayoutType, readonly RecipientField[]>>>;
  /** The provider collects the recipient's details on its own page; ours hands the recipient over. */
  handoff: boolean;
}

/** What the engine hands an adapter at submission; the PAN/phone come out of the vault just for this call. */
export type Recipient =
  | { type: 'card'; pan: string; fullName?: string }
  | { type: 'sbp'; phone: string; bankId: string; bankName?: string; fullName?: string };

export interface SubmitRequest {
  /** Our public payout id (orderId); unique, suitable as the provider's order id. */
  orderId: string;
  /** Stable for this attempt; sent where the provider supports idempotency. */
  idempotencyKey: string;
  amount: number;
  currency: 'RUB';
  description: string | null;
  /** Absent for hand-off providers, which collect details themselves. */
  recipient?: Recipient;
  /** Our callback endpoint for this provider instance. */
  callbackUrl: string;
  /** Hand-off: where the provider's page sends the recipient back to (our page). */
  returnUrl?: string;
}

/** What every answer about a payout may carry besides its status. */
interface Reported {
  providerRef?: string;
  /** The amount the provider echoed, in kopecks: the engine compares it with ours. */
  amount?: number;
}

/** Where the provider stands on one payout, in our terms. */
export type ProviderOutcome =
  | ({ status: 'processing' } & Reported)
  | ({ status: 'success' } & Reported)
  /**
   * A definite refusal or a final failed status for the payout we submitted. `code` is one
   * of src/contract/failure.ts; `providerCode` the provider's own, for operators.
   */
  | ({ status: 'failed'; code: string; providerCode?: string; message?: string } & Reported)
  | ({ status: 'refunded' } & Reported)
  /** Provider cancelled it (e.g. our cancel was accepted). */
  | ({ status: 'cancelled'; code?: string; providerCode?: string } & Reported);

export type SubmitResult =
  | (ProviderOutcome & { redirectUrl?: string })
  /** Timeout, dropped connection, 5xx, 429, an answer we cannot read: the provider may or may not have it. Reconcile by status(). */
  | { status: 'unknown'; error: string }
  /** The request surely never reached the provider (connection refused, name not resolved): nothing to reconcile, a new attempt may follow later. */
  | { status: 'not_sent'; error: string };

export type StatusResult =
  | ProviderOutcome
  /** The provider confirms it never received this payout: safe to submit again. */
  | { status: 'not_found' }
  | { status: 'unknown'; error: string }
  /**
   * The provider does not have this attempt's payout yet and takes the very same attempt
   * again without a second payout (it dedupes by the attempt's idempotency key, or the
   * attempt is bound to something that holds one payout at most): submit it again.
   */
  | { status: 'resend'; reason: string };

/** What asking the provider to withdraw a payout achieved. */
export type CancelResult =
  | { ok: true }
  /** refused: the provider said no (it may have paid it already); unknown: no answer we can read. */
  | { ok: false; reason: 'refused' | 'unknown'; message: string };

/** Identifies a payout at the provider. */
export interface PayoutRef {
  orderId: string;
  idempotencyKey: string;
  providerRef?: string | null;
  /** We asked the provider to withdraw it (its session ended): whatever waits for our word is cancelled, never confirmed. */
  withdrawRequested?: boolean;
}

export interface CallbackRequest {
  headers: Headers;
  /** Exact bytes as received: signatures are checked over these before parsing. */
  rawBody: string;
  /** Query parameters and the path tail after /callbacks/<instance>/ (some providers put ids in the URL). */
  query: URLSearchParams;
  pathTail: string;
}

export type CallbackResult =
  /** Signature or shape wrong: answer with this status and change nothing. */
  | { accepted: false; httpStatus: number; reason: string }
  | {
      accepted: true;
      /** Status changes to apply (already confirmed where the provider's callbacks can't be trusted alone). */
      updates: Array<{ ref: Partial<PayoutRef>; outcome: ProviderOutcome; eventKey?: string }>;
      /** What to answer the provider. */
      response?: { status: number; body?: string; contentType?: string };
    };

/** Read access the engine gives adapters that must know our side (e.g. confirm or cancel). */
export interface AdapterHost {
  /** Our status for a payout the provider names, or undefined when unknown to us. */
  payoutStatus(
    ref: Partial<PayoutRef>,
  ): Promise<{ status: string; orderId: string; withdrawRequested?: boolean } | undefined>;
}

export interface ProviderAdapter {
  readonly kind: string;
  readonly instance: string;
  readonly capabilities: Capabilities;
  submit(req: SubmitRequest): Promise<SubmitResult>;
  status(ref: PayoutRef): Promise<StatusResult>;
  /** Ask the provider to withdraw a payout we no longer want; its result still comes by callback or status. */
  cancel?(ref: PayoutRef): Promise<CancelResult>;
  handleCallback?(req: CallbackRequest, host: AdapterHost): Promise<CallbackResult>;
  /** Releases what the adapter holds open (files, timers); called when the service stops. */
  close?(): void;
}

export interface AdapterDeps {
  instance: string;
  /** The instance's validated options from configuration (credentials, base URL, delays...). */
  options: Record<string, unknown>;
  fetch: typeof fetch;
  log: Logger;
  clock: Clock;
  publicUrl: string;
  dataDir: string;
  /** The service's database, for an adapter's own records (read on first use: opened after the adapters are built). */
  db: Db;
}

export interface AdapterFactory {
  kind: string;
  create(deps: AdapterDeps): ProviderAdapter;
}
