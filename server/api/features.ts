import type { Handler } from 'hono';
import type { Services } from '../services.ts';
import { findRoute } from '../merchants/settings.ts';
import type { ApiEnv } from './auth.ts';
import { ok } from './envelope.ts';

/** The Quantum Payouts API's features: card/SBP follow the merchant's configured routes. */
export function features(s: Services): Handler<ApiEnv> {
  return (c) => {
    const settings = c.get('merchant').settings;
    return ok(c, {
      system: 'payouts',
      environment: s.config.environment,
      version: 'v1',
      timestamp: Math.floor(s.clock.now() / 1000),
      features: {
        single_payout: true,
        batch_processing: false,
        bearer_auth: true,
        card_payouts: Boolean(findRoute(settings, 'card')),
        sbp_payouts: Boolean(findRoute(settings, 'sbp')),
        file_download: false,
      },
    });
  };
}
