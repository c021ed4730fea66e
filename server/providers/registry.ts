// The provider instances this service can pay out through, built once at start from
// `config.providers` ({ "<instance>": { "kind": "<adapter kind>", ...options } }).
//
// To add an adapter kind: one import and one entry in FACTORIES. A factory validates
// its own options (valibot) and throws an Error that names the wrong option; start()
// then stops with `provider "<instance>" (<kind>): <message>`.
import type { Config } from '../config.ts';
import { ConfigError } from '../config.ts';
import type { AdapterDeps, AdapterFactory, ProviderAdapter } from './types.ts';
import { sandboxFactory } from './sandbox/index.ts';
import { bank131Factory } from './bank131/index.ts';
import { p2pFactory } from './p2p/index.ts';
import { quantumFactory } from './quantum/index.ts';
import { platformFactory } from './platform/index.ts';

export interface ProviderRegistry {
  /** The adapter of a configured instance (the `provider` of a merchant route). */
  get(instance: string): ProviderAdapter | undefined;
  all(): ProviderAdapter[];
  /** Releases what adapters hold open (files, timers); called when the service stops. */
  close(): void;
}

export const FACTORIES: Record<string, AdapterFactory> = {
  sandbox: sandboxFactory,
  bank131: bank131Factory,
  p2p: p2pFactory,
  quantum: quantumFactory,
  platform: platformFactory,
};

/** What every adapter gets besides its instance name and options. */
export type RegistryDeps = Omit<AdapterDeps, 'instance' | 'options'>;

/** Our callback endpoint for an instance: POST <publicUrl>/callbacks/<instance>[/<anything>]. */
export function callbackUrl(publicUrl: string, instance: string): string {
  return `${publicUrl}/callbacks/${instance}`;
}

export function createRegistry(config: Pick<Config, 'providers'>, deps: RegistryDeps): ProviderRegistry {
  const adapters = new Map<string, ProviderAdapter>();
  for (const [instance, { kind, ...options }] of Object.entries(config.providers)) {
    const factory = FACTORIES[kind];
    if (!factory) {
      throw new ConfigError(
        `provider "${instance}": unknown kind "${kind}" (known: ${Object.keys(FACTORIES).join(', ')})`,
      );
    }
    try {
      // On deps' prototype chain rather than copied: its getters (publicUrl, db) stay live.
      adapters.set(instance, factory.create(Object.assign(Object.create(deps) as RegistryDeps, { instance, options })));
    } catch (err) {
      throw new ConfigError(`provider "${instance}" (${kind}): ${(err as Error).message}`);
    }
  }
  return {
    get: (instance) => adapters.get(instance),
    all: () => [...adapters.values()],
    close: () => {
      for (const a of adapters.values()) a.close?.();
    },
  };
}
