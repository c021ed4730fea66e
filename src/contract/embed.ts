// What the embedded form and its host (a parent page or a native app) say to each other.
// Every message is a plain object tagged with `source`; native bridges get it as a JSON string.
// Nothing here may carry a card number, a phone number or the payout link's token.

/** Tag on every message the form sends. */
export const FORM_SOURCE = 'payee';
/** Tag on every message a host page sends to the form. */
export const HOST_SOURCE = 'payee-host';
/** Name of the WKWebView script message handler an iOS app registers. */
export const IOS_HANDLER = 'payee';
/** Name of the `@JavascriptInterface` object an Android app adds. */
export const ANDROID_INTERFACE = 'PayeeAndroid';

export type FormErrorCode =
  | 'invalid_details'
  | 'network'
  | 'server'
  /** Said by the loader: the frame loaded but the browser did not show the form (the site is not an allowed frame ancestor). */
  | 'frame_refused'
  /** Said by the loader: the form did not load (Payee unreachable, or no answer in time). */
  | 'load_failed';

/** The loader's `theme` option: how the form looks inside the merchant's page. */
export interface FrameTheme {
  /** The page's background behind the form: a colour (#rrggbb) or "transparent". */
  background?: string;
  /** Buttons and focus rings (#rrggbb). */
  accent?: string;
  /** Text colour (#rrggbb). */
  text?: string;
  /** Corner radius of the form's boxes, in CSS pixels (0-24). */
  radius?: number;
  /** Font families, e.g. "Inter, sans-serif" (letters, digits, spaces, commas and hyphens). */
  font?: string;
}

/** The page's query parameter for each theme option (the loader sets them; server/page/theme.ts checks them). */
export const THEME_PARAMS: Record<keyof FrameTheme, string> = {
  background: 'theme-background',
  accent: 'theme-accent',
  text: 'theme-text',
  radius: 'theme-radius',
  font: 'theme-font',
};

/** Events from the form, in the order they can happen. */
export type FormEvent =
  /** The form's script is running (each page loaded into the frame says it). */
  | { type: 'ready'; orderNumber: string }
  /** The form's full height in CSS pixels changed; size the frame to it. */
  | { type: 'resize'; height: number }
  /** The recipient's details were accepted; the payout is being made. */
  | { type: 'submitted'; orderNumber: string; method: 'card' | 'sbp' }
  /** The payout reached its outcome and it is time to leave the form for `redirectUrl`. */
  | { type: 'completed'; orderNumber: string; status: string; redirectUrl: string }
  /** The link expired before details were given; `redirectUrl` is the merchant's failUrl, if any. */
  | { type: 'expired'; orderNumber: string; redirectUrl: string | null }
  /** Something went wrong that the recipient sees on the form. */
  | { type: 'error'; code: FormErrorCode }
  /** The recipient pressed Escape inside the form (a modal host closes itself). */
  | { type: 'escape' };

export type FormMessage = FormEvent & { source: typeof FORM_SOURCE; version: 1 };

/** The one thing a host may say: "I am listening" (the form answers with `resize` and leaves the final navigation to the host). */
export type HostMessage = { source: typeof HOST_SOURCE; type: 'hello' };

/** What the server puts into the page's data for embedding. */
export interface EmbedData {
  /** The merchant's allowed frame ancestors (the same list as the page's CSP frame-ancestors). */
  frameAncestors: string[];
  orderNumber: string;
  /** The server saw a framed request (?embed=1 or Sec-Fetch-Dest: iframe) and rendered the compact layout. */
  compact: boolean;
  /** The payout already has the recipient's details of this method (they may have come by a plain form post). */
  submitted: 'card' | 'sbp' | null;
}
