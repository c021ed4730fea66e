// Test-only hooks, inert unless configured, and refused outside development (config.ts):
//   PAYEE_CRASH_AT=before_submit|after_submit|after_commit — the process kills itself
//     (SIGKILL) at that point of a submission, so fault tests can restart it on the same
//     data directory and check that nothing was lost or sent twice.
//   PAYEE_CLOCK_OFFSET_FILE=<path> — the service's clock runs ahead of real time by the
//     number of milliseconds written in that file (read at every reading of the clock),
//     so tests can walk a webhook retry schedule of hours in seconds, across restarts.
import { readFileSync } from 'node:fs';
import type { Clock } from '../clock.ts';
import type { Config, CrashPoint } from '../config.ts';

export function crashPoint(config: Pick<Config, 'testHooks'>, point: CrashPoint): void {
  if (config.testHooks.crashAt !== point) return;
  process.stderr.write(`test hook: crashing at ${point}\n`);
  process.kill(process.pid, 'SIGKILL');
}

/** The test clock when configured. */
export function testClock(config: Pick<Config, 'testHooks'>): Clock | undefined {
  const file = config.testHooks.clockOffsetFile;
  if (!file) return undefined;
  let offset = 0;
  return {
    now() {
      try {
        const text = readFileSync(file, 'utf8').trim();
        if (/^-?\d+$/.test(text)) offset = Number(text);
      } catch {
        // Not there (yet): keep the last offset read.
      }
      return Date.now() + offset;
    },
  };
}
