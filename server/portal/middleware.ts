// What a portal request carries (PortalEnv): the services, a nonce, the locale and, once
// signed in, the session. Cookies, CSRF and the portal's security headers live here.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Services } from '../services.ts';
import { isLocalHost } from '../merchants/settings.ts';
import { newNonce, pageHeaders } from '../page/headers.ts';
import { portalLocale, PORTAL_TEXT, type PortalLocale, type PortalText } from './i18n.ts';
import { loadSession, sameToken, MAX_AGE_MS, type Session } from './sessions.ts';

export const SESSION_COOKIE = 'payee_portal';
/** Before login there is no session: the login form's CSRF token is a cookie the form repeats. */
export const LOGIN_CSRF_COOKIE = 'payee_login_csrf';

export type PortalEnv = {
  Variables: {
    services: Services;
    nonce: string;
    locale: PortalLocale;
    t: PortalText;
    /** Set when the request carries a live session cookie (its id is the cookie's value). */
    session?: Session & { id: string };
  };
};

export type PortalContext = Context<PortalEnv>;

/** Secure cookies, except over plain http on this machine (development and tests). */
export function secureCookies(s: Services): boolean {
  const u = new URL(s.config.publicUrl || 'http://localhost');
  return !(u.protocol === 'http:' && isLocalHost(u.hostname));
}

export function setSessionCookie(c: Context, s: Services, id: string): void {
  setCookie(c, SESSION_COOKIE, id, {
    path: '/',
    httpOnly: true,
    secure: secureCookies(s),
    sameSite: 'Lax',
    maxAge: Math.floor(MAX_AGE_MS / 1000),
  });
}

export function clearSessionCookie(c: Context, s: Services): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureCookies(s) });
}

/** The session behind the request's cookie, if it is live. */
export async function sessionOf(c: Context, s: Services): Promise<(Session & { id: string }) | undefined> {
  const id = getCookie(c, SESSION_COOKIE);
  if (!id || id.length > 100) return undefined;
  const session = await loadSession(s.db, id, s.clock.now());
  return session && { ...session, id };
}

/** Nonce, locale and session before the handler; the portal's security headers after it. */
export function portalContext(s: Services): MiddlewareHandler<PortalEnv> {
  return async (c, next) => {
    const nonce = newNonce();
    const locale = portalLocale(c.req.query('lang'), c.req.header('accept-language'));
    c.set('services', s);
    c.set('nonce', nonce);
    c.set('locale', locale);
    c.set('t', PORTAL_TEXT[locale]);
    const session = await sessionOf(c, s);
    if (session) c.set('session', session);
    await next();
    for (const [name, value] of Object.entries(pageHeaders({ nonce }))) c.res.headers.set(name, value);
    c.res.headers.set('Vary', 'Accept-Language, Cookie');
  };
}

/** Pages behind login: without a session, to the login page. */
export function requireSession(): MiddlewareHandler<PortalEnv> {
  return async (c, next) => {
    if (!c.var.session) return c.redirect(`/portal/login${c.var.locale === 'en' ? '?lang=en' : ''}`, 303);
    await next();
  };
}

/** The session's CSRF token, as a form field or a header, in constant time. */
export function csrfMatches(session: Session, given: unknown): boolean {
  return typeof given === 'string' && sameToken(given, session.csrfToken);
}

/** Form fields of a POST (urlencoded or multipart), or an empty object for anything else. */
export async function formFields(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return {};
  return (await c.req.parseBody()) as Record<string, unknown>;
}

/** Every state-changing portal request repeats the session's CSRF token; a POST without it is refused. */
export function requireCsrf(): MiddlewareHandler<PortalEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const session = c.var.session;
    const fields = await formFields(c);
    const given = fields.csrf_token ?? c.req.header('x-csrf-token');
    if (!session || !csrfMatches(session, given)) return c.text(c.var.t.expiredForm, 403);
    await next();
  };
}
