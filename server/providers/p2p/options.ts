// Configuration of a P2P gateway instance, validated at start.
import * as v from 'valibot';
import { EnvName, HttpUrl, Int, parseOptions, readSecret, RequestTimeoutMs } from '../options.ts';

const MINUTE = 60_000;

export const P2pOptionsSchema = v.strictObject({
  /** Gateway origin, e.g. https://gateway.example (paths /api/merchant/<merchant>/… are added). */
  baseUrl: HttpUrl,
  /** Our merchant name in the gateway's URLs. */
  merchant: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 _ . -')),
  signKeyFile: v.optional(v.string()),
  signKeyEnv: v.optional(EnvName),
  apiKeyFile: v.optional(v.string()),
  apiKeyEnv: v.optional(EnvName),
  /** Sent as the gateway's `timeout` (minutes the gateway may take). */
  payoutTimeoutMinutes: v.optional(Int(1, 24 * 60)),
  requestTimeoutMs: RequestTimeoutMs,
  /** Optional BIK per SBP bank id (our list has no BIKs; the gateway takes one "if available"). */
  bikByBankId: v.optional(
    v.record(
      v.pipe(v.string(), v.regex(/^\d{12}$/, 'must be a 12-digit SBP bank id')),
      v.pipe(v.string(), v.regex(/^\d{9}$/, 'must be a 9-digit BIK')),
    ),
    {},
  ),
  methods: v.optional(v.pipe(v.array(v.picklist(['card', 'sbp'])), v.minLength(1)), ['card', 'sbp']),
  minAmount: v.optional(Int(1, 1e12), 100),
  maxAmount: v.optional(Int(1, 1e12), 60_000_000),
  /**
   * The gateway asks not to be polled: its callbacks tell the result. A payout is asked
   * about only once its callback is overdue: this long after it was sent (by default the
   * order's `timeout` plus 5 minutes, or 65 minutes without one)…
   */
  statusAfterMs: v.optional(Int(0, 7 * 24 * 60 * MINUTE)),
  /** …then at most once per this interval per payout… */
  statusIntervalMs: v.optional(Int(0, 24 * 60 * MINUTE), 10 * MINUTE),
  /** …and at most this many status queries per minute for the whole instance. */
  statusPerMinute: v.optional(Int(1, 600), 6),
});
export type P2pOptions = v.InferOutput<typeof P2pOptionsSchema> & {
  signKey: string;
  apiKey: string;
  statusAfterMs: number;
};

export function loadP2pOptions(raw: unknown): P2pOptions {
  const o = parseOptions(P2pOptionsSchema, raw);
  if (o.minAmount > o.maxAmount) throw new Error('options.minAmount: must not exceed maxAmount');
  return {
    ...o,
    statusAfterMs: o.statusAfterMs ?? ((o.payoutTimeoutMinutes ?? 60) + 5) * MINUTE,
    signKey: readSecret({ file: o.signKeyFile, env: o.signKeyEnv }, 'signKey'),
    apiKey: readSecret({ file: o.apiKeyFile, env: o.apiKeyEnv }, 'apiKey'),
  };
}
