// What the server tells the recipient page: the data it is rendered from (and hydrated
// with), and the view the payout is in. The status endpoint answers the same views.
import type { Locale, Messages } from './i18n.ts';
import type { DetailField, DetailError, FieldErrors, PayoutMethod } from './recipient.ts';
import type { EmbedData } from './embed.ts';

/** Where the recipient comes back to the merchant, with orderNumber and status added. */
export interface Leave {
  url: string;
  /** The merchant's name, for "Taking you back to …". */
  to: string;
}

export type DoneOutcome = 'success' | 'failed' | 'processing' | 'cancelled';

export type PageView =
  /**
   * Waiting for details; the server enforces expiresAt, the page only shows it. `declined`:
   * the provider refused the details given before, in plain words (another try).
   */
  | { kind: 'form'; methods: PayoutMethod[]; expiresAt: number; declined?: string; saved?: SavedCard }
  /** Details accepted; the payout is on its way. */
  | { kind: 'progress' }
  /** Finished, or still processing when the wait ended: time to go back. */
  /** `note`: why a payout failed, when the reason is known, in the page's language. */
  | { kind: 'done'; outcome: DoneOutcome; target: string | null; leave: Leave | null; note?: string }
  | { kind: 'expired'; leave: Leave | null }
  | { kind: 'notFound' };

/**
 * The card this recipient was paid to before (same merchant, same recipient id), offered
 * for one tap: its destination token is posted as `saved`; the labels come written.
 */
export interface SavedCard {
  token: string;
  /** "Receive 1 500,00 ₽ · card •• 1111" */
  label: string;
  /** "or to another card" */
  other: string;
}

export interface PageData {
  locale: Locale;
  /** The texts this page can show (server/page/texts.ts); a later view's come with it (PageReply.t). */
  t: Messages;
  merchant: { name: string; logoUrl: string | null };
  amount: string;
  description: string | null;
  /** The page's own URL, where the form is posted (the language switcher adds ?lang= to its path). */
  self: string;
  /** Where the page polls for its current view. */
  statusUrl: string;
  /** The enhancements the page loads after its first render (masks, checks, bank search). */
  enhanceUrl: string;
  /** The SBP bank list with names in both languages, for the picker's search. */
  banksUrl: string;
  /** Server time at render, so the countdown does not depend on the device's clock. */
  now: number;
  view: PageView;
  /** After a submit without JavaScript that the server refused: what was entered (never the card number) and why. */
  form?: FormState;
  /** For a page in a merchant's frame or an app's WebView (src/embed/bridge.ts). */
  embed?: EmbedData;
}

export interface FormState {
  values: Partial<Record<Exclude<DetailField, 'pan'>, string>>;
  errors: FieldErrors;
  /** A problem with the form as a whole. */
  error?: 'method_not_allowed' | 'network';
}

/** The JSON the page's endpoints answer. */
export type PageReply = {
  view: PageView;
  now: number;
  errors?: FieldErrors;
  error?: FormState['error'];
  /** A hand-off method: the provider's page to go to. */
  redirect?: string;
  /** The texts of the view, when it is not the form. */
  t?: Partial<Messages>;
};

export type { DetailField, DetailError, FieldErrors };
