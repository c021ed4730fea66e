// The script merchants include with one <script> tag (served as /embed/v1.js). It puts the
// payout form into an element or an accessible modal, sizes the frame to the form, passes
// the form's events to the merchant's callbacks, and performs the final navigation.
// No dependencies; built as a classic script exposing `window.Payee`.
import {
  FORM_SOURCE,
  HOST_SOURCE,
  THEME_PARAMS,
  type FormMessage,
  type FrameTheme,
  type HostMessage,
} from '../contract/embed.ts';

type Callback = (event: FormMessage) => void;

export interface EmbedOptions {
  /** The payoutUrl from createPayout. */
  url: string;
  /** Language of the form: ru, en, uz, kk, ky or tg (default: the recipient's browser). */
  lang?: string;
  /** Colours, corner radius and font of the form, to match the page around it. */
  theme?: FrameTheme;
  /** Accessible name of the frame and the modal. */
  title?: string;
  /** Accessible name of the modal's close button. */
  closeLabel?: string;
  onReady?: Callback;
  onResize?: Callback;
  onSubmitted?: Callback;
  /** Given: called instead of navigating to event.redirectUrl. */
  onCompleted?: Callback;
  /** Given: called instead of navigating to event.redirectUrl. */
  onExpired?: Callback;
  onError?: Callback;
  /** Every event, after its own callback. */
  onEvent?: Callback;
  /** The modal was closed (button, Escape). */
  onClose?: () => void;
}

export interface EmbedHandle {
  iframe: HTMLIFrameElement;
  /** Removes the form (and the modal). */
  close(): void;
}

type Handlers = Record<string, Callback | undefined>;

/** A loaded frame that has not said `ready` this long after its load shows something else than the form. */
const READY_WITHIN_MS = 5000;
/** A frame that has not loaded at all this long never will. */
const LOAD_WITHIN_MS = 20000;

/** A frame for the form plus the listener for its messages; returns a function that stops listening. */
function createFrame(options: EmbedOptions, onEscape?: () => void): { iframe: HTMLIFrameElement; stop: () => void } {
  const url = new URL(options.url, location.href);
  if (!/^https?:$/.test(url.protocol)) throw new Error('Payee: url must be the http(s) payoutUrl');
  url.searchParams.set('embed', '1');
  if (options.lang) url.searchParams.set('lang', options.lang);
  for (const [key, param] of Object.entries(THEME_PARAMS)) {
    const value = options.theme?.[key as keyof FrameTheme];
    if (value !== undefined) url.searchParams.set(param, String(value));
  }
  const origin = url.origin;

  const iframe = document.createElement('iframe');
  iframe.title = options.title || 'Payout details';
  // Tells the form which page it is on, even when this page sends no referrer.
  iframe.referrerPolicy = 'origin';
  Object.assign(iframe.style, { display: 'block', width: '100%', height: '420px', border: '0' });
  iframe.src = url.href;

  const handlers = options as unknown as Handlers;
  // The form says `ready` from every page it shows. A frame the browser refused to show (the
  // merchant's site is not among the allowed frame ancestors), or an error page, loads but
  // never says it: then whether Payee's server answers at all tells a refusal from a failure.
  let ready = false;
  let failed = false;
  const fail = (code: 'frame_refused' | 'load_failed') => {
    if (ready || failed) return;
    failed = true;
    const m: FormMessage = { source: FORM_SOURCE, version: 1, type: 'error', code };
    options.onError?.(m);
    options.onEvent?.(m);
  };
  const loadTimer = setTimeout(fail, LOAD_WITHIN_MS, 'load_failed');
  iframe.addEventListener('load', () => {
    clearTimeout(loadTimer);
    setTimeout(() => {
      if (!ready)
        fetch(url.href, { mode: 'no-cors', credentials: 'omit' }).then(
          () => fail('frame_refused'),
          () => fail('load_failed'),
        );
    }, READY_WITHIN_MS);
  });
  const onMessage = (e: MessageEvent) => {
    // Only the form's own frame, from the form's own origin.
    if (e.source !== iframe.contentWindow || e.origin !== origin) return;
    const m = e.data as FormMessage;
    if (!m || m.source !== FORM_SOURCE) return;
    if (m.type === 'ready') ready = true;
    const own = handlers['on' + m.type[0]!.toUpperCase() + m.type.slice(1)];
    // Tells the form this page performs the final navigation.
    if (m.type === 'ready')
      iframe.contentWindow!.postMessage({ source: HOST_SOURCE, type: 'hello' } satisfies HostMessage, origin);
    if (m.type === 'resize') iframe.style.height = `${m.height}px`;
    if (m.type === 'escape') onEscape?.();
    own?.(m);
    options.onEvent?.(m);
    if ((m.type === 'completed' || m.type === 'expired') && !own && m.redirectUrl && /^https?:/i.test(m.redirectUrl)) {
      location.assign(m.redirectUrl);
    }
  };
  addEventListener('message', onMessage);
  return {
    iframe,
    stop: () => {
      ready = true; // closed: nothing more to report
      clearTimeout(loadTimer);
      removeEventListener('message', onMessage);
    },
  };
}

