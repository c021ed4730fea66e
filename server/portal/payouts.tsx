import { Hono } from 'hono';
import type { Services } from '../services.ts';
import type { PortalEnv } from './middleware.ts';

export function payoutRoutes(_s: Services): Hono<PortalEnv> {
  const r = new Hono<PortalEnv>();
  r.get('/', (c) => c.redirect(`/portal/settings/api?lang=${c.var.locale}`, 303));
  return r;
}
