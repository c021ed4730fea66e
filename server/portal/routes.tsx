// The merchant portal under /portal: login, Settings → API (tokens), the webhook, payouts.
// Server-rendered pages and plain forms; every POST carries the session's CSRF token.
import { Hono } from 'hono';
import { bodyLimit } from '../http/body-limit.ts';
import { getCookie, setCookie } from 'hono/cookie';
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { WebhookSaveBody } from '../../src/contract/portal.ts';
import type { Services } from '../services.ts';
import { addApiToken, listApiTokens, revokeApiToken } from '../merchants/api-tokens.ts';
import { getMerchant, updateMerchantSettings } from '../merchants/store.ts';
import { MerchantSettingsSchema, settingsContext, validateMerchantSettings } from '../merchants/settings.ts';
import { describeIssues } from '../api/envelope.ts';
import { audit } from './audit.ts';
import { fill } from './i18n.ts';
import {
  LOGIN_CSRF_COOKIE,
  clearSessionCookie,
  formFields,
  portalContext,
  requireCsrf,
  requireSession,
  secureCookies,
  setSessionCookie,
  type PortalContext,
  type PortalEnv,
} from './middleware.ts';
import { DUMMY_HASH, verifyPassword } from './password.ts';
import { payoutRoutes } from './payouts.tsx';
import { batchRoutes } from './batch-routes.tsx';
import {
  clearLoginFailures,
  createSession,
  deleteSession,
  loginBlockedFor,
  noteLoginFailure,
  sameToken,
} from './sessions.ts';
import { canChangeSettings, Email, findUserForLogin } from './users.ts';
import { apiTokensPage, type ApiTokensView } from './views/api-tokens.tsx';
import type { PageProps } from './views/layout.tsx';
import { loginPage } from './views/login.tsx';
import { webhookPage, type WebhookView } from './views/webhook.tsx';
import { referencePage } from './views/reference.tsx';
import { brandingPage, type BrandingView } from './views/branding.tsx';
import { auditPage } from './views/audit.tsx';
import { openApiDocument } from '../api/openapi.ts';
import { saveWebhook, settingsMerchant, testWebhook } from './webhook-settings.ts';

/** Room for a batch CSV of MAX_BATCH_ROWS rows. */
const PORTAL_BODY_LIMIT = 4 * 1024 * 1024;

function props(c: PortalContext): PageProps {
  return { t: c.var.t, locale: c.var.locale, nonce: c.var.nonce, session: c.var.session };
}

function session(c: PortalContext) {
  const s = c.var.session;
  if (!s) throw new Error('the handler runs after requireSession');
  return s;
}

function home(c: PortalContext, path: string): string {
  return `${path}?lang=${c.var.locale}`;
}

