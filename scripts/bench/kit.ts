// What `npm run bench` is made of: suites that start what they measure and hand back rows,
// each row Payee's load and, for a pair, the raw stack's load doing the same work.
// A new path joins by adding a suite to scripts/bench.ts (see page.ts for one).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** One side of a row: what autocannon sends (connections and duration come from the runner). */
export type Load = Omit<autocannon.Options, 'connections' | 'duration'> & {
  /** Checked once before the run: the side answers as it should (status, encoding, body). */
  check?: () => Promise<void>;
  /** The server's process, to count the CPU time it spends per answer (Linux). */
  pid?: number;
  /** A measurement that is not a stream of requests (e.g. a queue draining): replaces autocannon. */
  run?: (seconds: number, connections: number) => Promise<Measured>;
};

export interface Row {
  /** Shown as the row's name, e.g. "GET /pay/<token>, Accept-Encoding: br". */
  name: string;
  payee: Load;
  /** The raw stack doing the same work; a row without one prints Payee's figure alone. */
  raw?: Load;
  /** What the raw side is, for the table's notes. */
  rawIs?: string;
  /** Measured in the first round only, without a warm-up (what it measures is used up). */
  once?: boolean;
}

export interface SuiteContext {
  /** Pins a server process (all its threads) to the cores left to servers. */
  pinServer(pid: number): void;
}

export interface Suite {
  name: string;
  start(ctx: SuiteContext): Promise<{ rows: Row[]; stop(): Promise<void> }>;
}

export interface Measured {
  /** Answers (or, for a custom run, events) per second. */
  rps: number;
  p50?: number;
  p99?: number;
  /** Non-2xx answers and socket errors: a run with any is reported as broken. */
  bad: number;
  /** CPU time the server spent per answer, all its threads (µs); steadier than req/s on a busy machine. */
  cpuUs?: number;
}

/** CPU time (user + system, all threads) a process has used so far, in µs; undefined where /proc cannot tell. */
function cpuTime(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    // Fields after the command name (which is in parentheses): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1e6) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
/** USER_HZ: 100 on Linux. */
const CLOCK_TICKS = 100;

/** Pins a process and its threads to a list of cores (taskset); false when that cannot be done. */
export function pin(pid: number, cores: string): boolean {
  try {
    execFileSync('taskset', ['-a', '-cp', cores, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function measure(load: Load, connections: number, seconds: number): Promise<Measured> {
  const { check: _check, pid, run, ...opts } = load;
  if (run) return run(seconds, connections);
  const before = cpuTime(pid);
  const result = await autocannon({ ...opts, connections, duration: seconds });
  const after = cpuTime(pid);
  if (result.non2xx || result.errors)
    console.log(
      `  failed answers: ${JSON.stringify(result.statusCodeStats)}, ${result.errors} errors (${result.timeouts} timeouts)`,
    );
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bad: result.non2xx + result.errors,
    cpuUs: before !== undefined && after !== undefined ? (after - before) / result.requests.total : undefined,
  };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
