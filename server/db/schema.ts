// Row types of every table, as Kysely sees them. Times are Unix milliseconds,
// amounts integer kopecks.
import type { Generated } from 'kysely';

export interface MerchantsTable {
  id: string;
  name: string;
  token_hash: string;
  /** JSON of MerchantSettings (server/merchants/settings.ts) */
  settings: string;
  webhook_secret: string | null;
  /** The secret before the last rotation, sealed; still signs until previous_secret_until. */
  previous_webhook_secret: Generated<string | null>;
  previous_secret_until: Generated<number | null>;
  active: number;
  created_at: number;
}

export type PayoutStatusColumn =
  'uploaded' | 'created' | 'processing' | 'success' | 'failed' | 'cancelled' | 'refunded';

export interface PayoutsTable {
  id: Generated<number>;
  order_id: string;
  merchant_id: string;
  order_number: string;
  request_hash: string;
  origin: 'link' | 'direct';
  amount: number;
  currency: string;
  description: string | null;
  type: 'card' | 'sbp' | null;
  channel: string;
  return_url: string | null;
  fail_url: string | null;
  session_timeout_secs: number;
  expires_at: number;
  link_token_hash: string | null;
  link_token: string | null;
  status: PayoutStatusColumn;
  status_reason: string | null;
  destination_type: 'card' | 'sbp' | null;
  provider: string | null;
  provider_ref: string | null;
  card_token: string | null;
  masked_pan: string | null;
  card_bin: string | null;
  card_last4: string | null;
  card_brand: string | null;
  card_fingerprint: string | null;
  phone_token: string | null;
  masked_phone: string | null;
  bank_id: string | null;
  recipient_name: string | null;
  created_at: number;
  updated_at: number;
  /** When the status sync next asks the provider (null: not scheduled). */
  next_sync_at: Generated<number | null>;
  sync_count: Generated<number>;
  withdraw_requested_at: Generated<number | null>;
  /** One of src/contract/failure.ts, for a failed or cancelled payout. */
  failure_code: Generated<string | null>;
  /** The provider's own code for that failure, for operators. */
  provider_code: Generated<string | null>;
  /** When the payout goes to review if it has no final answer by then (null: not scheduled). */
  review_at: Generated<number | null>;
  /** Submissions an operator allowed beyond PAYEE_MAX_ATTEMPTS. */
  extra_attempts: Generated<number>;
  /** Who holds the payout's background work (server/db/leases.ts), and until when. */
  lease_owner: Generated<string | null>;
  lease_until: Generated<number | null>;
  /** Destinations the recipient gave (the one in use is the last). */
  tries: Generated<number>;
  /** One of src/contract/failure.ts: the last destination was refused and the link waits for other details. */
  declined_code: Generated<string | null>;
  declined_provider_code: Generated<string | null>;
  /** The merchant's id for the recipient (createPayout's recipient.id). */
  recipient_ref: Generated<string | null>;
  /** The saved destination (destinations.token) this payout went to. */
  destination_token: Generated<string | null>;
}

export interface PayoutHistoryTable {
  id: Generated<number>;
  payout_id: number;
  from_status: PayoutStatusColumn | null;
  to_status: PayoutStatusColumn;
  reason: string | null;
  at: number;
}

export interface VaultItemsTable {
  token: string;
  kind: 'pan' | 'phone';
  sealed: string;
  key_id: string;
  fingerprint: string;
  created_at: number;
}

export type AttemptState = 'pending' | 'accepted' | 'rejected';

