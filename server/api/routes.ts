// The merchant API under /api/v1, wire-compatible with the Quantum Payouts API.
import { Hono } from 'hono';
import { bodyLimit } from '../http/body-limit.ts';
import type { Services } from '../services.ts';
import { merchantRateLimit, requireMerchant, type ApiEnv } from './auth.ts';
import { createPayout } from './create-payout.ts';
import { fail } from './envelope.ts';
import { features } from './features.ts';
import { getPayoutStatus } from './get-payout-status.ts';
import { performPayout } from './perform-payout.ts';
import { webhookSave, webhookTest } from '../portal/webhook-api.ts';
import { openApiDocument } from './openapi.ts';

export const API_BODY_LIMIT = 32 * 1024;

export function apiRoutes(s: Services): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  api.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  api.use(
    '*',
    bodyLimit({
      maxSize: API_BODY_LIMIT,
      onError: (c) => {
        // The rest of the body is not read: this connection cannot carry another request.
        c.header('Connection', 'close');
        return fail(c, 'PAYLOAD_TOO_LARGE', `body must be at most ${API_BODY_LIMIT} bytes`);
      },
    }),
  );
  // The API's description, for anyone: answered before the Bearer check below.
  api.get('/openapi.json', (c) => c.json(openApiDocument()));
  // Portal-session endpoints, answered before the Bearer check below.
  api.post('/webhook_save', webhookSave(s));
  api.post('/webhook_test', webhookTest(s));
  api.use('*', requireMerchant(s));
  api.use('*', merchantRateLimit(s));
  api.post('/createPayout', createPayout(s));
  api.post('/getPayoutStatus', getPayoutStatus(s));
  api.post('/performPayout', performPayout(s));
  api.get('/features', features(s));
  for (const path of [
    '/createPayout',
    '/getPayoutStatus',
    '/performPayout',
    '/features',
    '/webhook_save',
    '/webhook_test',
  ]) {
    api.all(path, (c) => fail(c, 'METHOD_NOT_ALLOWED', `${c.req.method} is not allowed on ${path}`));
  }
  api.all('*', (c) => fail(c, 'NOT_FOUND', `no API endpoint ${c.req.path}`));
  return api;
}
