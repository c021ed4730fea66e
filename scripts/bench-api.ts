// createPayout throughput: the real server on a fresh SQLite file (WAL, synchronous=FULL),
// 50 connections, a unique orderNumber per request. Not part of `npm test`.
//   node --import tsx scripts/bench-api.ts [seconds] [connections]
import autocannon from 'autocannon';
import { startServer } from '../tests/helpers/server.ts';

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 50);
// Throughput without the per-merchant rate limit (it would cap the API at 30 a second).
const server = await startServer({ env: { PAYEE_API_RATE: '999999' } });
let n = 0;
try {
  const result = await autocannon({
    url: `${server.url}/api/v1/createPayout`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=UTF-8',
          Accept: 'application/json; version=1.0',
          Authorization: `Bearer ${server.token}`,
        },
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({
            orderNumber: `BENCH_${process.pid}_${++n}`,
            amount: 150000,
            description: 'Benchmark payout',
            urls: { returnUrl: `${server.publicUrl}/demo/return` },
          }),
        }),
      },
    ],
  });
  const non2xx = result.non2xx + result.errors;
  console.log(
    `createPayout: ${result.requests.average.toFixed(0)} req/s average, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
      `${result.requests.total} requests, ${non2xx} failed, ${connections} connections, ${seconds} s`,
  );
} finally {
  await server.stop();
}
