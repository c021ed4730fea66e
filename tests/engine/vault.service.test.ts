// The card/phone vault on a real SQLite file: sealed at rest with the key id beside it,
// one token per value through a keyed fingerprint, and key rotation by command while
// older values still decrypt, until every sealed value (vault records, webhook secrets,
// payout-link tokens) is under the new key and the old one can be retired.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { openTestDb, storeEnv } from '../helpers/store.ts';
import { keyFilePath, loadKeyring } from '../../server/vault/keyring.ts';
import { getWebhookSecret } from '../../server/merchants/store.ts';
import { keyUsage, resealAll } from '../../server/vault/reseal.ts';
import { reveal, tokenize, vaultFingerprint } from '../../server/vault/vault.ts';
import { seedMerchant } from '../helpers/engine.ts';
import { startService } from '../helpers/service.ts';
import { api, tempDataDir } from '../helpers/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const clock = { now: () => Date.now() };
const PAN = '4111111111111111';

test('tokenize seals the value, reveals it back, and maps one value to one token', async () => {
  const dataDir = tempDataDir();
  const db = await openTestDb(dataDir);
  try {
    const keyring = loadKeyring({ dataDir });
    const s = { db, keyring, clock };
    const a = await tokenize(s, 'pan', PAN);
    const b = await tokenize(s, 'pan', PAN);
    const c = await tokenize(s, 'pan', '2200000000000004');
    const parallel = await Promise.all(Array.from({ length: 10 }, () => tokenize(s, 'phone', '79000000001')));
    assert.equal(a.token, b.token);
    assert.notEqual(a.token, c.token);
    assert.equal(new Set(parallel.map((p) => p.token)).size, 1);
    assert.equal(await reveal(s, a.token), PAN);
    assert.equal(await reveal(s, parallel[0]!.token), '79000000001');

    const rows = await db.selectFrom('vault_items').selectAll().execute();
    assert.equal(rows.length, 3);
    for (const r of rows) {
      assert.ok(
        !r.sealed.includes(PAN) && !Buffer.from(r.sealed.split(':')[1]!, 'base64').toString('latin1').includes(PAN),
      );
      assert.equal(r.key_id, keyring.currentId);
      assert.ok(r.sealed.startsWith(`${r.key_id}:`));
    }
    // A keyed fingerprint: not a plain hash, and different under another key.
    assert.notEqual(a.fingerprint, createHash('sha256').update(PAN).digest('hex'));
    assert.notEqual(a.fingerprint, vaultFingerprint(loadKeyring({ dataDir: tempDataDir() }), 'pan', PAN));
    // A sealed value moved to another token does not open.
    const row = rows.find((r) => r.token === a.token)!;
    await db.updateTable('vault_items').set({ sealed: row.sealed }).where('token', '=', c.token).execute();
    await assert.rejects(reveal(s, c.token));
    await assert.rejects(reveal(s, 'tok_card_unknown'), /unknown token/);
  } finally {
    await db.destroy();
  }
});

