// POST /callbacks/<instance>[/<anything>]: providers' notifications. The raw body and
// headers go to the instance's adapter (handleCallback), which checks the signature
// over the exact bytes and says what changed; the engine applies that like any other
// provider answer (guarded transitions, webhooks to the merchant).
import { Hono, type Context } from 'hono';
import { bodyLimit } from '../http/body-limit.ts';
import type { Services } from '../services.ts';
import type { AdapterHost, PayoutRef } from '../providers/types.ts';
import { duplicateKey } from '../http/json.ts';
import { applyCallbackUpdate, findPayoutByRef } from '../engine/callbacks.ts';

export const CALLBACK_BODY_LIMIT = 64 * 1024;

export function callbackRoutes(s: Services): Hono {
  const app = new Hono();
  app.use('*', bodyLimit({ maxSize: CALLBACK_BODY_LIMIT, onError: (c) => c.text('body too large', 413) }));
  const handle = (c: Context) => receive(s, c);
  app.post('/:instance', handle);
  app.post('/:instance/*', handle);
  app.all('*', (c) => c.text('callbacks are POST /callbacks/<provider instance>', 405));
  return app;
}

async function receive(s: Services, c: Context): Promise<Response> {
  const instance = c.req.param('instance') ?? '';
  const adapter = s.providers.get(instance);
  if (!adapter?.handleCallback) return c.text('unknown provider instance', 404);

  const url = new URL(c.req.url);
  const prefix = `/callbacks/${instance}`;
  const pathTail = url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length + 1) : '';
  const rawBody = await c.req.text();
  // Whatever the adapter's parser would make of a key given twice, it is not taken.
  const dup = /^\s*[[{]/.test(rawBody) ? duplicateKey(rawBody) : undefined;
  if (dup !== undefined) {
    s.log.warn({ instance, key: dup }, 'callback refused: a key given twice');
    return c.text(`the key "${dup}" is given twice`, 400);
  }
  const host: AdapterHost = {
    async payoutStatus(ref: Partial<PayoutRef>) {
      const p = await findPayoutByRef(s, instance, ref);
      return p && { status: p.status, orderId: p.order_id, withdrawRequested: p.withdraw_requested_at !== null };
    },
  };
  const result = await adapter.handleCallback(
    { headers: c.req.raw.headers, rawBody, query: url.searchParams, pathTail },
    host,
  );
  if (!result.accepted) {
    s.log.warn({ instance, httpStatus: result.httpStatus, reason: result.reason }, 'callback refused');
    return c.text(result.reason, result.httpStatus as 400);
  }
  for (const update of result.updates) {
    const applied = await applyCallbackUpdate(s, instance, update);
    s.log.info(
      {
        instance,
        orderId: applied?.orderId,
        reported: update.outcome.status,
        status: applied?.status ?? 'unknown payout',
      },
      'callback applied',
    );
  }
  const r = result.response;
  if (!r) return c.text('OK', 200);
  return new Response(r.body ?? null, {
    status: r.status,
    headers: r.contentType ? { 'content-type': r.contentType } : {},
  });
}
