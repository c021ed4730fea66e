// A wrong configuration stops the service at start with a message naming the setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../helpers/server.ts';

const refused: Array<[string, Parameters<typeof startServer>[0], RegExp]> = [
  ['a port that is not a number', { env: { PORT: 'eighty' } }, /invalid environment: PORT: must be a port number/],
  ['an unknown environment', { env: { PAYEE_ENV: 'staging' } }, /PAYEE_ENV: must be development, uat or production/],
  [
    'production without keys',
    { env: { PAYEE_ENV: 'production', PUBLIC_URL: 'https://payee.example' } },
    /production needs keys/,
  ],
  [
    'production without a fingerprint key',
    {
      env: {
        PAYEE_ENV: 'production',
        PUBLIC_URL: 'https://payee.example',
        PAYEE_KEYS: JSON.stringify({ k1: Buffer.alloc(32, 1).toString('base64') }),
      },
    },
    /production needs a fingerprint key: set PAYEE_FINGERPRINT_KEY/,
  ],
  [
    'a fingerprint key without keys',
    { env: { PAYEE_FINGERPRINT_KEY: Buffer.alloc(32, 1).toString('base64') } },
    /fingerprint key is given without keys/,
  ],
  ['a key of the wrong size', { env: { PAYEE_KEYS: '{"k1":"c2hvcnQ="}' } }, /key "k1" must be 32 bytes in base64/],
  ['an unknown field in the config file', { config: { prot: 3000 } }, /invalid config file .*prot/],
];

for (const [name, options, message] of refused) {
  test(`refuses to start with ${name}`, async () => {
    await assert.rejects(startServer(options), (err: Error) => {
      assert.match(err.message, /server exited with 78/);
      assert.match(err.message, message);
      return true;
    });
  });
}
