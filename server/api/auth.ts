// Bearer-token authentication for the merchant API.
import type { MiddlewareHandler } from 'hono';
import type { Services } from '../services.ts';
import { findMerchantByToken, type Merchant } from '../merchants/store.ts';
import { fail } from './envelope.ts';

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
