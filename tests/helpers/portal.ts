// Signing into the merchant portal over HTTP as a browser would: the login form's CSRF
// cookie and field, the session cookie, and the CSRF token each page carries.
import type { Hono } from 'hono';
import type { Services } from '../../server/services.ts';
import type { PortalRole } from '../../server/db/schema.ts';
import { addUser } from '../../server/portal/users.ts';

export const PASSWORD = 'correct horse battery staple';

let users = 0;

/** A portal user of the merchant (null: of none), with the shared test password. */
export async function portalUser(s: Services, merchantId: string | null, role: PortalRole = 'owner') {
  const email = `user${process.pid}-${++users}@shop.example`;
  const added = await addUser(s.db, { merchantId, email, role, password: PASSWORD }, s.clock.now());
  if (!added.ok) throw new Error(added.reason);
  return added.user;
}

/** name=value of each Set-Cookie of a response. */
export function cookiesOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair!.indexOf('=');
    out[pair!.slice(0, at)] = pair!.slice(at + 1);
  }
  return out;
}

export function form(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  };
}

/** The login page's form: its CSRF cookie and hidden field. */
export async function loginForm(app: Hono, cookie = ''): Promise<{ cookie: string; csrf: string }> {
  const res = await app.request('/portal/login?lang=en', { headers: cookie ? { Cookie: cookie } : {} });
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(await res.text())![1]!;
  return { cookie: `payee_login_csrf=${cookiesOf(res).payee_login_csrf}`, csrf };
}

/** Posts the login form; the answer as it came. */
export async function postLogin(app: Hono, email: string, password: string, extraCookie = ''): Promise<Response> {
  const f = await loginForm(app);
  const init = form({ csrf_token: f.csrf, email, password });
  return app.request('/portal/login?lang=en', {
    ...init,
    headers: { ...init.headers, Cookie: [f.cookie, extraCookie].filter(Boolean).join('; ') },
  });
}

export interface Signed {
  /** The Cookie header value that carries the session. */
  cookie: string;
  csrf: string;
}

/** Signs in and reads the CSRF token from a page's meta tag. */
export async function signIn(app: Hono, email: string, password = PASSWORD): Promise<Signed> {
  const res = await postLogin(app, email, password);
  if (res.status !== 303) throw new Error(`login answered ${res.status}`);
  const cookie = `payee_portal=${cookiesOf(res).payee_portal}`;
  return { cookie, csrf: await csrfOf(app, cookie) };
}

export async function csrfOf(app: Hono, cookie: string): Promise<string> {
  const page = await (await app.request('/portal/settings/api', { headers: { Cookie: cookie } })).text();
  return /<meta name="csrf-token" content="([^"]+)"/.exec(page)![1]!;
}

/** A JSON POST to one of the session endpoints of the API (webhook_save, webhook_test). */
export async function sessionApi(app: Hono, path: string, body: object, headers: Record<string, string> = {}) {
  const res = await app.request(`/api/v1/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}
