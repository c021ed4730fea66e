// Bank 131 signs and checks every message the same way: RSASSA-PKCS1-v1_5 with
// SHA-256 over the exact body bytes, standard Base64 in X-PARTNER-SIGN. Nothing
// else (URL, headers, time) is covered, so the body we sign is the body we send.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export const SIGN_HEADER = 'X-PARTNER-SIGN';

export function signBody(body: string, privateKey: KeyObject): string {
  return sign('sha256', Buffer.from(body, 'utf8'), privateKey).toString('base64');
}

/** False for a missing, malformed or wrong signature; never throws. */
export function verifyBody(body: string, signatureB64: string | null | undefined, publicKey: KeyObject): boolean {
  if (!signatureB64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(signatureB64.trim())) return false;
  try {
    return verify('sha256', Buffer.from(body, 'utf8'), publicKey, Buffer.from(signatureB64.trim(), 'base64'));
  } catch {
    return false;
  }
}

/** RSA keys only, at least 2048 bits (the bank's minimum is not published; 2048 is what its SDK uses). */
export function rsaPrivateKey(pem: string, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new Error(`${what}: not a PEM private key (${(err as Error).message})`);
  }
  return checkRsa(key, what);
}

export function rsaPublicKey(pem: string, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new Error(`${what}: not a PEM public key (${(err as Error).message})`);
  }
  return checkRsa(key, what);
}

function checkRsa(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`${what}: must be an RSA key, got ${key.asymmetricKeyType}`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new Error(`${what}: RSA key must be at least 2048 bits, got ${bits}`);
  return key;
}
