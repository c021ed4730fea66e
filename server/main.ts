// Starts the service: configuration, keys, database (migrated), demo merchant, HTTP.
import { serve, type ServerType } from '@hono/node-server';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { openDb } from './db/index.ts';
import { loadKeyring } from './vault/keyring.ts';
import { createLogger } from './log.ts';
import { systemClock } from './clock.ts';
import { createApp } from './app.ts';
import { ensureDemoMerchant } from './demo/merchant.ts';
import type { Services } from './services.ts';
import type { Clock } from './clock.ts';
import type { DestinationStream } from 'pino';
import { createRegistry } from './providers/registry.ts';
import { startWorkers } from './engine/workers.ts';
import type { Server } from 'node:http';
import { limitConnections, SERVER_OPTIONS } from './http/connections.ts';
import { MemoryLimitStore } from './limits/store.ts';
import { testClock } from './engine/test-hooks.ts';

export interface Running {
  services: Services;
  server: ServerType;
  url: string;
  /** The demo merchant's API token, when the demo is on. */
  demoToken?: string;
  close(): Promise<void>;
}

/** Tests may pass their own clock and log destination. */
export async function start(
  config: Config,
  opts: { clock?: Clock; logDestination?: DestinationStream } = {},
): Promise<Running> {
  // Files the service creates later (provider journals, sandbox state) are owner-only too.
  process.umask(0o077);
  const log = createLogger(config.logLevel, opts.logDestination);
  const clock = opts.clock ?? testClock(config) ?? systemClock;
  // Provider options are validated before anything is opened: a bad one stops the start.
  const providers = createRegistry(config, {
    fetch: globalThis.fetch,
    log,
    clock,
    // Known once listening when not configured: read it at use, not at creation.
    get publicUrl() {
      return config.publicUrl;
    },
    dataDir: config.dataDir,
  });
  const db = await openDb(config.dataDir);
  const keyring = loadKeyring(config);
  const services: Services = { config, db, keyring, log, clock, providers, limits: new MemoryLimitStore() };

  const app = createApp(services);
  const server = await new Promise<ServerType>((resolve) => {
    const srv = serve(
      { fetch: app.fetch, port: config.port, hostname: config.host, serverOptions: SERVER_OPTIONS },
      () => resolve(srv),
    );
  });
  limitConnections(server as Server, config.limits.connectionsPerAddress);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  if (!config.publicUrl) config.publicUrl = `http://localhost:${port}`;
  const demoToken = config.demo ? (await ensureDemoMerchant(services)).token : undefined;
  const workers = startWorkers(services);
  log.info({ url, publicUrl: config.publicUrl, dataDir: config.dataDir }, 'listening');

  return {
    services,
    server,
    url,
    demoToken,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await workers.stop();
      providers.close();
      await db.destroy();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let running: Running;
  try {
    running = await start(loadConfig());
    // Printed for the developer running the demo; never written to the structured log.
    if (running.demoToken) console.log(`Demo merchant API token: ${running.demoToken}`);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Payee cannot start: ${err.message}`);
      process.exit(78);
    }
    throw err;
  }
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
