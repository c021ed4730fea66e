// Configuration of a payments platform instance, validated at start.
import * as v from 'valibot';
import { EnvName, HttpUrl, Int, parseOptions, readSecret, RequestTimeoutMs } from '../options.ts';

export const PlatformOptionsSchema = v.strictObject({
  /** The platform's origin; /api/payments is added. */
  baseUrl: HttpUrl,
  /** A token with the "Payout" checkbox enabled. */
  tokenFile: v.optional(v.string()),
  tokenEnv: v.optional(EnvName),
  /** The methods the platform's form offers for this account (it collects them, not us). */
  methods: v.optional(v.pipe(v.array(v.picklist(['card', 'sbp'])), v.minLength(1)), ['card']),
  /** The header carrying the webhook signature. */
  signatureHeader: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name')),
    'X-Signature',
  ),
  requestTimeoutMs: RequestTimeoutMs,
  minAmount: v.optional(Int(1, 1e13), 100),
  maxAmount: v.optional(Int(1, 1e13), 100_000_000),
});
export type PlatformOptions = v.InferOutput<typeof PlatformOptionsSchema> & { token: string };

export function loadPlatformOptions(raw: unknown): PlatformOptions {
  const o = parseOptions(PlatformOptionsSchema, raw);
  if (o.minAmount > o.maxAmount) throw new Error('options.minAmount: must not exceed maxAmount');
  return { ...o, token: readSecret({ file: o.tokenFile, env: o.tokenEnv }, 'token') };
}
