// What every answer gets besides its own headers, whichever way it is made (the app's first
// middleware, or the page's lean GET in server/page/lean-get.ts): HSTS in production, and
// the access log line with the duration metric.
import type { Logger } from '../log.ts';
import type { Services } from '../services.ts';

/** Browsers keep to https for our host for two years once they have seen it. */
export const HSTS = 'max-age=63072000; includeSubDomains';

/** Paths under /pay/ carry the link token: logs never show it. */
export function loggedPath(path: string): string {
  return path.replace(/^\/pay\/[^/]+/, '/pay/:token');
}

/** Probes come every few seconds: their lines would drown the rest at info. */
const PROBES = new Set(['/healthz', '/readyz']);

export interface Answered {
  reqId: string;
  method: string;
  /** The route pattern (/pay/:token), never the path with its token. */
  route: string;
  path: string;
  status: number;
}

/**
 * The access lines' logger: without the redaction pass, which costs more than the rest of the
 * line (server/log.ts); an access line holds only the fields of Answered and nothing to redact.
 */
const accessLoggers = new WeakMap<Logger, Logger>();
function accessLogger(log: Logger): Logger {
  let access = accessLoggers.get(log);
  if (!access) accessLoggers.set(log, (access = log.child({}, { redact: [] })));
  return access;
}

/** Logs an answer (no body, no query) and counts its duration; `started` is its performance.now(). */
export function logAnswer(s: Pick<Services, 'log' | 'metrics'>, answered: Answered, started: number): void {
  const seconds = (performance.now() - started) / 1000;
  const line = { ...answered, path: loggedPath(answered.path), ms: Math.round(seconds * 1000) };
  s.metrics.httpDuration.observe({ method: line.method, route: line.route, status: String(line.status) }, seconds);
  if (PROBES.has(answered.path)) accessLogger(s.log).debug(line, 'request');
  else accessLogger(s.log).info(line, 'request');
}
