// The Quantum Payouts webhook signature: X-Payouts-Signature: sha256=<hex HMAC-SHA256>
// over the minified JSON body, keyed by the webhook secret.
import { timingSafeEqual } from 'node:crypto';
import { bodySignature } from '../../lib/payouts-signature.ts';

/** The body as the sender signs it: JSON minified (as its Node example does). Null when not JSON. */
export function minified(rawBody: string): string | null {
  try {
    return JSON.stringify(JSON.parse(rawBody));
  } catch {
    return null;
  }
}

/**
 * True when the header matches the minified body (or, for senders that sign the bytes
 * as sent, the raw body). Compared in constant time.
 */
export function verifyWebhookSignature(secret: string, rawBody: string, header: string | null): boolean {
  if (!header) return false;
  const got = Buffer.from(header.trim());
  const candidates = new Set([minified(rawBody), rawBody].filter((b): b is string => b !== null));
  let ok = false;
  for (const body of candidates) {
    const expected = Buffer.from(bodySignature(secret, body));
    if (expected.length === got.length && timingSafeEqual(expected, got)) ok = true;
  }
  return ok;
}
