// The address a request comes from, for per-address limits: the socket's peer, or the
// last X-Forwarded-For entry when the operator says a proxy of theirs stands in front.
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // A request made in process (app.request) has no socket.
    return 'in-process';
  }
}
