// The address a request comes from, for per-address limits: the socket's peer, or the
// last X-Forwarded-For entry when the operator says a proxy of theirs stands in front.
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export function clientAddress(c: Context, trustProxy: boolean): string {
  const forwarded = forwardedAddress(c.req.header('x-forwarded-for'), trustProxy);
  if (forwarded) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // A request made in process (app.request) has no socket.
    return 'in-process';
  }
}

/** The last X-Forwarded-For entry, when the operator trusts a proxy of theirs in front. */
export function forwardedAddress(header: string | undefined, trustProxy: boolean): string | undefined {
  if (!trustProxy) return undefined;
  return header?.split(',').at(-1)?.trim().slice(0, 64) || undefined;
}
