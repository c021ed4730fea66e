// The payments platform says its webhooks are "signed with the token" and no more. Our
// reading, kept in one place: X-Signature: <hex HMAC-SHA256 of the raw body, keyed by the
// API token> (a "sha256=" prefix is accepted). It only filters noise: every webhook is
// confirmed with GET /api/payments/:id before anything changes.
import { createHmac, createHash, timingSafeEqual } from 'node:crypto';

export function platformSignature(token: string, rawBody: string): string {
  return createHmac('sha256', token).update(rawBody, 'utf8').digest('hex');
}

export function verifyPlatformSignature(token: string, rawBody: string, header: string | null): boolean {
  if (!header) return false;
  const got = Buffer.from(
    header
      .trim()
      .replace(/^sha256=/, '')
      .toLowerCase(),
  );
  const expected = Buffer.from(platformSignature(token, rawBody));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** The platform wants a UUID v4 as Idempotency-Key: ours, hashed into that shape (same key, same UUID). */
export function idempotencyUuid(key: string): string {
  const b = createHash('sha256').update(key).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
