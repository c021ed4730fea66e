// 3. Production defaults: no sandbox unless the operator configures one and says so,
// never a known callback secret, no demo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { settingsContext, validateMerchantSettings } from '../../server/merchants/settings.ts';
import { startService } from '../helpers/service.ts';
import { startServer, tempDataDir } from '../helpers/server.ts';
import { productionEnv, startProduction } from './production.ts';

const OLD_DEFAULT_SECRET = 'sandbox-callback-secret';

function forgedCallback(url: string, instance: string) {
  const body = JSON.stringify({ orderId: 'p_1', idempotencyKey: 'k', ref: 'r', status: 'success' });
  return fetch(`${url}/callbacks/${instance}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Sandbox-Signature': createHmac('sha256', OLD_DEFAULT_SECRET).update(body).digest('hex'),
    },
    body,
  });
}

test('production has no sandbox instance: a forged sandbox callback finds no such instance', async () => {
  const svc = await startService({ env: productionEnv() });
  try {
    assert.deepEqual(Object.keys(svc.services.config.providers), []);
    const res = await forgedCallback(svc.url, 'sandbox');
    assert.equal(res.status, 404);
    assert.match(await res.text(), /unknown provider instance/);
  } finally {
    await svc.stop();
  }
});

test('a sandbox without a configured secret does not take the once-published default', async () => {
  const svc = await startService({ env: { PAYEE_DEMO: '0' } });
  try {
    const res = await forgedCallback(svc.url, 'sandbox');
    assert.equal(res.status, 401);
  } finally {
    await svc.stop();
  }
});

test('production takes a sandbox instance only when the operator says so explicitly', () => {
  const dir = tempDataDir();
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ providers: { sandbox: { kind: 'sandbox' } } }));
  const env = { ...productionEnv(), DATA_DIR: dir, PAYEE_CONFIG: file };
  assert.throws(
    () => loadConfig(env),
    (err: Error) =>
      err instanceof ConfigError &&
      /provider "sandbox" is a sandbox: production takes one only with PAYEE_ALLOW_SANDBOX=1/.test(err.message),
  );
  assert.deepEqual(loadConfig({ ...env, PAYEE_ALLOW_SANDBOX: '1' }).providers, { sandbox: { kind: 'sandbox' } });
});

test('a production merchant is routed to a sandbox only with its explicit flag', async () => {
  const svc = await startProduction();
  try {
    const ctx = settingsContext(svc.services.config);
    const routes = [{ type: 'card', channel: 'vtb', provider: 'sandbox' }];
    const refused = validateMerchantSettings({ routes }, ctx);
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.match(refused.reason, /"sandbox" is a sandbox; a production merchant needs allowSandbox/);
    assert.equal(validateMerchantSettings({ routes, allowSandbox: true }, ctx).ok, true);
  } finally {
    await svc.stop();
  }
});

test('PAYEE_DEMO=1 in production stops the process at start, saying why', async () => {
  await assert.rejects(startServer({ env: { ...productionEnv(), PAYEE_DEMO: '1' } }), (err: Error) => {
    assert.match(err.message, /server exited with 78/);
    assert.match(err.message, /Payee cannot start: PAYEE_DEMO: the demo is refused in production/);
    return true;
  });
});
