// The card/phone vault on a real SQLite file: sealed at rest with the key id beside it,
// one token per value through a keyed fingerprint, and key rotation by command while
// older records still decrypt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { openDb } from '../../server/db/index.ts';
import { keyFilePath, loadKeyring } from '../../server/vault/keyring.ts';
import { keyUsage, reencryptAll, reveal, tokenize, vaultFingerprint } from '../../server/vault/vault.ts';
import { tempDataDir } from '../helpers/server.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const clock = { now: () => Date.now() };
const PAN = '4111111111111111';

test('tokenize seals the value, reveals it back, and maps one value to one token', async () => {
  const dataDir = tempDataDir();
  const db = await openDb(dataDir);
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
      assert.ok(!r.sealed.includes(PAN) && !Buffer.from(r.sealed.split(':')[1]!, 'base64').toString('latin1').includes(PAN));
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

test('development keys are generated owner-only; rotation keeps old records readable and re-seals them', async () => {
  const dataDir = tempDataDir();
  const db = await openDb(dataDir);
  let token: string;
  try {
    const k1 = loadKeyring({ dataDir });
    assert.equal(statSync(keyFilePath(dataDir)).mode & 0o777, 0o600);
    token = (await tokenize({ db, keyring: k1, clock }, 'pan', PAN)).token;
  } finally {
    await db.destroy();
  }
  const cli = (args: string[]) => promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli/vault.ts', ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir } });
  const out = (await cli(['rotate'])).stdout;
  assert.match(out, /new current key: k2/);
  assert.match(out, /re-sealed 1 record\(s\) with key k2/);
  assert.match(out, /k1: 0 record\(s\)[\s\S]*k2: 1 record\(s\)/);
  assert.equal(statSync(keyFilePath(dataDir)).mode & 0o777, 0o600);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(keyFilePath(dataDir), 'utf8')).keys), ['k1', 'k2']);

  const db2 = await openDb(dataDir);
  try {
    const k2 = loadKeyring({ dataDir });
    assert.equal(k2.currentId, 'k2');
    assert.equal(await reveal({ db: db2, keyring: k2 }, token), PAN);
    // Same value, same token after rotation (the fingerprint key does not rotate).
    assert.equal((await tokenize({ db: db2, keyring: k2, clock }, 'pan', PAN)).token, token);
    assert.deepEqual(await keyUsage(db2), { k2: 1 });
    assert.equal(await reencryptAll({ db: db2, keyring: k2 }), 0);
  } finally {
    await db2.destroy();
  }
  await assert.rejects(cli(['frobnicate']), /unknown command frobnicate/);
});

test('keys from configuration: a new current key seals new records, reencrypt moves old ones', async () => {
  const dataDir = tempDataDir();
  const key = (b: number) => Buffer.alloc(32, b).toString('base64');
  const db = await openDb(dataDir);
  try {
    const old = loadKeyring({ dataDir, keys: { byId: { a: key(1) }, currentKeyId: 'a' } });
    const t = (await tokenize({ db, keyring: old, clock }, 'pan', PAN)).token;
    const both = loadKeyring({ dataDir, keys: { byId: { a: key(1), b: key(2) }, currentKeyId: 'b' } });
    assert.equal(await reveal({ db, keyring: both }, t), PAN, 'old records still decrypt');
    const t2 = (await tokenize({ db, keyring: both, clock }, 'pan', '2200000000000004')).token;
    assert.deepEqual(await keyUsage(db), { a: 1, b: 1 });
    assert.equal(await reencryptAll({ db, keyring: both }), 1);
    assert.deepEqual(await keyUsage(db), { b: 2 });
    // Key a can now be retired.
    const onlyB = loadKeyring({ dataDir, keys: { byId: { b: key(2) }, currentKeyId: 'b' } });
    assert.equal(await reveal({ db, keyring: onlyB }, t), PAN);
    assert.equal(await reveal({ db, keyring: onlyB }, t2), '2200000000000004');
  } finally {
    await db.destroy();
  }
});
