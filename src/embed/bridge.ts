// The form's side of embedding. When the page runs inside a merchant's iframe or a mobile
// WebView, it tells the host what is happening (ready, resize, submitted, completed, expired,
// error): by postMessage to the parent with an exact target origin (one of the merchant's
// allowed frame ancestors, never "*"), or through the native bridge the app provides.
// Messages are built field by field, so nothing else (no card number, phone or link token)
// can slip into them. Small on purpose: it ships in the page's first response.
import {
  ANDROID_INTERFACE,
  FORM_SOURCE,
  HOST_SOURCE,
  IOS_HANDLER,
  type EmbedData,
  type FormErrorCode,
  type FormEvent,
  type FormMessage,
} from '../contract/embed.ts';

export type { EmbedData, FormErrorCode, FormEvent } from '../contract/embed.ts';

export interface Host {
  /** `frame`: inside a parent page (which, or a target="_top" link, does the final navigation); `native`: top level in an app's WebView. */
  readonly mode: 'frame' | 'native';
  /** A script on the parent page said hello, so it performs the final navigation when told `completed`/`expired`. */
  readonly parentNavigates: boolean;
  /** Sends an event; `completed` and `expired` are sent at most once. */
  emit(event: FormEvent): void;
}

export interface HostOptions {
  /** The merchant's allowed frame ancestors, as the server put them into the page's data. */
  allowedOrigins: readonly string[];
  orderNumber: string;
  /** The element whose bottom is the form's bottom (default: body). Give it no margin and no viewport-based min-height. */
  root?: HTMLElement;
  win?: Window;
}

type Native = { postMessage(json: string): void } | undefined;

/** The fields each event may carry: nothing else is copied into a message. */
const FIELDS: Record<FormEvent['type'], string[]> = {
  ready: ['orderNumber'],
  resize: ['height'],
  submitted: ['orderNumber', 'method'],
  completed: ['orderNumber', 'status', 'redirectUrl'],
  expired: ['orderNumber', 'redirectUrl'],
  error: ['code'],
  escape: [],
};

export function toMessage(e: FormEvent): FormMessage {
  const m: Record<string, unknown> = { source: FORM_SOURCE, version: 1, type: e.type };
  for (const f of FIELDS[e.type]) m[f] = (e as Record<string, unknown>)[f];
  return m as FormMessage;
}

/** Connects to the page's host, or answers null when the page is neither framed nor in an app's WebView. */
export function connectHost({ allowedOrigins: allowed, orderNumber, root, win = window }: HostOptions): Host | null {
  const framed = win.parent !== win;
  const w = win as unknown as {
    ReactNativeWebView?: Native;
    webkit?: { messageHandlers?: Record<string, Native> };
  } & Record<string, Native>;
  // Top level in a WebView: React Native, WKWebView or Android, whichever the app provides.
  const native = framed
    ? undefined
    : [w.ReactNativeWebView, w.webkit?.messageHandlers?.[IOS_HANDLER], w[ANDROID_INTERFACE]].find(
        (t) => typeof t?.postMessage == 'function',
      );
  if (!framed && !native) return null;

  // Where the parent is: the browser says so (ancestorOrigins), or the referrer does; otherwise
  // each allowed origin is addressed in turn, exactly, and the browser delivers only to the true one.
  let seen: string | undefined = win.location.ancestorOrigins?.[0];
  try {
    seen ??= new URL(win.document.referrer).origin;
  } catch {
    // No referrer: every allowed origin is tried.
  }
  let targets = seen && allowed.includes(seen) ? [seen] : [...allowed];
  let lastHeight = -1;
  const sent = new Set<string>();

  const host = {
    mode: framed ? 'frame' : 'native',
    parentNavigates: false as boolean,
    emit(event: FormEvent) {
      if (event.type === 'completed' || event.type === 'expired') {
        if (sent.has(event.type)) return;
        sent.add(event.type);
      }
      const message = toMessage(event);
      if (native) native.postMessage(JSON.stringify(message));
      else for (const origin of targets) win.parent.postMessage(message, origin);
    },
  } satisfies Host & { parentNavigates: boolean };

  const body = root ?? win.document.body;
  const reportHeight = (force?: boolean) => {
    // The bottom of the form in the document (the page's body has no margin), so the frame needs no scrollbar of its own.
    const height = Math.ceil(body.getBoundingClientRect().bottom + win.scrollY);
    if (height !== lastHeight || force) host.emit({ type: 'resize', height: (lastHeight = height) });
  };

  if (framed) {
    win.addEventListener('message', (e) => {
      // Only the parent, only from an allowed origin, only the one known message.
      if (
        e.source !== win.parent ||
        !allowed.includes(e.origin) ||
        e.data?.source !== HOST_SOURCE ||
        e.data.type !== 'hello'
      )
        return;
      targets = [e.origin];
      host.parentNavigates = true;
      reportHeight(true);
    });
    win.addEventListener('keydown', (e) => {
      // Widgets that use Escape themselves (a listbox closing) call preventDefault.
      if (e.key === 'Escape' && !e.defaultPrevented) host.emit({ type: 'escape' });
    });
  }
  host.emit({ type: 'ready', orderNumber });
  new ResizeObserver(() => reportHeight()).observe(body);
  return host;
}

// The page's one connection, for the widget's components.
let current: Host | null = null;
let orderNumber = '';

/** Called once by the widget after hydration. Marks a framed page `embedded` (compact layout) even when the server could not tell. */
export function startEmbedding(data: EmbedData, root?: HTMLElement): Host | null {
  orderNumber = data.orderNumber;
  current = connectHost({ allowedOrigins: data.frameAncestors, orderNumber, root });
  if (current?.mode === 'frame') document.documentElement.classList.add('embedded');
  // Details sent by a plain form post (before the script was ready) are announced by the page that follows.
  if (data.submitted) reportSubmitted(data.submitted);
  return current;
}

/** The recipient's details were accepted (a page loaded after that says it again). */
export function reportSubmitted(method: 'card' | 'sbp'): void {
  current?.emit({ type: 'submitted', orderNumber, method });
}

/** The recipient sees an error on the form. */
export function reportError(code: FormErrorCode): void {
  current?.emit({ type: 'error', code });
}

/** Where the page goes when it is done: after the outcome (`completed`) or an expired link. */
export type Exit = { kind: 'completed'; status: string; url: string } | { kind: 'expired'; url: string | null };

const exitEvent = (exit: Exit): FormEvent =>
  exit.kind === 'completed'
    ? { type: 'completed', orderNumber, status: exit.status, redirectUrl: exit.url }
    : { type: 'expired', orderNumber, redirectUrl: exit.url };

/**
 * The page is done and would now load the exit's URL. Tells the host, and answers whether
 * the page should still navigate itself: not in a frame, where the parent (or the recipient,
 * with a target="_top" link) takes the whole window there.
 */
export function leaving(exit: Exit): boolean {
  current?.emit(exitEvent(exit));
  return current?.mode !== 'frame';
}

/** The click on the "go now" link: in a frame it opens in the top window, or only tells the parent when the parent navigates. */
export function onLeaveClick(e: Event, exit: Exit): void {
  if (!current) return;
  current.emit(exitEvent(exit));
  if (current.mode !== 'frame') return;
  if (current.parentNavigates) e.preventDefault();
  else (e.currentTarget as HTMLAnchorElement).target = '_top';
}
