// AES-256-GCM sealing with the key id kept beside the ciphertext, and keyed
// HMAC fingerprints. The `context` is bound as associated data, so a sealed
// value cannot be moved to another record or purpose.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.ts';

export interface Sealed {
  keyId: string;
  /** base64 of iv(12) | tag(16) | ciphertext */
  data: string;
}

export function seal(keyring: Keyring, plaintext: string, context: string): Sealed {
  const key = keyring.keys.get(keyring.currentId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId: keyring.currentId, data: Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64') };
}

export function open(keyring: Keyring, sealed: Sealed, context: string): string {
  const key = keyring.keys.get(sealed.keyId);
  if (!key) throw new Error(`no key ${sealed.keyId} to decrypt with`);
  const raw = Buffer.from(sealed.data, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/** Sealed value as one string `keyId:data`, for a single column. */
export function sealToString(keyring: Keyring, plaintext: string, context: string): string {
  const s = seal(keyring, plaintext, context);
  return `${s.keyId}:${s.data}`;
}

export function openString(keyring: Keyring, stored: string, context: string): string {
  const i = stored.indexOf(':');
  return open(keyring, { keyId: stored.slice(0, i), data: stored.slice(i + 1) }, context);
}

export function fingerprint(keyring: Keyring, value: string, purpose: string): string {
  return createHmac('sha256', keyring.fingerprintKey).update(`${purpose}\0${value}`).digest('hex');
}
