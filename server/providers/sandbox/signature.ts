// The sandbox's callback signature: X-Sandbox-Signature: <hex HMAC-SHA256 of the body>.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGN_HEADER = 'x-sandbox-signature';

export function signBody(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export function verifyBody(body: string, header: string | null, secret: string): boolean {
  const got = Buffer.from(header ?? '');
  const expected = Buffer.from(signBody(body, secret));
  return got.length === expected.length && timingSafeEqual(got, expected);
}
