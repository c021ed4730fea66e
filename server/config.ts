// Service configuration: environment variables, optionally one JSON config file
// (PAYEE_CONFIG). Validated once at start; a wrong value stops the service with
// a message that names it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as v from 'valibot';

const ENVIRONMENTS = ['development', 'uat', 'production'] as const;
/** Where the PAYEE_CRASH_AT test hook may kill the process during a submission. */
export const CRASH_POINTS = ['before_submit', 'after_submit', 'after_commit'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const Port = v.pipe(
  v.string(),
  v.regex(/^\d{1,5}$/, 'must be a port number'),
  v.transform(Number),
  v.maxValue(65535, 'must be at most 65535'),
);
const Bool = v.pipe(
  v.picklist(['0', '1', 'true', 'false', 'yes', 'no'], 'must be 0/1, true/false or yes/no'),
  v.transform((s) => s === '1' || s === 'true' || s === 'yes'),
);
const Ms = v.pipe(v.string(), v.regex(/^\d{1,9}$/, 'must be a whole number of milliseconds'), v.transform(Number));

const Count = v.pipe(
  v.string(),
  v.regex(/^[1-9]\d{0,5}$/, 'must be a whole number from 1 to 999999'),
  v.transform(Number),
);

const Origin = v.pipe(
  v.string(),
  v.url('must be an absolute URL'),
  v.transform((s) => new URL(s).origin),
);

/** A provider instance: a named adapter kind with its own options and credentials. */
export const ProviderInstanceSchema = v.looseObject({
  kind: v.pipe(v.string(), v.nonEmpty()),
});
export type ProviderInstanceConfig = v.InferOutput<typeof ProviderInstanceSchema>;

const FileSchema = v.strictObject({
  port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535))),
  host: v.optional(v.string()),
  publicUrl: v.optional(v.pipe(v.string(), v.url('must be an absolute URL'))),
  dataDir: v.optional(v.string()),
  environment: v.optional(v.picklist(ENVIRONMENTS)),
  logLevel: v.optional(v.picklist(LOG_LEVELS)),
  demo: v.optional(v.boolean()),
  /** Prometheus metrics at GET /metrics on this port (off when absent). */
  metricsPort: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535))),
  metricsHost: v.optional(v.pipe(v.string(), v.nonEmpty())),
  /** Named provider instances; in development a `sandbox` instance exists unless redefined. */
  providers: v.optional(v.record(v.pipe(v.string(), v.regex(/^[a-z0-9_-]{1,32}$/)), ProviderInstanceSchema)),
  /** Secret keys (base64, 32 bytes) by key id; the last listed is current. */
  keys: v.optional(v.record(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,32}$/)), v.string())),
  currentKeyId: v.optional(v.string()),
  /** Key (base64, 32 bytes) for the card/phone fingerprints; it never rotates. */
  fingerprintKey: v.optional(v.string()),
  /** Production takes a sandbox-kind provider instance only with this set. */
  allowSandbox: v.optional(v.boolean()),
});

