// The real service inside the test's own process: real HTTP on a free port, a real SQLite
// file in a temp data directory (or a fresh PostgreSQL database: helpers/store.ts), its logs captured; `app.request()` calls it without the
// network, as Hono's own tests do. A child process (server.ts) is only for tests that
// kill or restart it, or that check how the process itself starts or exits.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Hono } from 'hono';
import { loadConfig } from '../../server/config.ts';
import { start, type Running } from '../../server/main.ts';
import { createApp } from '../../server/app.ts';
import type { Clock } from '../../server/clock.ts';
import { tempDataDir } from './server.ts';
import { storeEnv } from './store.ts';

export interface Service extends Running {
  /** The origin put into payout links (http://localhost:PORT unless PUBLIC_URL is set). */
  publicUrl: string;
  dataDir: string;
  /** The demo merchant's API token ('' when the demo is off). */
  token: string;
  /** The same app as the one listening, for requests without the network. */
  app: Hono;
  /** Everything the service logged so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  dataDir?: string;
  /** Environment variables as the service would read them (the test process's own are not used). */
  env?: Record<string, string>;
  /** Written to a JSON file passed as PAYEE_CONFIG. */
  config?: object;
  /** The config file's provider instances (shorthand for config.providers). */
  providers?: object;
  clock?: Clock;
}

export async function startService(opts: ServiceOptions = {}): Promise<Service> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...(await storeEnv(dataDir)),
    ...opts.env,
  };
  const config = opts.providers ? { ...opts.config, providers: opts.providers } : opts.config;
  if (config) {
    const file = join(dataDir, 'config.json');
    writeFileSync(file, JSON.stringify(config));
    env.PAYEE_CONFIG = file;
  }
  let out = '';
  const logDestination = new Writable({
    write(chunk, _encoding, done) {
      out += chunk;
      done();
    },
  });
  const running = await start(loadConfig(env), { clock: opts.clock, logDestination });
  return Object.assign(running, {
    publicUrl: running.services.config.publicUrl,
    dataDir,
    token: running.demoToken ?? '',
    app: createApp(running.services),
    output: () => out,
    stop: () => running.close(),
  });
}
