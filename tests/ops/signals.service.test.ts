// SIGTERM to `npm start` (as Docker, systemd or pm2 send it): the service stops taking
// connections, finishes the request in flight, stops its workers and closes the database, and
// nothing of it is left running: not npm, not the service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eventually } from '../helpers/eventually.ts';
import { tempDataDir } from '../helpers/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** True while any process of the group runs. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

test('SIGTERM to npm start finishes the request in flight, then everything stops and the database is closed', async () => {
  const dataDir = tempDataDir();
  const config = join(dataDir, 'config.json');
  // A provider that takes 3 s to answer a submission keeps performPayout in flight.
  writeFileSync(config, JSON.stringify({ providers: { sandbox: { kind: 'sandbox', submitDelayMs: 3000 } } }));
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, PAYEE_CONFIG: config, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: the test can tell whether anything of it is left.
    detached: true,
  });
  let out = '';
  npm.stdout!.on('data', (d) => (out += d));
  npm.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));
  try {
    // Starting may include a build when the sources changed since the last one.
    const listening = await eventually(() => out.match(/"url":"(http:[^"]+)","publicUrl"/), 300_000, 'listening');
    const url = listening[1]!;
    const token = (await eventually(() => out.match(/API token: (\S+)/), 60_000, 'demo token'))[1]!;

    const inFlight = fetch(`${url}/api/v1/performPayout`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=UTF-8', Authorization: `Bearer ${token}` },
      body: JSON.stringify({
        orderNumber: 'SIG-1',
        amount: 1000,
        description: 'x',
        target: { pan: '4111111111111111' },
      }),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
    // The payout is recorded before the provider is asked: from then on the request waits for it.
    await eventually(
      async () => {
        const r = await fetch(`${url}/api/v1/getPayoutStatus`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json; charset=UTF-8', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ orderNumber: 'SIG-1' }),
        });
        const body = await r.json();
        return body.result?.error === '0';
      },
      60_000,
      'the payout recorded',
    );

    process.kill(npm.pid!, 'SIGTERM');
    const answer = await inFlight;
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.result.error, '0');

    assert.equal(await exited, 0, out);
    await eventually(() => !groupAlive(npm.pid!), 30_000, 'every process of npm start gone');
    assert.match(out, /"msg":"stopping"/);
    assert.match(out, /"msg":"stopped"/, 'a graceful stop, not the forced exit after 10 s');
    await assert.rejects(fetch(`${url}/healthz`), 'no longer listening');
    // SQLite removes its write-ahead log when the last connection closes cleanly.
    assert.ok(!existsSync(join(dataDir, 'payee.sqlite-wal')), 'the database was closed');
  } finally {
    if (groupAlive(npm.pid!)) process.kill(-npm.pid!, 'SIGKILL');
  }
});
