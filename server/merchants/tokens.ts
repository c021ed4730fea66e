// API tokens and webhook secrets: random, shown once, stored hashed (tokens) or
// sealed (webhook secrets, which we need back to sign).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newApiToken(): string {
  return `payee_${randomBytes(32).toString('base64url')}`;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** Tokens carry 256 random bits, so a fast hash is enough to store them. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
