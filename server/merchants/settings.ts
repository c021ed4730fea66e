// Per-merchant settings, validated whenever they are written or read.
import * as v from 'valibot';
import { PAYOUT_TYPES } from '../../src/contract/status.ts';
import { safeText } from '../../src/contract/text.ts';
import type { Config } from '../config.ts';
import { checkTargetUrl, isLoopbackName, targetPolicy, type TargetPolicy } from '../net/target.ts';

/** A host as a CSP source and an origin may carry it: a DNS name, an IPv4 or a bracketed IPv6 literal. */
const ORIGIN = /^(https?):\/\/([a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/;

/** Exactly scheme://host[:port]: no wildcard, path, query, `;` or space (it goes into CSP and origin checks). */
export const OriginSchema = v.pipe(
  v.string(),
  v.check(
    (s) => ORIGIN.test(s) && URL.canParse(s) && new URL(s).origin === s,
    'must be exactly scheme://host[:port] in lower case (no wildcard, path or trailing slash)',
  ),
  v.check(
    // A value the check above refused is not looked at again (valibot runs every check of a pipe).
    (s) => !URL.canParse(s) || s.startsWith('https://') || isLocalHost(new URL(s).hostname),
    'must be https (plain http only for localhost)',
  ),
  v.transform((s) => new URL(s).origin),
);

/** Schemes that run code, read local data or reach browser internals: never a return URL. */
export const DENIED_SCHEMES = [
  'http',
  'https',
  'javascript',
  'data',
  'vbscript',
  'file',
  'intent',
  'view-source',
  'chrome',
  'chrome-extension',
  'about',
  'blob',
  'filesystem',
  'ftp',
  'ws',
  'wss',
  'mailto',
  'tel',
  'sms',
  'content',
  'jar',
  'resource',
  'moz-extension',
  'ms-appx',
  'ms-appx-web',
  'res',
  'opera',
  'edge',
  'android-app',
] as const;

const AppScheme = v.pipe(
  v.string(),
  v.regex(/^[a-z][a-z0-9+.-]{1,31}$/, 'must be a URL scheme such as myapp'),
  v.check((s) => !(DENIED_SCHEMES as readonly string[]).includes(s), 'is not an app scheme'),
);

/** A host name a URL parser takes but a CSP or a header would misread (`;`, `*`, quotes): refused. */
const PLAIN_HOST = /^([a-z0-9_-]+(\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])$/;

/** An http(s) URL (the rule for where it may point is checked when settings are saved). */
const HttpUrl = v.pipe(
  v.string(),
  v.maxLength(2048, 'must be at most 2048 characters'),
  v.url('must be an absolute URL'),
  v.check((s) => /^https?:\/\//i.test(s), 'must be an https URL'),
  v.check((s) => URL.canParse(s) && PLAIN_HOST.test(new URL(s).hostname), 'must have a plain host name'),
);

export const RouteSchema = v.strictObject({
  type: v.picklist(PAYOUT_TYPES),
  /** The name merchants send as `channel` (vtb, alfa, or any configured name). */
  channel: v.pipe(v.string(), v.regex(/^[a-z0-9_-]{1,32}$/, 'must be 1-32 of a-z 0-9 _ -')),
  /** Name of a provider instance from the service configuration. */
  provider: v.pipe(v.string(), v.regex(/^[a-z0-9_-]{1,32}$/, 'must be 1-32 of a-z 0-9 _ -')),
});
export type Route = v.InferOutput<typeof RouteSchema>;

export const MerchantSettingsSchema = v.strictObject({
  /** Shown to recipients: checked for unsafe characters before trimming (trim would hide a trailing U+FEFF). */
  displayName: v.optional(v.pipe(v.string(), safeText(), v.trim(), v.minLength(1), v.maxLength(80))),
  logoUrl: v.optional(HttpUrl),
  accentColor: v.optional(v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'must be #rrggbb'))),
  returnOrigins: v.optional(v.array(OriginSchema), []),
  appSchemes: v.optional(v.array(AppScheme), []),
  frameAncestors: v.optional(v.array(OriginSchema), []),
  webhook: v.optional(
    v.strictObject({
      url: v.optional(HttpUrl),
      enabled: v.boolean(),
      useSignature: v.boolean(),
    }),
    { enabled: false, useSignature: true },
  ),
  payoutTypes: v.optional(v.array(v.picklist(PAYOUT_TYPES)), ['card', 'sbp']),
  routes: v.optional(v.array(RouteSchema), []),
  /** Cards or phones a recipient may give on one link when the provider refuses the previous ones (1: no other try). */
  maxTries: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(1, 'must be at least 1'),
      v.maxValue(10, 'must be at most 10'),
    ),
    3,
  ),
  /** A production merchant may be routed to a sandbox instance only with this set. */
  allowSandbox: v.optional(v.boolean(), false),
  /** Merchant API requests per second (a burst of twice as many is allowed); the service default when absent. */
  apiRatePerSecond: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
  /** Report `refunded` as a status (Payee's extended set) instead of the Quantum Payouts API's six. */
  extendedStatuses: v.optional(v.boolean(), false),
});
export type MerchantSettings = v.InferOutput<typeof MerchantSettingsSchema>;