export function portalRoutes(s: Services): Hono<PortalEnv> {
  const portal = new Hono<PortalEnv>();
  portal.use('*', bodyLimit({ maxSize: PORTAL_BODY_LIMIT, onError: (c) => c.text('Request too large', 413) }));
  portal.use('*', portalContext(s));

  const showLogin = (c: PortalContext, status: 200 | 401 | 403 | 429, error?: string, email?: string) => {
    const csrf = randomBytes(24).toString('base64url');
    setCookie(c, LOGIN_CSRF_COOKIE, csrf, {
      path: '/portal/login',
      httpOnly: true,
      secure: secureCookies(s),
      sameSite: 'Strict',
    });
    return c.html(loginPage({ ...props(c), csrf, error, email }), status);
  };

  portal.get('/', (c) => c.redirect(home(c, c.var.session ? '/portal/payouts' : '/portal/login'), 303));
  portal.get('/login', (c) => (c.var.session ? c.redirect(home(c, '/portal/payouts'), 303) : showLogin(c, 200)));

  portal.post('/login', async (c) => {
    const { t } = c.var;
    const fields = await formFields(c);
    const cookie = getCookie(c, LOGIN_CSRF_COOKIE);
    if (!cookie || typeof fields.csrf_token !== 'string' || !sameToken(fields.csrf_token, cookie)) {
      return showLogin(c, 403, t.expiredForm);
    }
    const email = v.safeParse(Email, fields.email);
    const password = typeof fields.password === 'string' ? fields.password : '';
    const typed = typeof fields.email === 'string' ? fields.email.slice(0, 254) : '';
    if (!email.success || !password || password.length > 1024) return showLogin(c, 401, t.wrongLogin, typed);
    const now = s.clock.now();
    const blocked = await loginBlockedFor(s.db, email.output, now);
    if (blocked > 0) {
      c.header('Retry-After', String(Math.ceil(blocked / 1000)));
      return showLogin(c, 429, fill(t.tooMany, { s: Math.ceil(blocked / 1000) }), typed);
    }
    const user = await findUserForLogin(s.db, email.output);
    // An unknown email costs the same scrypt as a wrong password.
    const good = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !good) {
      await noteLoginFailure(s.db, email.output, now);
      return showLogin(c, 401, t.wrongLogin, typed);
    }
    await clearLoginFailures(s.db, email.output);
    // Whatever session the browser brought ends here; the new one has a new id.
    const previous = c.var.session;
    if (previous) await deleteSession(s.db, previous.id);
    const created = await createSession(s.db, user.id, now);
    setSessionCookie(c, s, created.id);
    return c.redirect(home(c, '/portal/payouts'), 303);
  });

  // The API reference is for anyone, signed in or not.
  portal.get('/reference', (c) => c.html(referencePage({ ...props(c), doc: openApiDocument() })));

  portal.use('*', requireSession());
  portal.use('*', requireCsrf());

  portal.post('/logout', async (c) => {
    const current = c.var.session;
    if (current) await deleteSession(s.db, current.id);
    clearSessionCookie(c, s);
    return c.redirect(home(c, '/portal/login'), 303);
  });

  // Settings → API: named tokens, shown once, listed with their last use, revoked at once.
  const tokensPage = async (c: PortalContext, view: Partial<ApiTokensView> = {}, status: 200 | 400 | 403 = 200) => {
    const user = session(c).user;
    const tokens = user.merchantId ? await listApiTokens(s.db, user.merchantId) : [];
    const canChange = Boolean(user.merchantId) && canChangeSettings(user);
    const error = view.error ?? (user.merchantId ? undefined : c.var.t.noCompany);
    return c.html(apiTokensPage({ ...props(c), tokens, canChange, ...view, error }), status);
  };
  portal.get('/settings/api', (c) => tokensPage(c));
  portal.post('/settings/api/tokens', async (c) => {
    const user = session(c).user;
    const allowed = settingsMerchant(user);
    if (!allowed.ok) return tokensPage(c, { error: c.var.t.forbidden }, 403);
    const fields = await formFields(c);
    const name = v.safeParse(TokenName, fields.name);
    if (!name.success) return tokensPage(c, { error: `${c.var.t.tokenName}: ${describeIssues(name.issues)}` }, 400);
    const now = s.clock.now();
    const created = await addApiToken(s.db, allowed.merchantId, name.output, now);
    await audit(s.db, user, allowed.merchantId, 'api_token.create', { id: created.id, name: name.output }, now);
    return tokensPage(c, { created: { name: name.output, token: created.token } });
  });
  portal.post('/settings/api/tokens/:id/revoke', async (c) => {
    const user = session(c).user;
    const allowed = settingsMerchant(user);
    if (!allowed.ok) return tokensPage(c, { error: c.var.t.forbidden }, 403);
    const id = c.req.param('id');
    const tokens = await listApiTokens(s.db, allowed.merchantId);
    const token = tokens.find((tok) => tok.id === id);
    const now = s.clock.now();
    if (!token || !(await revokeApiToken(s.db, allowed.merchantId, id, now))) {
      return tokensPage(c, { error: c.var.t.notFound }, 400);
    }
    await audit(s.db, user, allowed.merchantId, 'api_token.revoke', { id, name: token.name }, now);
    return tokensPage(c, { notice: fill(c.var.t.revoked, { name: token.name }) });
  });

  // The webhook: the same rules as POST /api/v1/webhook_save and webhook_test.
  const hookPage = async (c: PortalContext, view: Partial<WebhookView> = {}, status: 200 | 400 | 403 = 200) => {
    const user = session(c).user;
    const merchant = user.merchantId ? await getMerchant(s.db, user.merchantId) : undefined;
    const webhook = merchant?.settings.webhook ?? { enabled: false, useSignature: true };
    const canChange = Boolean(merchant) && canChangeSettings(user);
    const error = view.error ?? (merchant ? undefined : c.var.t.noCompany);
    return c.html(webhookPage({ ...props(c), webhook, canChange, ...view, error }), status);
  };
  portal.get('/settings/webhook', (c) => hookPage(c));
  portal.post('/settings/webhook', async (c) => {
    const { csrf_token: _, ...fields } = await formFields(c);
    // An unticked checkbox sends nothing: here it means false.
    const input = v.safeParse(WebhookSaveBody, { enabled: 'false', use_signature: 'false', ...fields });
    if (!input.success) return hookPage(c, { error: describeIssues(input.issues) }, 400);
    const saved = await saveWebhook(s, session(c).user, input.output);
    if (!saved.ok) return hookPage(c, { error: saved.message }, saved.reason === 'invalid' ? 400 : 403);
    return hookPage(c, { notice: c.var.t.saved, secret: saved.secret });
  });
  portal.post('/settings/webhook/test', async (c) => {
    const { t } = c.var;
    const sent = await testWebhook(s, session(c).user);
    if (!sent.ok) return hookPage(c, { error: 'message' in sent ? sent.message : t.notFound }, 400);
    const notice =
      sent.error === null
        ? fill(t.testResult, { status: sent.httpStatus ?? '', ms: sent.durationMs })
        : fill(t.testFailed, { error: sent.error, ms: sent.durationMs });
    return hookPage(c, { notice });
  });

  // Branding and embedding: the merchant settings' own validation judges every value.
  const brandPage = async (c: PortalContext, view: Partial<BrandingView> = {}, status: 200 | 400 | 403 = 200) => {
    const user = session(c).user;
    const merchant = user.merchantId ? await getMerchant(s.db, user.merchantId) : undefined;
    const settings = merchant?.settings ?? v.parse(MerchantSettingsSchema, {});
    const canChange = Boolean(merchant) && canChangeSettings(user);
    const error = view.error ?? (merchant ? undefined : c.var.t.noCompany);
    return c.html(brandingPage({ ...props(c), settings, canChange, ...view, error }), status);
  };
  portal.get('/settings/branding', (c) => brandPage(c));
  portal.post('/settings/branding', async (c) => {
    const user = session(c).user;
    const allowed = settingsMerchant(user);
    if (!allowed.ok) return brandPage(c, { error: allowed.message }, 403);
    const merchant = (await getMerchant(s.db, allowed.merchantId))!;
    const { csrf_token: _, ...fields } = await formFields(c);
    const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string).trim() : '');
    const lines = (name: string) =>
      text(name)
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    const patch = {
      displayName: text('displayName') || undefined,
      logoUrl: text('logoUrl') || undefined,
      accentColor: text('accentColor') || undefined,
      returnOrigins: lines('returnOrigins'),
      frameAncestors: lines('frameAncestors'),
      appSchemes: lines('appSchemes'),
    };
    const ctx = settingsContext(s.config);
    const checked = validateMerchantSettings({ ...merchant.settings, ...patch }, ctx);
    const values = Object.fromEntries(Object.keys(patch).map((k) => [k, text(k)]));
    if (!checked.ok) return brandPage(c, { error: checked.reason, values }, 400);
    const { displayName, logoUrl, accentColor, returnOrigins, frameAncestors, appSchemes } = checked.settings;
    const saved = await updateMerchantSettings(
      s.db,
      merchant.id,
      { displayName, logoUrl, accentColor, returnOrigins, frameAncestors, appSchemes },
      ctx,
    );
    const changed = Object.fromEntries(
      Object.keys(patch)
        .map((k) => k as keyof typeof patch)
        .filter((k) => JSON.stringify(merchant.settings[k]) !== JSON.stringify(saved.settings[k]))
        .map((k) => [k, { from: merchant.settings[k] ?? null, to: saved.settings[k] ?? null }]),
    );
    await audit(s.db, user, merchant.id, 'branding.save', changed, s.clock.now());
    return brandPage(c, { notice: c.var.t.saved });
  });

  portal.get('/settings/audit', async (c) => {
    const user = session(c).user;
    const entries = user.merchantId
      ? await s.db
          .selectFrom('portal_audit')
          .select(['at', 'email', 'action', 'detail'])
          .where('merchant_id', '=', user.merchantId)
          .orderBy('id', 'desc')
          .limit(200)
          .execute()
      : [];
    return c.html(auditPage({ ...props(c), entries, error: user.merchantId ? undefined : c.var.t.noCompany }));
  });

  portal.route('/payouts', payoutRoutes(s));
  portal.route('/batches', batchRoutes(s));
  return portal;
}

const TokenName = v.pipe(
  v.string('is required'),
  v.trim(),
  v.minLength(1, 'is required'),
  v.maxLength(64, 'must be at most 64 characters'),
  v.regex(/^[^\p{Cc}\p{Cf}]*$/u, 'must be plain text'),
);
