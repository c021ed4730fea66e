// Per-merchant settings, validated whenever they are written or read.
import * as v from 'valibot';
import { PAYOUT_TYPES } from '../../src/contract/status.ts';

const HttpsOrigin = v.pipe(
  v.string(),
  v.url('must be an absolute URL'),
  v.check((s) => {
    // Runs even when v.url above failed: an unparsable value is simply not acceptable.
    if (!URL.canParse(s)) return false;
    const u = new URL(s);
    return u.protocol === 'https:' || (u.protocol === 'http:' && isLocalHost(u.hostname));
  }, 'must be https (plain http only for localhost)'),
  v.transform((s) => new URL(s).origin),
);

const AppScheme = v.pipe(
  v.string(),
  v.regex(/^[a-z][a-z0-9+.-]{1,31}$/, 'must be a URL scheme such as myapp'),
  v.check(
    (s) => !['http', 'https', 'javascript', 'data', 'file', 'blob', 'vbscript', 'about'].includes(s),
    'is not an app scheme',
  ),
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
  displayName: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80))),
  logoUrl: v.optional(
    v.pipe(
      v.string(),
      v.url('must be an absolute URL'),
      v.check((s) => /^https?:/.test(s), 'must be an http(s) URL'),
    ),
  ),
  accentColor: v.optional(v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'must be #rrggbb'))),
  returnOrigins: v.optional(v.array(HttpsOrigin), []),
  appSchemes: v.optional(v.array(AppScheme), []),
  frameAncestors: v.optional(v.array(HttpsOrigin), []),
  webhook: v.optional(
    v.strictObject({
      url: v.optional(v.pipe(v.string(), v.url('must be an absolute URL'))),
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
  /** Report `refunded` as a status (Payee's extended set) instead of the Quantum Payouts API's six. */
  extendedStatuses: v.optional(v.boolean(), false),
});
export type MerchantSettings = v.InferOutput<typeof MerchantSettingsSchema>;

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
