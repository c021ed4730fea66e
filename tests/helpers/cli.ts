// Runs the command-line tools against a data directory, as an operator would.
import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { storeEnv } from './store.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

export async function merchantCli(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/cli/merchant.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, ...(await storeEnv(dataDir)), ...env },
  });
  return stdout;
}

/** Creates a merchant and returns its id, API token and webhook secret. */
export async function createTestMerchant(dataDir: string, args: string[], env: Record<string, string> = {}) {
  const out = await merchantCli(dataDir, ['create', ...args], env);
  return {
    id: JSON.parse(out.slice(0, out.indexOf('\nAPI token'))).id as string,
    token: /API token \(shown once\): (\S+)/.exec(out)![1]!,
    webhookSecret: /Webhook secret \(shown once\): (\S+)/.exec(out)![1]!,
  };
}

/** `npm run payouts -- <args>`: the review list. */
export async function payoutsCli(dataDir: string, args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/cli/payouts.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, ...(await storeEnv(dataDir)) },
  });
  return stdout;
}

/** `npm run merchant -- add-user`, the password on standard input; resolves to what it printed. */
export async function addPortalUser(
  dataDir: string,
  merchantId: string,
  email: string,
  password: string,
  role = 'owner',
): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/cli/merchant.ts', 'add-user', merchantId, '--email', email, '--role', role],
    { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, ...(await storeEnv(dataDir)) } },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  child.stdin.end(`${password}\n`);
  const code = await new Promise((r) => child.on('close', r));
  if (code !== 0) throw new Error(`add-user exited with ${code}: ${out}`);
  return out;
}
