// The recipient page at /pay/:token.
//   GET  /pay/:token         the page in the payout's current view (form, progress, outcome, expired)
//   POST /pay/:token         the details: a plain form post (answered by a redirect to the GET,
//                            or the form again with its errors) or JSON from the widget; or
//                            `saved`, the token of the saved card the page offered
//   GET  /pay/:token/status  the current view as JSON, for the page to poll
// Every answer carries the page's security headers (pageSecurity); the token is never logged.
import { Hono } from 'hono';
import { bodyLimit } from '../http/body-limit.ts';
import type { Services } from '../services.ts';
import { awaitsDetails, methodsFor, submitRecipientDetails, submitSavedCard } from '../engine/details.ts';
import { startHandoff } from '../engine/handoff.ts';
import { isLocale, pickLocale, type Locale, type Messages } from '../../src/contract/i18n.ts';
import { MESSAGES } from '../../src/contract/messages.ts';
import { pageTexts, viewTexts } from './texts.ts';
import { languagesHtml } from './languages.tsx';
import { formatAmount } from '../../src/contract/money.ts';
import type { FormState, PageData, PageReply, PageView } from '../../src/contract/page.ts';
import { parseDetails, recipientSchema } from '../../src/contract/recipient.ts';
import { findBank } from '../../src/contract/banks.ts';
import { BoundedMap, retryAfterSeconds } from '../limits/store.ts';
import { clientAddress } from '../limits/client.ts';
import { parseJson } from '../http/json.ts';
import { encode, pickEncoding, type Encoding } from '../http/compress.ts';
import { bankOptionsHtml, banksUrl } from './banks.tsx';
import { embedData, isEmbedRequest } from '../embed/frame.ts';
import { frameTheme } from './theme.ts';
import { renderOnward, renderPage } from './render.tsx';
import { PageCache, type PageRender } from './page-cache.ts';
import { pageAssets } from './assets.ts';
import { merchantName, viewOf } from './view.ts';
import {
  findPayout,
  loaded,
  loadPayout,
  pageRequest,
  pageSecurity,
  type PageContext,
  type PageEnv,
  type PageRequest,
} from './middleware.ts';

export const PAGE_BODY_LIMIT = 16 * 1024;

/** The language each Accept-Language value picks: browsers send a few values, every answer reads one. */
const localeByHeader = new BoundedMap<string, Locale>(1000);

function localeOf(r: Pick<PageRequest, 'query' | 'header'>): { locale: Locale; chosen: boolean } {
  const lang = r.query('lang');
  if (isLocale(lang)) return { locale: lang, chosen: true };
  const header = r.header('accept-language') ?? '';
  let locale = localeByHeader.get(header);
  if (!locale) localeByHeader.set(header, (locale = pickLocale(undefined, header)));
  return { locale, chosen: false };
}

/** The payout's view as it now is, in the page's language. */
async function currentView(c: PageContext): Promise<PageView> {
  const { payout, merchant } = loaded(c);
  return viewOf(c.var.services, payout, merchant, localeOf(pageRequest(c)).locale);
}

function pageData(r: PageRequest, view: PageView, form?: FormState): PageData {
  const { payout, merchant } = r;
  const { locale, chosen } = localeOf(r);
  // Texts the page has no use for stay here (the PageData type names them all; see texts.ts).
  const t = pageTexts(MESSAGES[locale], view) as Messages;
  const path = r.path.replace(/\/status$/, '');
  const query = chosen ? `?lang=${locale}` : '';
  return {
    locale,
    t,
    merchant: merchant
      ? { name: merchantName(merchant), logoUrl: merchant.settings.logoUrl ?? null }
      : { name: '', logoUrl: null },
    amount: payout ? formatAmount(payout.amount, locale) : '',
    description: payout?.description ?? null,
    self: `${path}${query}`,
    statusUrl: `${path}/status${query}`,
    banksUrl: banksUrl(locale),
    enhanceUrl: pageAssets().enhance,
    now: r.services.clock.now(),
    view,
    ...(form ? { form } : {}),
    ...(payout && merchant ? { embed: embedData(r, merchant, payout) } : {}),
  };
}

/** What the page is rendered from in this answer, and how to render it. */
function pageRender(r: PageRequest, view: PageView, status: number, form?: FormState): PageRender {
  const data = pageData(r, view, form);
  const offersSbp = view.kind === 'form' && view.methods.some((m) => m.type === 'sbp' && !m.handoff);
  const theme = embedTheme(r);
  const accentColor = theme.accent ?? r.merchant?.settings.accentColor;
  const nonce = r.nonce;
  return {
    data,
    nonce,
    options: { status, accentColor, offersSbp, theme: theme.css },
    render: () =>
      renderPage({
        data,
        nonce,
        accentColor,
        themeCss: theme.css,
        bankOptions: offersSbp ? bankOptionsHtml(data.locale, data.t, form?.values.bankId) : '',
        languages:
          view.kind === 'notFound'
            ? ''
            : languagesHtml(data.self.split('?')[0]!, data.locale, MESSAGES[data.locale].language),
      }),
  };
}

