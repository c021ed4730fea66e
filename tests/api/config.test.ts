// A wrong configuration stops the service at start with a message naming the setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { start } from '../../server/main.ts';
import { startServer, tempDataDir } from '../helpers/server.ts';

const KEY = randomBytes(32).toString('base64');
const PRODUCTION = {
  PAYEE_ENV: 'production',
  PUBLIC_URL: 'https://payee.example',
  PAYEE_KEYS: JSON.stringify({ k1: KEY }),
  PAYEE_FINGERPRINT_KEY: randomBytes(32).toString('base64'),
};

/** The environment the service would read, with a config file when one is given. */
function environment(env: Record<string, string>, file?: object): Record<string, string> {
  const dataDir = tempDataDir();
  if (!file) return { DATA_DIR: dataDir, ...env };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(file));
  return { DATA_DIR: dataDir, PAYEE_CONFIG: join(dataDir, 'config.json'), ...env };
}

const refused: Array<[string, Record<string, string>, object | undefined, RegExp]> = [
  ['a port that is not a number', { PORT: 'eighty' }, undefined, /invalid environment: PORT: must be a port number/],
  ['an unknown environment', { PAYEE_ENV: 'staging' }, undefined, /PAYEE_ENV: must be development, uat or production/],
  [
    'production without keys',
    { PAYEE_ENV: 'production', PUBLIC_URL: 'https://payee.example' },
    undefined,
    /production needs keys/,
  ],
  [
    'production without a fingerprint key',
    { PAYEE_ENV: 'production', PUBLIC_URL: 'https://payee.example', PAYEE_KEYS: JSON.stringify({ k1: KEY }) },
    undefined,
    /production needs a fingerprint key: set PAYEE_FINGERPRINT_KEY/,
  ],
  [
    'a fingerprint key without keys',
    { PAYEE_FINGERPRINT_KEY: KEY },
    undefined,
    /fingerprint key is given without keys/,
  ],
  ['a key of the wrong size', { PAYEE_KEYS: '{"k1":"c2hvcnQ="}' }, undefined, /key "k1" must be 32 bytes in base64/],
  ['an unknown field in the config file', {}, { prot: 3000 }, /invalid config file .*prot/],
  [
    'a crash test hook in production',
    { ...PRODUCTION, PAYEE_CRASH_AT: 'after_submit' },
    undefined,
    /PAYEE_CRASH_AT: test hooks are refused outside development \(PAYEE_ENV=production\)/,
  ],
  [
    'the clock test hook in uat',
    { PAYEE_ENV: 'uat', PAYEE_CLOCK_OFFSET_FILE: '/tmp/offset' },
    undefined,
    /PAYEE_CLOCK_OFFSET_FILE: test hooks are refused outside development \(PAYEE_ENV=uat\)/,
  ],
  [
    'an unknown crash point',
    { PAYEE_CRASH_AT: 'before_commit' },
    undefined,
    /PAYEE_CRASH_AT: must be one of before_submit, after_submit, after_commit/,
  ],
];

for (const [name, env, file, message] of refused) {
  test(`refuses to start with ${name}`, async () => {
    await assert.rejects(
      async () => start(loadConfig(environment(env, file))),
      (err: Error) => err instanceof ConfigError && message.test(err.message),
    );
  });
}

test('the test hooks are taken in development', () => {
  const config = loadConfig(environment({ PAYEE_CRASH_AT: 'after_commit', PAYEE_CLOCK_OFFSET_FILE: '/tmp/offset' }));
  assert.deepEqual(config.testHooks, { crashAt: 'after_commit', clockOffsetFile: '/tmp/offset' });
  assert.deepEqual(loadConfig(environment(PRODUCTION)).testHooks, { crashAt: undefined, clockOffsetFile: undefined });
});

test('the process exits with 78 and says why, naming the setting', async () => {
  await assert.rejects(startServer({ env: { PORT: 'eighty' } }), (err: Error) => {
    assert.match(err.message, /server exited with 78/);
    assert.match(err.message, /Payee cannot start: invalid environment: PORT: must be a port number/);
    return true;
  });
});
