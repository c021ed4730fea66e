// Secret keys for encryption at rest (card numbers, webhook secrets, link tokens).
// From configuration when given (required in production); otherwise generated once
// into DATA_DIR/keys.json, readable by the owner only.
import { randomBytes, hkdfSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, renameSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import type { Config } from '../config.ts';

export interface Keyring {
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
  /** Key for HMAC fingerprints; stays the same across rotations so duplicates still match. */
  fingerprintKey: Buffer;
}

const KeyFileSchema = v.object({
  current: v.string(),
  keys: v.record(v.string(), v.string()),
  fingerprint: v.string(),
});
type KeyFile = v.InferOutput<typeof KeyFileSchema>;

export function keyFilePath(dataDir: string): string {
  return join(dataDir, 'keys.json');
}

export function loadKeyring(config: Pick<Config, 'keys' | 'dataDir'>): Keyring {
  if (config.keys) {
    const ids = Object.keys(config.keys.byId);
    const keys = new Map(ids.map((id) => [id, Buffer.from(config.keys!.byId[id]!, 'base64')]));
    const fingerprintKey = config.keys.fingerprint
      ? Buffer.from(config.keys.fingerprint, 'base64')
      : Buffer.from(hkdfSync('sha256', keys.get(ids[0]!)!, Buffer.alloc(0), 'payee-fingerprint', 32));
    return { currentId: config.keys.currentKeyId, keys, fingerprintKey };
  }
  const path = keyFilePath(config.dataDir);
  if (!existsSync(path)) writeKeyFile(path, { current: 'k1', keys: { k1: newKey() }, fingerprint: newKey() });
  return fromFile(readKeyFile(path));
}

/** Adds a new key to DATA_DIR/keys.json and makes it current; old keys stay for decryption. */
export function rotateKeyFile(dataDir: string): string {
  const path = keyFilePath(dataDir);
  const file = readKeyFile(path);
  let n = Object.keys(file.keys).length + 1;
  while (file.keys[`k${n}`]) n++;
  const id = `k${n}`;
  file.keys[id] = newKey();
  file.current = id;
  writeKeyFile(path, file);
  return id;
}

function fromFile(file: KeyFile): Keyring {
  const keys = new Map(Object.entries(file.keys).map(([id, b64]) => [id, Buffer.from(b64, 'base64')]));
  if (!keys.has(file.current)) throw new Error(`keys.json: current key ${file.current} is missing`);
  return { currentId: file.current, keys, fingerprintKey: Buffer.from(file.fingerprint, 'base64') };
}

function readKeyFile(path: string): KeyFile {
  return v.parse(KeyFileSchema, JSON.parse(readFileSync(path, 'utf8')));
}

function newKey(): string {
  return randomBytes(32).toString('base64');
}

function writeKeyFile(path: string, file: KeyFile): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(file, null, 2), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