/** What saving settings needs to know about the service. */
export interface SettingsContext {
  targets: TargetPolicy;
  environment: Config['environment'];
  /** Configured provider instances and their kinds. */
  providerKinds: Record<string, string>;
}

export function settingsContext(config: Pick<Config, 'environment' | 'outbound' | 'providers'>): SettingsContext {
  return {
    targets: targetPolicy(config),
    environment: config.environment,
    providerKinds: Object.fromEntries(Object.entries(config.providers).map(([name, p]) => [name, p.kind])),
  };
}

export type SettingsCheck = { ok: true; settings: MerchantSettings } | { ok: false; reason: string };

/**
 * The one check for settings being saved (CLI, demo, portal): the schema, then the rules
 * that depend on where the service runs: the webhook URL's target rule, the logo's
 * scheme, http origins only in development, sandbox routes in production.
 */
export function validateMerchantSettings(raw: unknown, ctx: SettingsContext): SettingsCheck {
  const parsed = v.safeParse(MerchantSettingsSchema, raw);
  if (!parsed.success)
    return {
      ok: false,
      reason: parsed.issues.map((i) => `${v.getDotPath(i) ?? 'settings'}: ${i.message}`).join('; '),
    };
  const settings = parsed.output;
  const problems: string[] = [];
  if (settings.webhook.url) {
    const t = checkTargetUrl(settings.webhook.url, ctx.targets);
    if (!t.ok) problems.push(`webhook.url: ${t.reason}`);
  }
  if (settings.logoUrl) {
    const logo = new URL(settings.logoUrl);
    if (logo.protocol !== 'https:' && !(ctx.targets.allowHttp && isLoopbackName(logo.hostname)))
      problems.push('logoUrl: must be https (plain http only for localhost in development)');
  }
  if (ctx.environment !== 'development') {
    for (const key of ['returnOrigins', 'frameAncestors'] as const) {
      const http = settings[key].find((o) => o.startsWith('http:'));
      if (http) problems.push(`${key}: ${http} must be https outside development`);
    }
  }
  for (const route of settings.routes) {
    const kind = ctx.providerKinds[route.provider];
    if (kind === 'sandbox' && ctx.environment === 'production' && !settings.allowSandbox)
      problems.push(`routes: "${route.provider}" is a sandbox; a production merchant needs allowSandbox to use it`);
  }
  return problems.length ? { ok: false, reason: problems.join('; ') } : { ok: true, settings };
}

export function isLocalHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/** Why a return/fail URL is not acceptable for this merchant, or null when it is. */
export function returnUrlProblem(settings: MerchantSettings, raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol === 'https:' || url.protocol === 'http:') {
    if (url.protocol === 'http:' && !isLocalHost(url.hostname)) return 'must be https';
    return settings.returnOrigins.includes(url.origin) ? null : `origin ${url.origin} is not allowed for this merchant`;
  }
  const scheme = url.protocol.slice(0, -1);
  return settings.appSchemes.includes(scheme) ? null : `scheme ${scheme}: is not allowed for this merchant`;
}

/** The route a payout of this type takes: the named channel, else the first route of the type. */
export function findRoute(settings: MerchantSettings, type: 'card' | 'sbp', channel?: string): Route | undefined {
  if (!settings.payoutTypes.includes(type)) return undefined;
  return settings.routes.find((r) => r.type === type && (channel === undefined || r.channel === channel));
}
