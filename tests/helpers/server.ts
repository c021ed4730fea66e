// Starts the real service as a child process (real HTTP, real SQLite file on disk),
// so tests can also kill and restart it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { storeEnv } from './store.ts';
// @ts-expect-error -- plain JavaScript shared with npm start, without type declarations
import { buildState } from '../../scripts/build-state.mjs';

const ROOT = resolve(import.meta.dirname, '../..');

export interface TestServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The origin put into payout links (http://localhost:PORT unless PUBLIC_URL is set). */
  publicUrl: string;
  /** The demo merchant's API token (when the demo is on, as it is by default). */
  token: string;
  dataDir: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Graceful stop (SIGTERM). */
  stop(): Promise<void>;
  /** Crash (SIGKILL). */
  kill(): Promise<void>;
  child: ChildProcess;
}

export interface StartOptions {
  dataDir?: string;
  env?: Record<string, string>;
  /** Written to a JSON file passed as PAYEE_CONFIG. */
  config?: object;
  /** Entry module, relative to the repo (default: the service, compiled when the build is fresh). */
  entry?: string;
  timeoutMs?: number;
}

export function tempDataDir(prefix = 'payee-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Sets the service's clock offset (PAYEE_CLOCK_OFFSET_FILE) at once: written beside and
 * renamed into place, so the service never reads a half-written file.
 */
export function writeClockOffset(file: string, ms: number): void {
  writeFileSync(`${file}.next`, String(ms));
  renameSync(`${file}.next`, file);
}

let fresh: boolean | undefined;
/**
 * The service as `npm start` runs it, compiled (dist-server/), when the build is made from the
 * sources as they are: it starts in a fifth of the time the sources take through tsx. Else the
 * sources themselves, so a change is tested without building first.
 */
function serviceArgs(): string[] {
  fresh ??= (buildState() as { ok: boolean }).ok;
  return fresh ? [join(ROOT, 'dist-server/main.js')] : ['--import', 'tsx', 'server/main.ts'];
}

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...(await storeEnv(dataDir)),
    ...opts.env,
  };
  if (opts.config) {
    const file = join(dataDir, 'config.json');
    writeFileSync(file, JSON.stringify(opts.config));
    env.PAYEE_CONFIG = file;
  }
  const child = spawn(process.execPath, opts.entry ? ['--import', 'tsx', opts.entry] : serviceArgs(), {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  // Waits for the "listening" line: a generous limit costs nothing when the machine is quick.
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    const listening = out.split('\n').find((l) => l.includes('"msg":"listening"'));
    if (listening) {
      const info = JSON.parse(listening) as { url: string; publicUrl: string };
      const tokenFile = join(dataDir, 'demo-merchant-token');
      const token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '';
      return {
        url: info.url,
        publicUrl: info.publicUrl,
        token,
        dataDir,
        child,
        output: () => out,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
        async kill() {
          if (child.exitCode === null) child.kill('SIGKILL');
          await exited;
        },
      };
    }
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** POST/GET to the merchant API with the Quantum Payouts API's headers. */
export async function api(
  server: Pick<TestServer, 'url' | 'token'>,
  method: 'POST' | 'GET',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/api/v1/${path}`, {
    method,
    headers: {
      Accept: 'application/json; version=1.0',
      ...(body !== undefined ? { 'Content-Type': 'application/json; charset=UTF-8' } : {}),
      Authorization: `Bearer ${server.token}`,
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the text itself.
  }
  return { status: res.status, body: parsed };
}
