// Hot paths against the raw stack doing the same work, side by side in one run:
//   npm run bench [-- --seconds 10 --connections 50 --rounds 3 --only page --campaign 3000]
// Each round measures every row's raw side and then its Payee side (after a warm-up run
// each); the table shows the medians of the rounds and Payee's share of the raw figure.
// The load generator runs on core 0 and the servers on the other cores where taskset can
// pin them (a 2-core machine: one each). Absolute figures depend on the machine and on
// what else runs on it; the ratios are what to compare.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
// @ts-expect-error -- plain JavaScript shared with npm start, without type declarations
import { buildState } from './build-state.mjs';
import { measure, median, pin, type Measured, type Suite } from './bench/kit.ts';
import { pageSuite } from './bench/page.ts';
import { apiSuite } from './bench/api.ts';
import { postgresSuite } from './bench/postgres.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
    campaign: { type: 'string', default: '0' },
  },
});
const seconds = Number(args.seconds);
const warmup = Number(args.warmup);
const connections = Number(args.connections);
const rounds = Number(args.rounds);

// What is measured is the compiled service and the built page, as production runs them.
const state = buildState() as { ok: boolean; reason?: string };
if (!state.ok) {
  console.log(`building first (the build is ${state.reason})`);
  execFileSync(process.execPath, [join(import.meta.dirname, 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const SUITES: Suite[] = [pageSuite(Number(args.campaign)), apiSuite(), postgresSuite()];

const cores = cpus().length;
const serverCores = cores > 1 ? `1-${cores - 1}` : '0';
const pinned = cores > 1 && pin(process.pid, '0');
const ctx = { pinServer: (pid: number) => void (pinned && pin(pid, serverCores)) };

console.log(
  `${cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} before the run`,
);
console.log(
  pinned
    ? `load generator on core 0, servers on core(s) ${serverCores}`
    : 'load generator and servers share the cores (taskset not available)',
);
console.log(`${connections} connections, ${rounds} rounds of ${warmup} s warm-up + ${seconds} s per side\n`);

interface Result {
  name: string;
  rawIs?: string;
  payee: Measured[];
  raw: Measured[];
}
const results: Result[] = [];

for (const suite of SUITES.filter((s) => !args.only || s.name.includes(args.only))) {
  const { rows, stop } = await suite.start(ctx);
  try {
    for (const row of rows) {
      await row.payee.check?.();
      await row.raw?.check?.();
    }
    const mine = rows.map((r) => ({ name: r.name, rawIs: r.rawIs, payee: [], raw: [] }) as Result);
    results.push(...mine);
    for (let round = 1; round <= rounds; round++) {
      for (const [i, row] of rows.entries()) {
        if (row.once && round > 1) continue;
        const sides = row.raw
          ? ([
              ['raw', row.raw],
              ['payee', row.payee],
            ] as const)
          : ([['payee', row.payee]] as const);
        for (const [side, load] of sides) {
          if (!(row.once && side === 'payee')) await measure(load, connections, warmup);
          const m = await measure(load, connections, seconds);
          mine[i]![side].push(m);
          console.log(
            `round ${round} ${row.name} [${side}]: ${m.rps.toFixed(0)} req/s` +
              (m.p99 !== undefined ? `, p50 ${m.p50} ms, p99 ${m.p99} ms` : '') +
              (m.cpuUs !== undefined ? `, ${m.cpuUs.toFixed(0)} µs CPU per answer` : '') +
              (m.bad ? `, ${m.bad} failed` : ''),
          );
        }
      }
    }
  } finally {
    await stop();
  }
}

const cell = (ms: Measured[]) => {
  if (!ms.length) return '—';
  const bad = ms.reduce((n, m) => n + m.bad, 0);
  const rps = median(ms.map((m) => m.rps));
  const p99s = ms.flatMap((m) => (m.p99 === undefined ? [] : [m.p99]));
  const p99 = p99s.length ? `, p99 ${median(p99s)} ms` : '';
  return `${rps.toFixed(0)} req/s${p99}${bad ? ` (${bad} failed)` : ''}`;
};
const cpu = (ms: Measured[]) => {
  const us = ms.map((m) => m.cpuUs).filter((x): x is number => x !== undefined);
  return us.length ? median(us) : undefined;
};
const share = (payee: number | undefined, raw: number | undefined) =>
  payee !== undefined && raw !== undefined ? `${((100 * payee) / raw).toFixed(0)}%` : '—';

console.log(`\nmedians of ${rounds} rounds, ${connections} connections:`);
console.log('| path | Payee | raw stack, same work | Payee / raw | CPU per answer, Payee / raw |');
console.log('|---|---|---|---|---|');
for (const r of results) {
  const [pc, rc] = [cpu(r.payee), cpu(r.raw)];
  const cpuCell =
    pc !== undefined && rc !== undefined ? `${pc.toFixed(0)} / ${rc.toFixed(0)} µs (${share(rc, pc)})` : '—';
  const rps = (ms: Measured[]) => (ms.length ? median(ms.map((m) => m.rps)) : undefined);
  console.log(`| ${r.name} | ${cell(r.payee)} | ${cell(r.raw)} | ${share(rps(r.payee), rps(r.raw))} | ${cpuCell} |`);
}
const notes = results.filter((r) => r.rawIs);
if (notes.length) console.log(`\nraw stack: ${notes.map((r) => `${r.name}: ${r.rawIs}`).join('; ')}`);
console.log(
  'CPU per answer: the CPU time of the server process (all threads) over the answers it gave; the share is ' +
    'raw / Payee, comparable with the req/s share, and steadier on a busy machine.',
);
console.log(
  `load average after the run: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
