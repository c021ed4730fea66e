// Which of the page's texts the browser gets with which answer. The form's page carries only
// what the form can show (its labels, hints and errors); the texts of the views after it
// come with those views, in the status answers the page polls. That keeps the first
// response small (its budget is 14 KB brotli), whatever the language.
import type { Messages, MessageKey } from '../../src/contract/i18n.ts';
import type { PageView } from '../../src/contract/page.ts';

/** Shown by a view after the form only (src/widget/status-views.tsx). */
const LATER: Record<Exclude<PageView['kind'], 'form'>, readonly MessageKey[]> = {
  progress: ['progress', 'progressNote', 'checkStatus'],
  done: [
    'success',
    'successNote',
    'failed',
    'failedNote',
    'processing',
    'processingNote',
    'cancelled',
    'cancelledNote',
    'redirect',
    'goNow',
  ],
  expired: ['expired', 'expiredNote', 'redirect', 'goNow'],
  notFound: ['notFound', 'notFoundNote'],
};
const ALL_LATER = new Set(Object.values(LATER).flat());
/** Only the server uses these (it writes the payout's destination and the saved card into the view, and the language switcher). */
const SERVER_ONLY: ReadonlySet<MessageKey> = new Set(['toCard', 'toPhone', 'otherCard', 'language']);

/** Made once per language, for the form and for the views after it; frozen, as every answer shares them. */
const made = new WeakMap<Messages, { form: Partial<Messages>; later: Partial<Messages> }>();

/** The texts a page in this view is rendered and hydrated with. */
export function pageTexts(t: Messages, view: PageView): Partial<Messages> {
  let texts = made.get(t);
  if (!texts) {
    const pick = (form: boolean) => {
      const skip = (key: MessageKey) => SERVER_ONLY.has(key) || (form && ALL_LATER.has(key));
      return Object.freeze(Object.fromEntries(Object.entries(t).filter(([key]) => !skip(key as MessageKey))));
    };
    texts = { form: pick(true), later: pick(false) };
    made.set(t, texts);
  }
  return view.kind === 'form' ? texts.form : texts.later;
}

/** The texts a status answer brings along for its view (none for the form: its page has them). */
export function viewTexts(t: Messages, view: PageView): Partial<Messages> | undefined {
  if (view.kind === 'form') return undefined;
  return Object.fromEntries(LATER[view.kind].map((key) => [key, t[key]]));
}
