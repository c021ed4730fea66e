// Hono's bodyLimit, minus one cost: it reads `c.req.raw.body`, which makes
// @hono/node-server build a full web Request (streams, AbortSignal) for every request
// with a body, where `c.req.text()` would otherwise read the socket directly. A body of
// declared length is judged by its Content-Length header (Node's parser holds the body
// to it); a chunked one goes through Hono's own counting.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit as countingBodyLimit } from 'hono/body-limit';

export interface BodyLimitOptions {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}

export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  const counting = countingBodyLimit(options);
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counting(c, next);
    if (parseInt(length, 10) > options.maxSize) return options.onError(c);
    await next();
  };
}
