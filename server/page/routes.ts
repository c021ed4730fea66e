// The recipient page at /pay/:token.
//   GET  /pay/:token         the page in the payout's current view (form, progress, outcome, expired)
//   POST /pay/:token         the details: a plain form post (answered by a redirect to the GET,
//                            or the form again with its errors) or JSON from the widget
//   GET  /pay/:token/status  the current view as JSON, for the page to poll
// Every answer carries the page's security headers; the token is never logged.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Services } from '../services.ts';
import { getMerchant, type Merchant } from '../merchants/store.ts';
import { methodsFor, submitRecipientDetails } from '../engine/details.ts';
import { startHandoff } from '../engine/handoff.ts';
import { expireIfDue, findByLinkToken, type PayoutRow } from '../engine/payouts.ts';
import { MESSAGES, pickLocale, type Locale } from '../../src/contract/i18n.ts';
import { formatAmount } from '../../src/contract/money.ts';
import type { FormState, PageData, PageReply, PageView } from '../../src/contract/page.ts';
import { parseDetails, recipientSchema } from '../../src/contract/recipient.ts';
import { findBank } from '../../src/contract/banks.ts';
import { encode, pickEncoding } from '../http/compress.ts';
import { bankOptionsHtml, banksUrl } from './banks.tsx';
import { newNonce, pageHeaders } from './headers.ts';
import { embedData } from '../embed/frame.ts';
import { renderOnward, renderPage } from './render.tsx';
import { PageCache } from './page-cache.ts';
import { pageAssets } from './assets.ts';
import { merchantName, viewOf } from './view.ts';

export const PAGE_BODY_LIMIT = 16 * 1024;

interface Loaded {
  payout: PayoutRow;
  merchant: Merchant;
}

/** The payout behind a link, its session expiry applied; undefined for an unknown link. */
async function load(s: Services, token: string): Promise<Loaded | undefined> {
  const found = await findByLinkToken(s, token);
  if (!found) return undefined;
  const merchant = await getMerchant(s.db, found.merchant_id);
  if (!merchant) return undefined;
  return { payout: await expireIfDue(s, found), merchant };
}

function localeOf(c: Context): { locale: Locale; chosen: boolean } {
  const lang = c.req.query('lang');
  return { locale: pickLocale(lang, c.req.header('accept-language')), chosen: lang === 'ru' || lang === 'en' };
}

function pageData(c: Context, s: Services, loaded: Loaded | undefined, view: PageView, form?: FormState): PageData {
  const { locale, chosen } = localeOf(c);
  const t = MESSAGES[locale];
  const path = c.req.path.replace(/\/status$/, '');
  const query = chosen ? `?lang=${locale}` : '';
  return {
    locale,
    t,
    merchant: loaded
      ? { name: merchantName(loaded.merchant), logoUrl: loaded.merchant.settings.logoUrl ?? null }
      : { name: '', logoUrl: null },
    amount: loaded ? formatAmount(loaded.payout.amount, locale) : '',
    description: loaded?.payout.description ?? null,
    self: `${path}${query}`,
    statusUrl: `${path}/status${query}`,
    banksUrl: banksUrl(locale),
    enhanceUrl: pageAssets().enhance,
    otherLocaleHref: `${path}?lang=${locale === 'ru' ? 'en' : 'ru'}`,
    now: s.clock.now(),
    view,
    ...(form ? { form } : {}),
    ...(loaded ? { embed: embedData(c, loaded.merchant, loaded.payout) } : {}),
  };
}

function securityHeaders(c: Context, loaded: Loaded | undefined): string {
  const nonce = newNonce();
  const logo = loaded?.merchant.settings.logoUrl;
  for (const [name, value] of Object.entries(
    pageHeaders({
      nonce,
      imageOrigins: logo ? [new URL(logo).origin] : [],
      frameAncestors: loaded?.merchant.settings.frameAncestors,
    }),
  ))
    c.header(name, value);
  c.header('Vary', 'Accept-Language, Accept-Encoding');
  return nonce;
}

async function html(
  c: Context,
  s: Services,
  pages: PageCache,
  loaded: Loaded | undefined,
  view: PageView,
  status: 200 | 404 | 422,
  form?: FormState,
): Promise<Response> {
  const nonce = securityHeaders(c, loaded);
  const data = pageData(c, s, loaded, view, form);
  const offersSbp = view.kind === 'form' && view.methods.some((m) => m.type === 'sbp' && !m.handoff);
  const accentColor = loaded?.merchant.settings.accentColor;
  const render = () =>
    renderPage({
      data,
      nonce,
      accentColor,
      bankOptions: offersSbp ? bankOptionsHtml(data.locale, data.t, form?.values.bankId) : '',
    });
  const encoding = pickEncoding(c.req.header('accept-encoding'));
  c.header('Content-Type', 'text/html; charset=utf-8');
  if (encoding !== 'identity') c.header('Content-Encoding', encoding);
  // A page that shows what was typed, or an unknown link, is made for its one answer.
  const body =
    form || !loaded
      ? encode(render(), encoding, 10)
      : await pages.body({ data, nonce, options: { status, accentColor, offersSbp }, render }, encoding);
  return c.body(body as Uint8Array<ArrayBuffer>, status);
}

