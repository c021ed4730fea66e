// 8. Secrets at rest: the data directory is the owner's alone even when it existed
// before; production refuses keys that are not random or are used twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { startServer, tempDataDir } from '../helpers/server.ts';
import { productionEnv } from './production.ts';

test('a data directory that already exists, world-readable, becomes 0700 with its files 0600', async () => {
  const dataDir = join(tempDataDir(), 'data');
  mkdirSync(dataDir, { mode: 0o755 });
  chmodSync(dataDir, 0o755);
  writeFileSync(join(dataDir, 'payee.sqlite'), '', { mode: 0o644 });
  chmodSync(join(dataDir, 'payee.sqlite'), 0o644);
  // A real process with the usual umask: the modes come from the service, not the test runner.
  const server = await startServer({ dataDir, env: { PAYEE_DEMO: '1' } });
  try {
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
    const files = readdirSync(dataDir).filter((n) => statSync(join(dataDir, n)).isFile());
    assert.ok(files.includes('payee.sqlite') && files.includes('keys.json'), files.join());
    for (const name of files) assert.equal(statSync(join(dataDir, name)).mode & 0o077, 0, `${name} is owner-only`);
  } finally {
    await server.stop();
  }
});

test('production refuses all-zero, repeated-byte, reused and fingerprint-equals-encryption keys', () => {
  const strong = randomBytes(32).toString('base64');
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PAYEE_KEYS: JSON.stringify({ k1: Buffer.alloc(32).toString('base64') }) }, /key "k1" is not random/],
    [{ PAYEE_KEYS: JSON.stringify({ k1: Buffer.alloc(32, 7).toString('base64') }) }, /key "k1" is not random/],
    [{ PAYEE_KEYS: JSON.stringify({ k1: Buffer.from('ab'.repeat(16)).toString('base64') }) }, /key "k1" is not random/],
    [
      { PAYEE_KEYS: JSON.stringify({ k1: strong }), PAYEE_FINGERPRINT_KEY: strong },
      /the fingerprint key is the same as key "k1"/,
    ],
    [{ PAYEE_KEYS: JSON.stringify({ k1: strong, k2: strong }) }, /key "k2" is the same as key "k1"/],
    [{ PAYEE_FINGERPRINT_KEY: Buffer.alloc(32).toString('base64') }, /the fingerprint key is not random/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => loadConfig({ ...productionEnv(), DATA_DIR: tempDataDir(), ...env }),
      (err: Error) =>
        err instanceof ConfigError && /production refuses weak keys/.test(err.message) && message.test(err.message),
      JSON.stringify(env),
    );
  }
  assert.ok(loadConfig({ ...productionEnv(), DATA_DIR: tempDataDir() }).keys);
});
