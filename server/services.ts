// What the handlers and the engine are given: one place to build it, one type to pass.
import type { Config } from './config.ts';
import type { Db } from './db/index.ts';
import type { Keyring } from './vault/keyring.ts';
import type { Logger } from './log.ts';
import type { Clock } from './clock.ts';
import type { LimitStore } from './limits/store.ts';
import type { ProviderRegistry } from './providers/registry.ts';
import type { Metrics } from './metrics/metrics.ts';

export interface Services {
  config: Config;
  db: Db;
  keyring: Keyring;
  log: Logger;
  clock: Clock;
  /** Configured provider instances (config.providers), by instance name. */
  providers: ProviderRegistry;
  /** Rate-limit counters (server/limits). */
  limits: LimitStore;
  metrics: Metrics;
}