function json(
  c: Context,
  s: Services,
  loaded: Loaded | undefined,
  reply: Omit<PageReply, 'now'>,
  status: 200 | 404 | 422 = 200,
): Response {
  securityHeaders(c, loaded);
  return c.json({ ...reply, now: s.clock.now() } satisfies PageReply, status);
}

const wantsJson = (c: Context) => /^application\/json\b/i.test(c.req.header('content-type') ?? '');

/** A form post from another site: the browser says so (Origin is "null" under our referrer policy, so it cannot). */
const crossSite = (c: Context) => ['cross-site', 'same-site'].includes(c.req.header('sec-fetch-site') ?? '');

/** The details as the form or the widget sent them; field values are strings, anything else is dropped. */
async function readDetails(c: Context): Promise<Record<string, string> | null> {
  let raw: unknown;
  try {
    raw = wantsJson(c) ? await c.req.json() : await c.req.parseBody();
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function pageRoutes(s: Services): Hono {
  const app = new Hono();
  const locale = (c: Context) => localeOf(c).locale;
  const pages = new PageCache();

  app.get('/:token', async (c) => {
    const loaded = await load(s, c.req.param('token'));
    if (!loaded) return html(c, s, pages, undefined, { kind: 'notFound' }, 404);
    return html(c, s, pages, loaded, await viewOf(s, loaded.payout, loaded.merchant, locale(c)), 200);
  });

  app.get('/:token/status', async (c) => {
    const loaded = await load(s, c.req.param('token'));
    if (!loaded) return json(c, s, undefined, { view: { kind: 'notFound' } }, 404);
    return json(c, s, loaded, { view: await viewOf(s, loaded.payout, loaded.merchant, locale(c)) });
  });

  app.post(
    '/:token',
    bodyLimit({ maxSize: PAGE_BODY_LIMIT, onError: (c) => c.text('Request too large', 413) }),
    async (c) => {
      if (crossSite(c)) return c.text('Forbidden', 403);
      const asJson = wantsJson(c);
      const loaded = await load(s, c.req.param('token'));
      if (!loaded)
        return asJson
          ? json(c, s, undefined, { view: { kind: 'notFound' } }, 404)
          : html(c, s, pages, undefined, { kind: 'notFound' }, 404);
      const { payout, merchant } = loaded;
      /** The payout as it now is; a plain form post is sent back to the page for it (post/redirect/get). */
      const current = async () => {
        if (!asJson) return c.redirect(selfUrl(c), 303);
        const now = (await load(s, c.req.param('token')))!;
        return json(c, s, now, { view: await viewOf(s, now.payout, now.merchant, locale(c)) });
      };
      if (payout.status !== 'uploaded') return current();

      const input = (await readDetails(c)) ?? {};
      const methods = methodsFor(s, merchant, payout);
      /** The form again, saying what is wrong. */
      const refuse = async (problem: Omit<FormState, 'values'>) => {
        const view = await viewOf(s, payout, merchant, locale(c));
        return asJson
          ? json(c, s, loaded, { view, ...problem }, 422)
          : html(c, s, pages, loaded, view, 422, { ...problem, values: keep(input) });
      };

      const method = methods.find((m) => m.type === input.type);
      if (method?.handoff) {
        // The provider collects the details on its own page: start the payout there and send the recipient on.
        const step = await startHandoff(s, payout.id, method.type);
        if (!step.ok) return refuse({ errors: {}, error: 'method_not_allowed' });
        return asJson
          ? json(c, s, loaded, { view: { kind: 'progress' }, redirect: step.redirectUrl })
          : onward(c, step.redirectUrl);
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
    },
  );

  return app;
}

function onward(c: Context, url: string): Response {
  securityHeaders(c, undefined);
  return c.html(renderOnward(url, { locale: localeOf(c).locale, t: MESSAGES[localeOf(c).locale] }));
}

function selfUrl(c: Context): string {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

/** What the form shows again after a refused post: everything but the card number. */
function keep(input: Record<string, string>): FormState['values'] {
  const { type, phone, bankId, fullName } = input;
  return Object.fromEntries(Object.entries({ type, phone, bankId, fullName }).filter(([, v]) => v !== undefined));
}