/** The loader's theme option, for a page in a merchant's frame (server/page/theme.ts). */
function embedTheme(r: PageRequest): { accent?: string; css: string } {
  if (!isEmbedRequest(r)) return { css: '' };
  const theme = frameTheme(r.query);
  if (theme.problems.length) r.services.log.warn({ problems: theme.problems }, 'embed theme options left out');
  return theme;
}

/** The headers of an HTML answer in this encoding (the security headers come with every page answer). */
export function htmlHeaders(encoding: Encoding): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    ...(encoding === 'identity' ? {} : { 'Content-Encoding': encoding }),
  };
}

function htmlAnswer(c: PageContext, encoding: Encoding, body: Uint8Array, status: 200 | 404 | 422): Response {
  for (const [name, value] of Object.entries(htmlHeaders(encoding))) c.header(name, value);
  return c.body(body as Uint8Array<ArrayBuffer>, status);
}

/** A page made for this one answer: an unknown link, or the form again with what was typed. */
function html(c: PageContext, view: PageView, status: 200 | 404 | 422, form?: FormState): Response {
  const encoding = pickEncoding(c.req.header('accept-encoding'));
  return htmlAnswer(c, encoding, encode(pageRender(pageRequest(c), view, status, form).render(), encoding, 10), status);
}

/** A known link's page as it now is, from the pages kept (server/page/page-cache.ts), in the encoding asked for. */
export async function keptPage(
  r: PageRequest & Required<Pick<PageRequest, 'payout' | 'merchant'>>,
  pages: PageCache,
): Promise<{ body: Buffer; encoding: Encoding }> {
  const view = await viewOf(r.services, r.payout, r.merchant, localeOf(r).locale);
  const encoding = pickEncoding(r.header('accept-encoding'));
  return { body: await pages.body(pageRender(r, view, 200), encoding), encoding };
}

function json(c: PageContext, reply: Omit<PageReply, 'now' | 't'>, status: 200 | 404 | 422 = 200): Response {
  const t = viewTexts(MESSAGES[localeOf(pageRequest(c)).locale], reply.view);
  return c.json({ ...reply, ...(t ? { t } : {}), now: c.var.services.clock.now() } satisfies PageReply, status);
}

const wantsJson = (c: PageContext) => /^application\/json\b/i.test(c.req.header('content-type') ?? '');

/** An unknown link: JSON for the status poll and the widget's posts, the page otherwise. */
function notFound(c: PageContext): Response {
  const asJson = c.req.method === 'POST' ? wantsJson(c) : c.req.path.endsWith('/status');
  return asJson ? json(c, { view: { kind: 'notFound' } }, 404) : html(c, { kind: 'notFound' }, 404);
}

function tooMany(c: PageContext, waitMs: number): Response {
  c.header('Retry-After', retryAfterSeconds(waitMs));
  return c.text('Too many requests; please wait a moment and try again', 429);
}

/**
 * A post from another site: the browser says so in Sec-Fetch-Site, or in an Origin that
 * is not ours. Our own posts carry Origin "null" (our referrer policy is no-referrer).
 */
function crossSite(c: PageContext): boolean {
  if (['cross-site', 'same-site'].includes(c.req.header('sec-fetch-site') ?? '')) return true;
  const origin = c.req.header('origin');
  if (origin === undefined || origin === 'null') return false;
  return origin !== c.var.services.config.publicUrl && origin !== new URL(c.req.url).origin;
}

