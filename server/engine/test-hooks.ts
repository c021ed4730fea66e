// Test-only hooks, inert unless their environment variable is set, and refused in
// production:
//   PAYEE_CRASH_AT=before_submit|after_submit|after_commit — the process kills itself
//     (SIGKILL) at that point of a submission, so fault tests can restart it on the same
//     data directory and check that nothing was lost or sent twice.
//   PAYEE_CLOCK_OFFSET_FILE=<path> — the service's clock runs ahead of real time by the
//     number of milliseconds written in that file (re-read as it changes), so tests can
//     walk a webhook retry schedule of hours in seconds, across restarts.
import { readFileSync } from 'node:fs';
import type { Clock } from '../clock.ts';
import { ConfigError, type Config } from '../config.ts';

export const CRASH_POINTS = ['before_submit', 'after_submit', 'after_commit'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export function crashPoint(point: CrashPoint): void {
  if (process.env.PAYEE_CRASH_AT !== point) return;
  process.stderr.write(`test hook: crashing at ${point}\n`);
  process.kill(process.pid, 'SIGKILL');
}

/** The test clock when asked for; refuses to start production with any test hook set. */
export function clockFromEnv(config: Pick<Config, 'environment'>): Clock | undefined {
  const hooks = ['PAYEE_CRASH_AT', 'PAYEE_CLOCK_OFFSET_FILE'].filter((name) => process.env[name]);
  if (hooks.length && config.environment === 'production')
    throw new ConfigError(`${hooks.join(', ')}: test hooks are refused in production`);
  const file = process.env.PAYEE_CLOCK_OFFSET_FILE;
  if (!file) return undefined;
  let offset = 0;
  let readAt = 0;
  return {
    now() {
      const real = Date.now();
      if (real - readAt > 25) {
        readAt = real;
        try {
          offset = Number(readFileSync(file, 'utf8').trim()) || 0;
        } catch {
          offset = 0;
        }
      }
      return real + offset;
    },
  };
}