test('development keys are generated owner-only; rotation re-seals every value, and the old key can then be retired', async () => {
  const dataDir = tempDataDir();
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/vault.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, ...storeVars },
    });
  const storeVars = await storeEnv(dataDir);
  const payout = {
    orderNumber: 'ROTATE-1',
    amount: 150000,
    sessionTimeoutSecs: 1800,
    urls: { returnUrl: 'http://localhost/done' },
  };
  const card = { orderNumber: 'ROTATE-2', amount: 100, description: 'x', target: { pan: PAN } };
  const linkToken = (url: string) => url.split('/pay/')[1];

  // Under key k1: a card in the vault (performPayout), webhook secrets (the demo merchant and
  // this one), payout-link tokens (createPayout, and the demo's own).
  const before = await startService({ dataDir });
  const merchant = await seedMerchant(dataDir, { returnOrigins: ['http://localhost'] });
  let link = '';
  try {
    const m = { url: before.url, token: merchant.token };
    link = (await api(m, 'POST', 'createPayout', payout)).body.payoutUrl;
    assert.match(link, /\/pay\/[\w-]{43}$/);
    const first = await api(m, 'POST', 'performPayout', card);
    assert.equal(first.status, 200, JSON.stringify(first.body));
  } finally {
    await before.stop();
  }
  assert.equal(statSync(keyFilePath(dataDir)).mode & 0o777, 0o600);

  const out = (await cli(['rotate'])).stdout;
  assert.match(out, /new current key: k2/);
  const resealed = Number(/re-sealed (\d+) value\(s\) with key k2/.exec(out)?.[1]);
  assert.ok(resealed >= 4, out); // at least 1 card, 2 webhook secrets, 1 link token
  assert.match(out, new RegExp(`k1: 0 value\\(s\\)\\n {2}k2: ${resealed} value\\(s\\)`));
  assert.equal(statSync(keyFilePath(dataDir)).mode & 0o777, 0o600);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(keyFilePath(dataDir), 'utf8')).keys), ['k1', 'k2']);

  // The operator retires k1.
  const file = JSON.parse(readFileSync(keyFilePath(dataDir), 'utf8'));
  delete file.keys.k1;
  writeFileSync(keyFilePath(dataDir), JSON.stringify(file));
  assert.match((await cli(['status'])).stdout, /^current key: k2\n {2}k2: \d+ value\(s\)\n$/);

  const after = await startService({ dataDir });
  try {
    const m = { url: after.url, token: merchant.token };
    // The repeated createPayout still answers the same link, and the link opens.
    const repeated: string = (await api(m, 'POST', 'createPayout', payout)).body.payoutUrl;
    assert.equal(linkToken(repeated), linkToken(link));
    assert.equal((await fetch(`${after.url}/pay/${linkToken(repeated)}`)).status, 200);
    const again = await api(m, 'POST', 'performPayout', { ...card, orderNumber: 'ROTATE-3' });
    assert.equal(again.status, 200, JSON.stringify(again.body));
  } finally {
    await after.stop();
  }
  const db = await openTestDb(dataDir);
  try {
    const keyring = loadKeyring({ dataDir });
    assert.equal(keyring.currentId, 'k2');
    assert.equal(await getWebhookSecret(db, keyring, merchant.id), merchant.webhookSecret);
    // The same card is still one vault record (the fingerprint key does not rotate).
    const cards = await db.selectFrom('vault_items').select(['token', 'key_id']).where('kind', '=', 'pan').execute();
    assert.deepEqual(
      cards.map((c) => c.key_id),
      ['k2'],
    );
    assert.equal(await reveal({ db, keyring }, cards[0]!.token), PAN);
  } finally {
    await db.destroy();
  }
  await assert.rejects(cli(['frobnicate']), /unknown command frobnicate/);
});

test('keys from configuration: a new current key seals new values, reencrypt moves old ones, the fingerprint key stays', async () => {
  const dataDir = tempDataDir();
  const key = (b: number) => Buffer.alloc(32, b).toString('base64');
  const fingerprint = key(9);
  const db = await openTestDb(dataDir);
  try {
    const old = loadKeyring({ dataDir, keys: { byId: { a: key(1) }, currentKeyId: 'a', fingerprint } });
    const t = (await tokenize({ db, keyring: old, clock }, 'pan', PAN)).token;
    const both = loadKeyring({ dataDir, keys: { byId: { a: key(1), b: key(2) }, currentKeyId: 'b', fingerprint } });
    assert.equal(await reveal({ db, keyring: both }, t), PAN, 'old records still decrypt');
    const t2 = (await tokenize({ db, keyring: both, clock }, 'pan', '2200000000000004')).token;
    assert.deepEqual(await keyUsage(db, both), { a: 1, b: 1 });
    assert.equal(await resealAll(db, both), 1);
    assert.deepEqual(await keyUsage(db, both), { a: 0, b: 2 });
    assert.equal(await resealAll(db, both), 0);
    // Key a can now be retired; the same card still finds its token.
    const onlyB = loadKeyring({ dataDir, keys: { byId: { b: key(2) }, currentKeyId: 'b', fingerprint } });
    assert.equal(await reveal({ db, keyring: onlyB }, t), PAN);
    assert.equal(await reveal({ db, keyring: onlyB }, t2), '2200000000000004');
    assert.equal((await tokenize({ db, keyring: onlyB, clock }, 'pan', PAN)).token, t);
    // Values under a key that is no longer configured are counted, not silently skipped.
    const onlyC = loadKeyring({ dataDir, keys: { byId: { c: key(3) }, currentKeyId: 'c', fingerprint } });
    assert.deepEqual(await keyUsage(db, onlyC), { c: 0, unknown: 2 });
    await assert.rejects(resealAll(db, onlyC), /no key b/);
  } finally {
    await db.destroy();
  }
});
