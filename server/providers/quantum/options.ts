// Configuration of a Quantum upstream account instance, validated at start.
import * as v from 'valibot';
import { EnvName, HttpUrl, Int, parseOptions, readSecret, RequestTimeoutMs } from '../options.ts';

export const QuantumOptionsSchema = v.strictObject({
  /** The API base, e.g. https://payouts.example/api/v1 */
  baseUrl: HttpUrl,
  tokenFile: v.optional(v.string()),
  tokenEnv: v.optional(EnvName),
  /** The account's webhook secret; without one, webhooks are refused and status is polled. */
  webhookSecretFile: v.optional(v.string()),
  webhookSecretEnv: v.optional(EnvName),
  requestTimeoutMs: RequestTimeoutMs,
  /** How long an answer of `features` is trusted before it is asked again. */
  featuresTtlMs: v.optional(Int(1000, 86_400_000), 600_000),
  /** performPayout requires a description; used when the payout has none. */
  defaultDescription: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(600)), 'Payout'),
  minAmount: v.optional(Int(1, 999_999_999_999), 1),
  maxAmount: v.optional(Int(1, 999_999_999_999), 999_999_999_999),
  /** Requests per second to the account, all kinds together (the account allows 30). */
  requestsPerSecond: v.optional(Int(1, 30), 30),
  /** A throttled (429) or failing (5xx) request is tried again this many times, backing off. */
  retries: v.optional(Int(0, 10), 3),
  /** The first back-off; each next one doubles (a Retry-After from the account wins when longer). */
  retryBackoffMs: v.optional(Int(10, 60_000), 250),
});
export type QuantumOptions = v.InferOutput<typeof QuantumOptionsSchema> & {
  token: string;
  webhookSecret: string | null;
};

export function loadQuantumOptions(raw: unknown): QuantumOptions {
  const o = parseOptions(QuantumOptionsSchema, raw);
  if (o.minAmount > o.maxAmount) throw new Error('options.minAmount: must not exceed maxAmount');
  const token = readSecret({ file: o.tokenFile, env: o.tokenEnv }, 'token');
  const secretGiven = o.webhookSecretFile || o.webhookSecretEnv;
  const webhookSecret = secretGiven
    ? readSecret({ file: o.webhookSecretFile, env: o.webhookSecretEnv }, 'webhookSecret')
    : null;
  return { ...o, token, webhookSecret };
}
