// Provider calls timed and counted by outcome, around every configured adapter: the engine and
// the adapters stay as they are.
import type { ProviderAdapter } from '../providers/types.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { Metrics } from './metrics.ts';

const TIMED = new Set(['submit', 'status', 'cancel']);

function timed(adapter: ProviderAdapter, metrics: Metrics): ProviderAdapter {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(adapter, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (!wrapped.has(prop)) {
        const call = value.bind(target);
        wrapped.set(
          prop,
          !TIMED.has(String(prop))
            ? call
            : async (...args: unknown[]) => {
                const end = metrics.providerCalls.startTimer({
                  provider: target.instance,
                  kind: target.kind,
                  operation: String(prop),
                });
                try {
                  const result = await call(...args);
                  end({ outcome: (result as { status?: string } | undefined)?.status ?? 'ok' });
                  return result;
                } catch (err) {
                  end({ outcome: 'error' });
                  throw err;
                }
              },
        );
      }
      return wrapped.get(prop);
    },
  });
}

export function instrumentProviders(registry: ProviderRegistry, metrics: Metrics): ProviderRegistry {
  const adapters = new Map(registry.all().map((a) => [a.instance, timed(a, metrics)]));
  return {
    get: (instance) => adapters.get(instance),
    all: () => [...adapters.values()],
    close: () => registry.close(),
  };
}
