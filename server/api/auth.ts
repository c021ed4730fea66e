// Bearer-token authentication for the merchant API.
import type { MiddlewareHandler } from 'hono';
import type { Services } from '../services.ts';
import { findMerchantByToken, type Merchant } from '../merchants/store.ts';
import { fail } from './envelope.ts';
import { retryAfterSeconds } from '../limits/store.ts';

export type ApiEnv = { Variables: { merchant: Merchant } };

export function requireMerchant(s: Services): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    const merchant = m ? await findMerchantByToken(s.db, m[1]!) : undefined;
    if (!merchant) return fail(c, 'UNAUTHORIZED', 'Invalid or missing Bearer token');
    if (!merchant.active) return fail(c, 'PERMISSION_DENIED', 'This merchant is disabled');
    c.set('merchant', merchant);
    await next();
  };
}

/** Seed 000 asks clients to stay under 30 requests a second: each merchant gets its rate, with a burst. */
export function merchantRateLimit(s: Services): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const { settings, id } = c.var.merchant;
    const rule = settings.apiRatePerSecond
      ? { perSecond: settings.apiRatePerSecond, burst: 2 * settings.apiRatePerSecond }
      : s.config.limits.api;
    // Wall time, not the service clock: limits are about real request rates.
    const waitMs = await s.limits.take(`api:${id}`, rule, Date.now());
    if (waitMs > 0) {
      c.header('Retry-After', retryAfterSeconds(waitMs));
      return fail(c, 'RATE_LIMITED', `too many requests; retry in ${retryAfterSeconds(waitMs)} s`);
    }
    await next();
  };
}
