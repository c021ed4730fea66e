// The merchant API on PostgreSQL: createPayout and performPayout (sandbox) against one
// instance, and against two instances on the same database sharing the connections, to
// set beside the SQLite figures of the API suite. Needs PostgreSQL at 127.0.0.1:5432
// (or PAYEE_TEST_PG_URL); the database is made for the run and dropped after it.
import { randomBytes } from 'node:crypto';
import { startServer, tempDataDir, type TestServer } from '../../tests/helpers/server.ts';
import { createTestDatabase } from '../../tests/helpers/store.ts';
import { loadConfig } from '../../server/config.ts';
import { openDb } from '../../server/db/index.ts';
import { createMerchant } from '../../server/merchants/store.ts';
import { loadKeyring } from '../../server/vault/keyring.ts';
import { DEV_SETTINGS, SANDBOX_ROUTES } from '../../tests/helpers/engine.ts';
import { measure, type Load, type Measured, type Suite } from './kit.ts';
import { orders } from './api.ts';

/** Both instances loaded at once, each with half the connections: answers per second together. */
function together(loads: Load[]): Load {
  return {
    url: loads[0]!.url,
    run: async (seconds, connections) => {
      const each = await Promise.all(
        loads.map((l) => measure(l, Math.max(1, Math.round(connections / loads.length)), seconds)),
      );
      const cpu = each.map((m) => m.cpuUs).filter((x): x is number => x !== undefined);
      return {
        rps: each.reduce((n, m) => n + m.rps, 0),
        p50: Math.max(...each.map((m) => m.p50 ?? 0)),
        p99: Math.max(...each.map((m) => m.p99 ?? 0)),
        bad: each.reduce((n, m) => n + m.bad, 0),
        cpuUs: cpu.length === each.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : undefined,
      } satisfies Measured;
    },
    check: async () => {
      for (const l of loads) await l.check?.();
    },
  };
}

export const postgresSuite = (): Suite => ({
  name: 'merchant API on PostgreSQL',
  async start({ pinServer }) {
    const key = () => randomBytes(32).toString('base64');
    const env = {
      PAYEE_DEMO: '0',
      // Measured, not limited: the merchant API's rate limit lifted, as for the SQLite rows, and
      // the per-address connection cap (the load and the sandbox's callbacks all come from 127.0.0.1).
      PAYEE_API_RATE: '999999',
      PAYEE_MAX_CONNECTIONS_PER_ADDRESS: '999999',
      DATABASE_URL: await createTestDatabase(),
      PAYEE_KEYS: JSON.stringify({ k1: key() }),
      PAYEE_FINGERPRINT_KEY: key(),
    };
    const db = await openDb({ dataDir: tempDataDir('payee-bench-'), databaseUrl: env.DATABASE_URL });
    const { token } = await createMerchant(
      db,
      loadKeyring(loadConfig({ ...env, DATA_DIR: tempDataDir() })),
      {
        name: 'Bench shop',
        settings: { returnOrigins: ['https://shop.example'], routes: SANDBOX_ROUTES },
      },
      DEV_SETTINGS,
    );
    await db.destroy();
    const servers: TestServer[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const s = await startServer({ dataDir: tempDataDir('payee-bench-'), env });
        pinServer(s.child.pid!);
        servers.push(s);
      }
      const create = (n: number) => ({
        amount: 150000 + n,
        description: 'Возврат за заказ 1456',
        urls: { returnUrl: 'https://shop.example/return' },
      });
      const perform = (n: number) => ({
        amount: 150000 + n,
        description: 'Выплата',
        target: { pan: '4111111111111111' },
      });
      const load = (s: TestServer, path: string, body: (n: number) => object) =>
        orders(s.url, s.child.pid!, path, token, body);
      const [a, b] = servers as [TestServer, TestServer];
      return {
        rows: [
          { name: 'createPayout, PostgreSQL, one instance', payee: load(a, '/api/v1/createPayout', create) },
          {
            name: 'createPayout, PostgreSQL, two instances',
            payee: together([load(a, '/api/v1/createPayout', create), load(b, '/api/v1/createPayout', create)]),
          },
          {
            name: 'performPayout, sandbox, PostgreSQL, one instance',
            payee: load(a, '/api/v1/performPayout', perform),
          },
          {
            name: 'performPayout, sandbox, PostgreSQL, two instances',
            payee: together([load(a, '/api/v1/performPayout', perform), load(b, '/api/v1/performPayout', perform)]),
          },
        ],
        async stop() {
          for (const s of servers) await s.stop();
        },
      };
    } catch (err) {
      for (const s of servers) await s.stop();
      throw err;
    }
  },
});
