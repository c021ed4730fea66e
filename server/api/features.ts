import type { Handler } from 'hono';
import type { Services } from '../services.ts';
import { findRoute } from '../merchants/settings.ts';
import type { ApiEnv } from './auth.ts';
import { ok } from './envelope.ts';
import { merchantHasDownloader } from '../portal/users.ts';

/** The Quantum Payouts API's features: card/SBP follow the merchant's configured routes, file_download its portal users. */
export function features(s: Services): Handler<ApiEnv> {
  return async (c) => {
    const settings = c.get('merchant').settings;
    return ok(c, {
      system: 'payouts',
      environment: s.config.environment,
      version: 'v1',
      timestamp: Math.floor(s.clock.now() / 1000),
      features: {
        single_payout: true,
        // Batch CSVs in the portal; results download for its owners and admins.
        batch_processing: true,
        bearer_auth: true,
        card_payouts: Boolean(findRoute(settings, 'card')),
        sbp_payouts: Boolean(findRoute(settings, 'sbp')),
        file_download: await merchantHasDownloader(s.db, c.get('merchant').id),
      },
    });
  };
}