const EnvSchema = v.object({
  PORT: v.optional(Port),
  HOST: v.optional(v.pipe(v.string(), v.nonEmpty())),
  PUBLIC_URL: v.optional(Origin),
  DATA_DIR: v.optional(v.pipe(v.string(), v.nonEmpty())),
  /** postgres://…: keep everything in that PostgreSQL database (any number of instances). */
  DATABASE_URL: v.optional(
    v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')),
  ),
  PAYEE_ENV: v.optional(v.picklist(ENVIRONMENTS, 'must be development, uat or production')),
  LOG_LEVEL: v.optional(v.picklist(LOG_LEVELS)),
  PAYEE_DEMO: v.optional(Bool),
  PAYEE_CONFIG: v.optional(v.string()),
  /** Prometheus metrics at GET /metrics on this port, apart from the public one; off when unset. */
  METRICS_PORT: v.optional(Port),
  /** Address of the metrics port (default: HOST). */
  METRICS_HOST: v.optional(v.pipe(v.string(), v.nonEmpty())),
  /** JSON object {keyId: base64Key}; overrides the file's keys. */
  PAYEE_KEYS: v.optional(v.string()),
  PAYEE_CURRENT_KEY_ID: v.optional(v.string()),
  PAYEE_FINGERPRINT_KEY: v.optional(v.string()),
  /** How often the workers look for due work (status sync, session sweep, webhook outbox). */
  PAYEE_WORKER_TICK_MS: v.optional(Ms, '1000'),
  /** First status check after a submission; doubles on every check up to PAYEE_SYNC_MAX_MS. */
  PAYEE_SYNC_FIRST_MS: v.optional(Ms, '5000'),
  PAYEE_SYNC_MAX_MS: v.optional(Ms, '600000'),
  /** Attempts per payout when the provider confirms it never received one. */
  PAYEE_MAX_ATTEMPTS: v.optional(v.pipe(v.string(), v.regex(/^[1-9]$/, 'must be 1-9'), v.transform(Number)), '3'),
  /** Per webhook delivery attempt. */
  PAYEE_WEBHOOK_TIMEOUT_MS: v.optional(Ms, '10000'),
  /** How long a provider call may take before its outcome counts as unknown. */
  PAYEE_PROVIDER_TIMEOUT_MS: v.optional(Ms, '60000'),
  /** A payout still without a final answer this long after its first submission goes to review. */
  PAYEE_REVIEW_AFTER_MS: v.optional(Ms, '86400000'),
  /** How long an instance holds a claimed piece of background work before another may take it over. */
  PAYEE_LEASE_MS: v.optional(Ms, '180000'),
  /** Test hooks (server/engine/test-hooks.ts), development only. */
  PAYEE_CRASH_AT: v.optional(v.picklist(CRASH_POINTS, `must be one of ${CRASH_POINTS.join(', ')}`)),
  PAYEE_CLOCK_OFFSET_FILE: v.optional(v.pipe(v.string(), v.nonEmpty('must be a file path'))),
  /** Webhooks and hand-offs may reach loopback hosts (on by default in development only). */
  PAYEE_ALLOW_LOOPBACK_TARGETS: v.optional(Bool),
  /** Production takes a sandbox-kind provider instance only with this set. */
  PAYEE_ALLOW_SANDBOX: v.optional(Bool),
  /** Merchant API requests per second per merchant (a merchant's apiRatePerSecond overrides it), and the burst. */
  PAYEE_API_RATE: v.optional(Count, '30'),
  PAYEE_API_BURST: v.optional(Count),
  /** Hours a card number stays in the vault after the last payout using it became final. */
  PAYEE_PAN_RETENTION_HOURS: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,6}$/, 'must be a whole number of hours'), v.transform(Number)),
    '168',
  ),
  /** Open connections one client address may hold. */
  PAYEE_MAX_CONNECTIONS_PER_ADDRESS: v.optional(Count, '64'),
  /** A proxy of ours stands in front: the client address is the last X-Forwarded-For entry. */
  PAYEE_TRUST_PROXY: v.optional(Bool),
});

/** Timing of the engine's background work (the README's engine settings table). */
export interface EngineSettings {
  tickMs: number;
  syncFirstMs: number;
  syncMaxMs: number;
  maxAttempts: number;
  webhookTimeoutMs: number;
  providerTimeoutMs: number;
  reviewAfterMs: number;
  /** Longer than any one provider call or webhook attempt, so a live holder never loses its work. */
  leaseMs: number;
}

export interface LimitRule {
  perSecond: number;
  burst: number;
}

/** Abuse limits (server/limits); the page's are fixed, the API's per merchant. */
export interface Limits {
  api: LimitRule;
  /** Recipient-page posts to one link. */
  pagePostPerLink: LimitRule;
  /** Recipient-page posts from one client address. */
  pagePostPerAddress: LimitRule;
  /** Look-ups of links that do not exist, from one client address. */
  unknownLinkPerAddress: LimitRule;
  connectionsPerAddress: number;
  trustProxy: boolean;
}

export interface Config {
  port: number;
  host: string;
  /** Origin put into payoutUrl; when not configured, http://localhost:<listening port>, set at start. */
  publicUrl: string;
  dataDir: string;
  /** PostgreSQL instead of the SQLite file in dataDir. */
  databaseUrl?: string;
  environment: (typeof ENVIRONMENTS)[number];
  logLevel: string;
  demo: boolean;
  /** Where GET /metrics answers; absent: metrics are not served. */
  metrics?: { port: number; host: string };
  providers: Record<string, ProviderInstanceConfig>;
  /** `fingerprint` absent: derived from the first key (development only). */
  keys?: { byId: Record<string, string>; currentKeyId: string; fingerprint?: string };
  engine: EngineSettings;
  limits: Limits;
  retention: { panHours: number };
  /** Merchant- and provider-supplied URLs we call (server/net). */
  outbound: { allowLoopback: boolean };
  /** Set only in development, for fault and clock tests. */
  testHooks: { crashAt?: CrashPoint; clockOffsetFile?: string };
}

