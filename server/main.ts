// Starts the service: configuration, keys, database (migrated), demo merchant, HTTP.
import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import { pathToFileURL } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { openDb, type Db } from './db/index.ts';
import { lockDataDir } from './db/lock.ts';
import { releaseAll } from './db/leases.ts';
import { loadKeyring } from './vault/keyring.ts';
import { createLogger } from './log.ts';
import { systemClock } from './clock.ts';
import { createApp } from './app.ts';
import { newPageMemory } from './page/routes.ts';
import { leanPageListener } from './page/lean-get.ts';
import { ensureDemoMerchant } from './demo/merchant.ts';
import type { Services } from './services.ts';
import type { Clock } from './clock.ts';
import type { DestinationStream } from 'pino';
import { createRegistry } from './providers/registry.ts';
import { startWorkers } from './engine/workers.ts';
import { limitConnections, SERVER_OPTIONS } from './http/connections.ts';
import { MemoryLimitStore } from './limits/store.ts';
import { DbLimitStore } from './limits/db-store.ts';
import { testClock } from './engine/test-hooks.ts';
import { fetchWithRequestId } from './request-id.ts';
import { createMetrics } from './metrics/metrics.ts';
import { instrumentProviders } from './metrics/providers.ts';
import { serveMetrics } from './metrics/server.ts';

export interface Running {
  services: Services;
  server: ServerType;
  url: string;
  /** The demo merchant's API token, when the demo is on. */
  demoToken?: string;
  /** GET /metrics, when METRICS_PORT is set. */
  metricsUrl?: string;
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
  const configured = createRegistry(config, {
    // Provider calls carry the request id of whatever caused them.
    fetch: fetchWithRequestId(globalThis.fetch),
    log,
    clock,
    // Known once listening when not configured: read it at use, not at creation.
    get publicUrl() {
      return config.publicUrl;
    },
    dataDir: config.dataDir,
    get db() {
      return db;
    },
  });
  const lock = config.databaseUrl ? undefined : lockDataDir(config.dataDir);
  if (lock && !lock.ok) throw new ConfigError(lock.message);
  let db: Db;
  try {
    db = await openDb(config);
    // Alone on this SQLite file: what a lease still holds was left by a process that died.
    if (lock?.ok) await releaseAll(db);
  } catch (err) {
    if (lock?.ok) lock.release();
    throw err;
  }
  const keyring = loadKeyring(config);
  const metrics = createMetrics({ db, clock });
  const providers = instrumentProviders(configured, metrics);
  const services: Services = {
    config,
    db,
    keyring,
    log,
    clock,
    providers,
    metrics,
    // Instances sharing a database share each budget; one SQLite process keeps them in memory.
    limits: config.databaseUrl ? new DbLimitStore(db) : new MemoryLimitStore(),
  };

  const page = newPageMemory();
  const app = createApp(services, page);
  // The router behind the page's lean GET (server/page/lean-get.ts), which hands it all else.
  const withLeanPage = (options: ServerOptions, router: RequestListener) =>
    createServer(options, leanPageListener(services, page, router));
  const server = await new Promise<ServerType>((resolve) => {
    const srv = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        serverOptions: SERVER_OPTIONS,
        createServer: withLeanPage as typeof createServer,
      },
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
  const metricsServer = config.metrics
    ? await serveMetrics(metrics.registry, config.metrics.port, config.metrics.host)
    : undefined;
  if (metricsServer) log.info({ url: metricsServer.url }, 'metrics listening');
  // performance.now() counts from the process's start: how long starting took.
  log.info(
    { url, publicUrl: config.publicUrl, dataDir: config.dataDir, startMs: Math.round(performance.now()) },
    'listening',
  );

  return {
    services,
    server,
    url,
    demoToken,
    metricsUrl: metricsServer?.url,
    async close() {
      const deadline = performance.now() + STOP_WITHIN_MS;
      const left = (reserveMs: number) => Math.max(0, deadline - reserveMs - performance.now());
      // New connections are refused at once; requests in flight get their answers.
      await stopServing(server as Server, left(2000));
      // A worker in the middle of a provider call may wait for it up to the provider timeout:
      // past the budget it is left, and what it did not record is reconciled at the next start.
      const workersStopped = await Promise.race([workers.stop().then(() => true), delay(left(1000), false)]);
      if (!workersStopped) log.warn('background work still running at stop; it resumes at the next start');
      providers.close();
      await metricsServer?.close();
      await db.destroy();
      if (lock?.ok) lock.release();
    },
  };
}

/** A stop (SIGTERM, SIGINT) ends within this; orchestrators wait about as long before they kill. */
export const STOP_WITHIN_MS = 10_000;

const delay = <T>(ms: number, value: T) => new Promise<T>((r) => setTimeout(r, ms, value).unref());

/** Stops listening and waits for the requests in flight, up to `graceMs`; then cuts what is left. */
async function stopServing(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((r) => server.close(() => r()));
  // Keep-alive connections would hold the server open: close each as soon as it has nothing in flight.
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  const cut = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearInterval(idle);
  clearTimeout(cut);
}

/** `node dist-server/main.js` (or server/main.ts): serve until SIGTERM or SIGINT, then stop gracefully. */
export async function main(): Promise<void> {
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
  const log = running.services.log;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // Ctrl-C in a terminal reaches npm and us, and npm passes it on: one stop is enough.
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const started = performance.now();
    setTimeout(() => {
      log.error('did not stop in time; exiting');
      process.exit(1);
    }, STOP_WITHIN_MS).unref();
    running.close().then(
      () => {
        log.info({ ms: Math.round(performance.now() - started) }, 'stopped');
        process.exit(0);
      },
      (err: Error) => {
        log.error({ err: { message: err.message } }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
