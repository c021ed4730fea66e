// Timing of the engine's background workers, from the environment (documented in the
// README's configuration table). Defaults suit production; tests shorten them.
import * as v from 'valibot';
import { ConfigError } from '../config.ts';

const Ms = v.pipe(v.string(), v.regex(/^\d{1,9}$/, 'must be a whole number of milliseconds'), v.transform(Number));

const EnvSchema = v.object({
  /** How often the workers look for due work (status sync, session sweep, webhook outbox). */
  PAYEE_WORKER_TICK_MS: v.optional(Ms, '1000'),
  /** First status check after a submission; doubles on every check up to PAYEE_SYNC_MAX_MS. */
  PAYEE_SYNC_FIRST_MS: v.optional(Ms, '5000'),
  PAYEE_SYNC_MAX_MS: v.optional(Ms, '600000'),
  /** Attempts per payout when the provider confirms it never received one (then `failed`). */
  PAYEE_MAX_ATTEMPTS: v.optional(v.pipe(v.string(), v.regex(/^[1-9]$/, 'must be 1-9'), v.transform(Number)), '3'),
  /** Per webhook delivery attempt. */
  PAYEE_WEBHOOK_TIMEOUT_MS: v.optional(Ms, '10000'),
  /** How long a provider call may take before its outcome counts as unknown. */
  PAYEE_PROVIDER_TIMEOUT_MS: v.optional(Ms, '60000'),
});

export interface EngineSettings {
  tickMs: number;
  syncFirstMs: number;
  syncMaxMs: number;
  maxAttempts: number;
  webhookTimeoutMs: number;
  providerTimeoutMs: number;
}

let cached: EngineSettings | undefined;

export function engineSettings(env: NodeJS.ProcessEnv = process.env): EngineSettings {
  if (cached && env === process.env) return cached;
  const r = v.safeParse(EnvSchema, env);
  if (!r.success) throw new ConfigError(`invalid environment: ${r.issues.map((i) => `${v.getDotPath(i)}: ${i.message}`).join('; ')}`);
  const o = r.output;
  const settings = {
    tickMs: Math.max(10, o.PAYEE_WORKER_TICK_MS),
    syncFirstMs: o.PAYEE_SYNC_FIRST_MS,
    syncMaxMs: Math.max(o.PAYEE_SYNC_FIRST_MS, o.PAYEE_SYNC_MAX_MS),
    maxAttempts: o.PAYEE_MAX_ATTEMPTS,
    webhookTimeoutMs: o.PAYEE_WEBHOOK_TIMEOUT_MS,
    providerTimeoutMs: o.PAYEE_PROVIDER_TIMEOUT_MS,
  };
  if (env === process.env) cached = settings;
  return settings;
}
