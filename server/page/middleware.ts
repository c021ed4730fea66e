// What a page request carries through the router (PageEnv): the services, a fresh nonce
// and, under /:token, the payout behind the link with its merchant; and the same as a
// PageRequest, the form the page is made from whichever way the request came (the router,
// or lean-get.ts straight from node:http).
import type { Context, MiddlewareHandler } from 'hono';
import type { Services } from '../services.ts';
import type { Merchant } from '../merchants/store.ts';
import { expireIfDue, findByLinkToken, type PagePayout } from '../engine/payouts.ts';
import { newNonce, pageHeaders } from './headers.ts';

export type PageEnv = {
  Variables: {
    services: Services;
    /** On the page's inline style, data and script tags; in the CSP of this answer only. */
    nonce: string;
    /** Set by loadPayout; absent for an unknown link. */
    payout?: PagePayout;
    merchant?: Merchant;
  };
};

export type PageContext = Context<PageEnv>;

/** What the page is made from in one answer. */
export interface PageRequest {
  services: Services;
  nonce: string;
  /** The path as routed (`//pay/…` taken as `/pay/…`), without the query. */
  path: string;
  query(name: string): string | undefined;
  header(name: string): string | undefined;
  payout?: PagePayout;
  merchant?: Merchant;
}

/** A routed request as a PageRequest, with the payout and merchant it holds now. */
export function pageRequest(c: PageContext): PageRequest {
  const { services, nonce, payout, merchant } = c.var;
  return {
    services,
    nonce,
    path: c.req.path,
    query: (name) => c.req.query(name),
    header: (name) => c.req.header(name),
    payout,
    merchant,
  };
}

/**
 * A fresh nonce before the handler, the page's security headers after it: they name the
 * merchant's frame ancestors and logo origin, known once loadPayout has run (Hono's
 * secureHeaders does the same with its NONCE).
 */
export function pageSecurity(): MiddlewareHandler<PageEnv> {
  return async (c, next) => {
    const nonce = newNonce();
    c.set('nonce', nonce);
    await next();
    for (const [name, value] of Object.entries(pageSecurityHeaders(nonce, c.var.merchant)))
      c.res.headers.set(name, value);
  };
}

/** Where the nonce goes, while a merchant's headers are made (no stored source can hold it: headers.ts). */
const NONCE_MARK = '\u0000nonce\u0000';
/** A merchant's headers around the nonce, by its settings (frozen and shared: merchants/store.ts). */
const madeFor = new WeakMap<object, { csp: string[]; rest: Record<string, string> }>();
const NO_MERCHANT = {};

/** Every page answer's security headers, for its nonce and (a known link's) merchant. */
export function pageSecurityHeaders(nonce: string, merchant: Merchant | undefined): Record<string, string> {
  const settings = merchant?.settings;
  const key = settings ?? NO_MERCHANT;
  let made = madeFor.get(key);
  if (!made) {
    const logo = settings?.logoUrl;
    const { 'Content-Security-Policy': csp, ...rest } = pageHeaders({
      nonce: NONCE_MARK,
      imageOrigins: logo ? [new URL(logo).origin] : [],
      frameAncestors: settings?.frameAncestors,
    });
    made = { csp: csp!.split(NONCE_MARK), rest: { ...rest, Vary: 'Accept-Language, Accept-Encoding' } };
    // Settings that could still change are not kept by identity.
    if (Object.isFrozen(key)) madeFor.set(key, made);
  }
  return { 'Content-Security-Policy': made.csp.join(nonce), ...made.rest };
}

/** The payout behind a link, its session expiry applied, with its merchant; undefined for an unknown link. */
export async function findPayout(
  s: Services,
  token: string,
): Promise<{ payout: PagePayout; merchant: Merchant } | undefined> {
  const found = await findByLinkToken(s, token);
  return found && { payout: await expireIfDue(s, found.payout), merchant: found.merchant };
}

/** Puts the payout behind /:token and its merchant into the context; an unknown link is answered by `notFound`. */
export function loadPayout(s: Services, notFound: (c: PageContext) => Response): MiddlewareHandler<PageEnv> {
  return async (c, next) => {
    const loaded = await findPayout(s, c.req.param('token')!);
    if (!loaded) return notFound(c);
    c.set('payout', loaded.payout);
    c.set('merchant', loaded.merchant);
    await next();
  };
}

/** The payout and merchant loadPayout put into the context. */
export function loaded(c: PageContext): { payout: PagePayout; merchant: Merchant } {
  const { payout, merchant } = c.var;
  if (!payout || !merchant) throw new Error('the page handler runs after loadPayout');
  return { payout, merchant };
}