/** Puts the form into an element (or the element a selector names). */
export function mount(target: string | Element, options: EmbedOptions): EmbedHandle {
  const el = typeof target === 'string' ? document.querySelector(target) : target;
  if (!el) throw new Error(`Payee: no element ${String(target)}`);
  const { iframe, stop } = createFrame(options);
  el.append(iframe);
  return {
    iframe,
    close() {
      stop();
      iframe.remove();
    },
  };
}

/** Opens the form in a modal dialog: focus stays inside, Escape closes it, focus returns where it was. */
export function open(options: EmbedOptions): EmbedHandle {
  const previous = document.activeElement as HTMLElement | null;
  const dialog = document.createElement('dialog');
  const close = document.createElement('button');
  const first = document.createElement('span');
  const last = document.createElement('span');
  let closed = false;
  const finish = () => {
    if (closed) return;
    closed = true;
    stop();
    dialog.close();
    dialog.remove();
    previous?.focus();
    options.onClose?.();
  };
  const { iframe, stop } = createFrame(options, finish);

  dialog.setAttribute('aria-label', iframe.title);
  // Anchored at the top, not centred: when the form reports its height the dialog grows
  // downwards, and the close button stays under the finger that is about to tap it.
  Object.assign(dialog.style, {
    padding: '0',
    border: '0',
    borderRadius: '12px',
    margin: 'min(8vh, 48px) auto auto',
    width: 'min(480px, calc(100vw - 16px))',
    maxWidth: '100vw',
    maxHeight: 'calc(100vh - 2 * min(8vh, 48px))',
    overflow: 'auto',
    background: '#fff',
  });
  close.type = 'button';
  close.textContent = '×';
  close.setAttribute('aria-label', options.closeLabel || 'Close');
  Object.assign(close.style, {
    float: 'right',
    width: '44px',
    height: '44px',
    font: '28px/1 system-ui,sans-serif',
    border: '0',
    background: 'none',
    cursor: 'pointer',
  });
  close.onclick = finish;
  // Focus trap: Tab past the form lands on `last`, which sends focus to the close button; Shift+Tab before it, back into the form.
  first.tabIndex = last.tabIndex = 0;
  first.onfocus = () => iframe.focus();
  last.onfocus = () => close.focus();
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    finish();
  });

  dialog.append(first, close, iframe, last);
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
  return { iframe, close: finish };
}

// One-tag use: <script src=".../embed/v1.js" data-payout-url="…" data-target="#payout"></script>
const script = document.currentScript as HTMLScriptElement | null;
const auto = script?.dataset;
if (auto?.payoutUrl) {
  const go = () => {
    let target: Element | null = auto.target ? document.querySelector(auto.target) : null;
    if (!target) script!.after((target = document.createElement('div')));
    mount(target, { url: auto.payoutUrl!, lang: auto.lang, title: auto.title });
  };
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', go);
  else go();
}