export class ConfigError extends Error {}

function issuesText(issues: v.BaseIssue<unknown>[]): string {
  return issues.map((i) => `${v.getDotPath(i) ?? ''}: ${i.message}`).join('; ');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = v.safeParse(EnvSchema, env);
  if (!e.success) throw new ConfigError(`invalid environment: ${issuesText(e.issues)}`);
  const vars = e.output;

  let file: v.InferOutput<typeof FileSchema> = {};
  if (vars.PAYEE_CONFIG) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(vars.PAYEE_CONFIG, 'utf8'));
    } catch (err) {
      throw new ConfigError(`PAYEE_CONFIG ${vars.PAYEE_CONFIG}: ${(err as Error).message}`);
    }
    const f = v.safeParse(FileSchema, raw);
    if (!f.success) throw new ConfigError(`invalid config file ${vars.PAYEE_CONFIG}: ${issuesText(f.issues)}`);
    file = f.output;
  }

  const port = vars.PORT ?? file.port ?? 3000;
  const host = vars.HOST ?? file.host ?? '127.0.0.1';
  const metricsPort = vars.METRICS_PORT ?? file.metricsPort;
  const metrics =
    metricsPort === undefined ? undefined : { port: metricsPort, host: vars.METRICS_HOST ?? file.metricsHost ?? host };
  if (metrics && metrics.port !== 0 && metrics.port === port && metrics.host === host)
    throw new ConfigError(`METRICS_PORT ${metrics.port}: must differ from PORT`);
  const environment = vars.PAYEE_ENV ?? file.environment ?? 'development';
  const configuredUrl = vars.PUBLIC_URL ?? file.publicUrl;
  const publicUrl = configuredUrl ? new URL(configuredUrl).origin : '';

  let keys: Config['keys'];
  const keyMap = vars.PAYEE_KEYS ? parseKeys(vars.PAYEE_KEYS) : file.keys;
  if (keyMap && Object.keys(keyMap).length > 0) {
    const ids = Object.keys(keyMap);
    const currentKeyId = vars.PAYEE_CURRENT_KEY_ID ?? file.currentKeyId ?? ids[ids.length - 1]!;
    if (!keyMap[currentKeyId]) throw new ConfigError(`current key id "${currentKeyId}" is not among the keys`);
    for (const [id, b64] of Object.entries(keyMap)) {
      if (Buffer.from(b64, 'base64').length !== 32) throw new ConfigError(`key "${id}" must be 32 bytes in base64`);
    }
    const fingerprint = vars.PAYEE_FINGERPRINT_KEY ?? file.fingerprintKey;
    if (fingerprint !== undefined && Buffer.from(fingerprint, 'base64').length !== 32) {
      throw new ConfigError('the fingerprint key (PAYEE_FINGERPRINT_KEY) must be 32 bytes in base64');
    }
    keys = { byId: keyMap, currentKeyId, fingerprint };
  } else if (vars.PAYEE_FINGERPRINT_KEY ?? file.fingerprintKey) {
    throw new ConfigError('a fingerprint key is given without keys: set PAYEE_KEYS or "keys" in the config file too');
  }
  const { PAYEE_LEASE_MS: leaseMs, PAYEE_PROVIDER_TIMEOUT_MS: providerMs, PAYEE_WEBHOOK_TIMEOUT_MS: webhookMs } = vars;
  if (leaseMs <= Math.max(providerMs, webhookMs))
    throw new ConfigError(
      `PAYEE_LEASE_MS (${leaseMs}) must be longer than PAYEE_PROVIDER_TIMEOUT_MS (${providerMs}) and PAYEE_WEBHOOK_TIMEOUT_MS (${webhookMs})`,
    );
  const hooks = (['PAYEE_CRASH_AT', 'PAYEE_CLOCK_OFFSET_FILE'] as const).filter((name) => vars[name]);
  if (hooks.length && environment !== 'development')
    throw new ConfigError(`${hooks.join(', ')}: test hooks are refused outside development (PAYEE_ENV=${environment})`);
  const demo = vars.PAYEE_DEMO ?? file.demo ?? environment === 'development';
  // The built-in sandbox answers "success" to anything: it exists by itself only in development.
  const providers =
    environment === 'development' ? { sandbox: { kind: 'sandbox' }, ...file.providers } : { ...file.providers };
  if (environment === 'production') {
    if (demo) throw new ConfigError('PAYEE_DEMO: the demo is refused in production');
    const sandboxes = Object.entries(providers).filter(([, p]) => p.kind === 'sandbox');
    if (sandboxes.length && !(vars.PAYEE_ALLOW_SANDBOX ?? file.allowSandbox))
      throw new ConfigError(
        `provider "${sandboxes[0]![0]}" is a sandbox: production takes one only with PAYEE_ALLOW_SANDBOX=1 or "allowSandbox": true`,
      );
    if (!keys) throw new ConfigError('production needs keys: set PAYEE_KEYS or "keys" in the config file');
    // Derived from a key, the fingerprints would change (and duplicates stop matching) once that key is retired.
    if (!keys.fingerprint)
      throw new ConfigError(
        'production needs a fingerprint key: set PAYEE_FINGERPRINT_KEY or "fingerprintKey" in the config file',
      );
    if (!publicUrl.startsWith('https://')) throw new ConfigError('production needs an https PUBLIC_URL');
    const weak = weakKeyProblem(keys);
    if (weak) throw new ConfigError(`production refuses weak keys: ${weak}`);
  }

  return {
    port,
    host,
    publicUrl,
    dataDir: resolve(vars.DATA_DIR ?? file.dataDir ?? './data'),
    databaseUrl: vars.DATABASE_URL,
    environment,
    logLevel: vars.LOG_LEVEL ?? file.logLevel ?? 'info',
    demo,
    metrics,
    providers,
    keys,
    engine: {
      tickMs: Math.max(10, vars.PAYEE_WORKER_TICK_MS),
      syncFirstMs: vars.PAYEE_SYNC_FIRST_MS,
      syncMaxMs: Math.max(vars.PAYEE_SYNC_FIRST_MS, vars.PAYEE_SYNC_MAX_MS),
      maxAttempts: vars.PAYEE_MAX_ATTEMPTS,
      webhookTimeoutMs: vars.PAYEE_WEBHOOK_TIMEOUT_MS,
      providerTimeoutMs: vars.PAYEE_PROVIDER_TIMEOUT_MS,
      reviewAfterMs: vars.PAYEE_REVIEW_AFTER_MS,
      leaseMs,
    },
    limits: {
      api: { perSecond: vars.PAYEE_API_RATE, burst: vars.PAYEE_API_BURST ?? 2 * vars.PAYEE_API_RATE },
      pagePostPerLink: { perSecond: 1 / 6, burst: 10 },
      pagePostPerAddress: { perSecond: 5, burst: 100 },
      unknownLinkPerAddress: { perSecond: 1, burst: 50 },
      connectionsPerAddress: vars.PAYEE_MAX_CONNECTIONS_PER_ADDRESS,
      trustProxy: vars.PAYEE_TRUST_PROXY ?? false,
    },
    retention: { panHours: vars.PAYEE_PAN_RETENTION_HOURS },
    outbound: { allowLoopback: vars.PAYEE_ALLOW_LOOPBACK_TARGETS ?? environment === 'development' },
    testHooks: { crashAt: vars.PAYEE_CRASH_AT, clockOffsetFile: vars.PAYEE_CLOCK_OFFSET_FILE },
  };
}

/**
 * A key that is not random: all one byte (all-zero included), a short pattern repeated
 * (fewer than 12 distinct bytes of 32; random keys have about 30), one key under two ids,
 * or a fingerprint key equal to an encryption key.
 */
export function weakKeyProblem(keys: NonNullable<Config['keys']>): string | null {
  const seen = new Map<string, string>();
  const all: Array<[string, string]> = [
    ...Object.entries(keys.byId).map(([id, k]): [string, string] => [`key "${id}"`, k]),
  ];
  if (keys.fingerprint) all.push(['the fingerprint key', keys.fingerprint]);
  for (const [name, b64] of all) {
    const bytes = Buffer.from(b64, 'base64');
    if (new Set(bytes).size < 12) return `${name} is not random (repeated bytes)`;
    const hex = bytes.toString('hex');
    const twin = seen.get(hex);
    if (twin) return `${name} is the same as ${twin}`;
    seen.set(hex, name);
  }
  return null;
}

function parseKeys(json: string): Record<string, string> {
  try {
    return v.parse(v.record(v.string(), v.string()), JSON.parse(json));
  } catch {
    throw new ConfigError('PAYEE_KEYS must be a JSON object {"keyId": "base64 key"}');
  }
}