export interface PayoutAttemptsTable {
  id: Generated<number>;
  payout_id: number;
  attempt_no: number;
  idempotency_key: string;
  provider: string;
  /** The payout's `tries` when this attempt was made: which destination it sent. */
  try_no: Generated<number>;
  state: AttemptState;
  provider_status: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

export type WebhookState = 'pending' | 'delivered' | 'failed' | 'skipped';

export interface WebhookEventsTable {
  id: Generated<number>;
  event_id: string;
  merchant_id: string;
  payout_id: number;
  status: PayoutStatusColumn;
  payload: string;
  state: WebhookState;
  attempts: Generated<number>;
  next_attempt_at: number;
  last_http_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
  lease_owner: Generated<string | null>;
  lease_until: Generated<number | null>;
  /** What caused the event (server/request-id.ts); sent as X-Request-Id. */
  request_id: string | null;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  event_row_id: number;
  attempt_no: number;
  url: string;
  at: number;
  http_status: number | null;
  error: string | null;
  duration_ms: number;
}

/** Every answer a provider gave about a payout; a repeat of the previous one raises `repeats`. */
export interface ProviderAnswersTable {
  id: Generated<number>;
  payout_id: number;
  attempt_id: number | null;
  source: 'submit' | 'status' | 'callback';
  status: string;
  code: string | null;
  provider_code: string | null;
  amount: number | null;
  provider_ref: string | null;
  error: string | null;
  repeats: Generated<number>;
  first_at: number;
  last_at: number;
}

export type ReviewState = 'open' | 'resolved';

export interface PayoutReviewsTable {
  id: Generated<number>;
  payout_id: number;
  /** server/engine/review.ts REVIEW_REASONS */
  reason: string;
  /** JSON */
  detail: string;
  state: ReviewState;
  opened_at: number;
  resolved_at: number | null;
  resolved_by: string | null;
  decision: string | null;
  note: string | null;
}

/** Bank 131: what we sent per attempt (server/providers/bank131/journal.ts). */
export interface Bank131AttemptsTable {
  instance: string;
  idempotency_key: string;
  order_id: string;
  session_id: string | null;
  /** 1 once the payout request (init or start) may have reached the bank. */
  sent: Generated<number>;
  /** 1 once the bank said it has this idempotency key: never sent again. */
  held: Generated<number>;
  at: number;
}

/** The sandbox provider's record of every submit() call. */
export interface SandboxSubmissionsTable {
  id: Generated<number>;
  instance: string;
  idempotency_key: string;
  order_id: string;
  target: string;
  at: number;
}

/** What the sandbox provider accepted. */
export interface SandboxReceivedTable {
  instance: string;
  idempotency_key: string;
  order_id: string;
  ref: string;
  /** JSON of server/providers/sandbox/outcomes.ts Behaviour */
  behaviour: string;
  amount: number;
  target: string;
  created_at: number;
}

/** A rate-limit token bucket (server/limits/db-store.ts). */
export interface LimitBucketsTable {
  key: string;
  tokens: number;
  at: number;
  taken: number;
}

/** A card saved for a merchant: its vault token, named by the merchant's destination token. */
export interface DestinationsTable {
  token: string;
  merchant_id: string;
  recipient_ref: string | null;
  card_token: string;
  card_fingerprint: string;
  masked_pan: string;
  card_bin: string;
  card_last4: string;
  card_brand: string | null;
  created_at: number;
  last_used_at: number;
  revoked_at: number | null;
}

/** The P2P gateway adapter's record of each order it sent. */
export interface P2pOrdersTable {
  instance: string;
  order_id: string;
  internal_id: string | null;
  reject_url: string | null;
  sent_at: number;
  asked_at: number | null;
}

/** Named API tokens; a merchant may have several live ones, so a rotation has overlap. */
export interface ApiTokensTable {
  id: string;
  merchant_id: string;
  name: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export type PortalRole = 'owner' | 'admin' | 'viewer';

export interface PortalUsersTable {
  id: string;
  merchant_id: string | null;
  email: string;
  /** scrypt, server/portal/password.ts */
  password_hash: string;
  role: PortalRole;
  created_at: number;
}

export interface PortalSessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
}

export interface PortalLoginFailuresTable {
  email: string;
  failures: number;
  blocked_until: number;
}

export interface PortalAuditTable {
  id: Generated<number>;
  merchant_id: string;
  user_id: string;
  email: string;
  action: string;
  /** JSON */
  detail: string;
  at: number;
}

export interface PayoutBatchesTable {
  id: string;
  merchant_id: string;
  user_id: string;
  file_name: string;
  total: number;
  created_at: number;
  finished_at: number | null;
}

export interface PayoutBatchRowsTable {
  batch_id: string;
  row_no: number;
  order_number: string;
  /** JSON of the row's createPayout body */
  request: string;
  order_id: string | null;
  error: string | null;
}

export interface Database {
  merchants: MerchantsTable;
  payouts: PayoutsTable;
  payout_history: PayoutHistoryTable;
  vault_items: VaultItemsTable;
  destinations: DestinationsTable;
  payout_attempts: PayoutAttemptsTable;
  webhook_events: WebhookEventsTable;
  webhook_attempts: WebhookAttemptsTable;
  provider_answers: ProviderAnswersTable;
  payout_reviews: PayoutReviewsTable;
  bank131_attempts: Bank131AttemptsTable;
  sandbox_submissions: SandboxSubmissionsTable;
  sandbox_received: SandboxReceivedTable;
  limit_buckets: LimitBucketsTable;
  p2p_orders: P2pOrdersTable;
  api_tokens: ApiTokensTable;
  portal_users: PortalUsersTable;
  portal_sessions: PortalSessionsTable;
  portal_login_failures: PortalLoginFailuresTable;
  portal_audit: PortalAuditTable;
  payout_batches: PayoutBatchesTable;
  payout_batch_rows: PayoutBatchRowsTable;
}