/** The details as the form or the widget sent them; field values are strings, anything else is dropped. */
async function readDetails(c: PageContext): Promise<Record<string, string> | null | 'duplicate_key'> {
  let raw: unknown;
  try {
    if (wantsJson(c)) {
      const parsed = parseJson(await c.req.text());
      if (!parsed.ok) return parsed.reason === 'duplicate_key' ? 'duplicate_key' : null;
      raw = parsed.value;
    } else raw = await c.req.parseBody();
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** What the page keeps between answers, for its routes and its lean GET (lean-get.ts) alike. */
export interface PageMemory {
  pages: PageCache;
  /** Addresses that looked up too many unknown links, and until when they wait (any link, so no oracle). */
  guessing: BoundedMap<string, number>;
}

export function newPageMemory(): PageMemory {
  return { pages: new PageCache(), guessing: new BoundedMap<string, number>(10_000) };
}

export function pageRoutes(s: Services, { pages, guessing }: PageMemory = newPageMemory()): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  app.use('*', async (c, next) => {
    c.set('services', s);
    await next();
  });
  app.use('*', pageSecurity());
  const { limits } = s.config;
  // A post is refused before its body is read or its link looked up.
  app.post(
    '/:token',
    bodyLimit({ maxSize: PAGE_BODY_LIMIT, onError: (c) => c.text('Request too large', 413) }),
    async (c, next) => (crossSite(c) ? c.text('Forbidden', 403) : next()),
    async (c, next) => {
      const now = Date.now();
      const address = clientAddress(c, limits.trustProxy);
      const waitMs = Math.max(
        await s.limits.take(`page-post:link:${c.req.param('token')}`, limits.pagePostPerLink, now),
        await s.limits.take(`page-post:address:${address}`, limits.pagePostPerAddress, now),
      );
      return waitMs > 0 ? tooMany(c, waitMs) : next();
    },
  );
  app.use('/:token/*', async (c, next) => {
    const now = Date.now();
    const address = clientAddress(c, limits.trustProxy);
    const until = guessing.get(address) ?? 0;
    if (until > now) return tooMany(c, until - now);
    await next();
    if (c.res.status !== 404) return;
    const waitMs = await s.limits.take(`unknown-link:${address}`, limits.unknownLinkPerAddress, now);
    if (waitMs > 0) guessing.set(address, now + waitMs);
  });
  app.use('/:token/*', loadPayout(s, notFound));

  app.get('/:token', async (c) => {
    const { body, encoding } = await keptPage({ ...pageRequest(c), ...loaded(c) }, pages);
    return htmlAnswer(c, encoding, body, 200);
  });

  app.get('/:token/status', async (c) => json(c, { view: await currentView(c) }));

  app.post('/:token', async (c) => {
    const asJson = wantsJson(c);
    const { payout, merchant } = loaded(c);
    /** The payout as it now is; a plain form post is sent back to the page for it (post/redirect/get). */
    const current = async () => {
      if (!asJson) return c.redirect(selfUrl(c), 303);
      const now = (await findPayout(s, c.req.param('token')))!;
      c.set('payout', now.payout);
      return json(c, { view: await currentView(c) });
    };
    if (!awaitsDetails(payout)) return current();

    const details = await readDetails(c);
    if (details === 'duplicate_key') return c.json({ error: 'a field is given twice' }, 400);
    const input = details ?? {};
    const methods = methodsFor(s, merchant, payout);
    /** The form again, saying what is wrong. */
    const refuse = async (problem: Omit<FormState, 'values'>) => {
      const view = await currentView(c);
      return asJson ? json(c, { view, ...problem }, 422) : html(c, view, 422, { ...problem, values: keep(input) });
    };

    if (input.saved !== undefined) {
      // One tap on the saved card the page offered: its destination token, never a number.
      const result = await submitSavedCard(s, payout.id, input.saved);
      if (!result.ok && result.reason === 'method_not_allowed')
        return refuse({ errors: {}, error: 'method_not_allowed' });
      return current();
    }

    const method = methods.find((m) => m.type === input.type);
    if (method?.handoff) {
      const { locale } = localeOf(pageRequest(c));
      // The provider collects the details on its own page: start the payout there and send the recipient on.
      const step = await startHandoff(s, payout.id, method.type);
      if (!step.ok) return refuse({ errors: {}, error: 'method_not_allowed' });
      return asJson
        ? json(c, { view: { kind: 'progress' }, redirect: step.redirectUrl })
        : c.html(renderOnward(step.redirectUrl, { locale, t: MESSAGES[locale] }));
    }

    const parsed = parseDetails(
      recipientSchema(
        methods.filter((m) => !m.handoff),
        (id) => findBank(id) !== undefined,
      ),
      input,
    );
    if (!parsed.ok) return refuse({ errors: parsed.errors });

    const result = await submitRecipientDetails(s, payout.id, parsed.details);
    if (!result.ok && result.reason === 'method_not_allowed')
      return refuse({ errors: {}, error: 'method_not_allowed' });
    // Accepted, or taken already (a second tab, a double click), or expired meanwhile: show where it stands.
    return current();
  });

  return app;
}

/** This page's path (`//pay/…` taken as `/pay/…`: a redirect never names another host). */
function selfUrl(c: PageContext): string {
  return c.req.path + new URL(c.req.url).search;
}

/** What the form shows again after a refused post: everything but the card number. */
function keep(input: Record<string, string>): FormState['values'] {
  const { type, phone, bankId, fullName } = input;
  return Object.fromEntries(Object.entries({ type, phone, bankId, fullName }).filter(([, v]) => v !== undefined));
}
