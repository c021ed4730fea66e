// The payout.status_changed webhook signatures: what our webhooks carry and what an
// upstream Quantum Payouts account sends us. Both use HMAC-SHA256 with the webhook
// secret (the string as shown to the merchant, UTF-8):
//   X-Payouts-Signature:    sha256=<hex HMAC(body)>              (Quantum-compatible; no time, replayable)
//   X-Payouts-Signature-V2: t=<unix seconds>,v1=<hex HMAC("<t>.<body>")>  (refuse old t to stop replays)
import { createHmac, timingSafeEqual } from 'node:crypto';

function hmacHex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

export function bodySignature(secret: string, body: string): string {
  return `sha256=${hmacHex(secret, body)}`;
}

export function timestampedSignature(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacHex(secret, `${unixSeconds}.${body}`)}`;
}

/** Verifies an X-Payouts-Signature-V2 header within a tolerance (seconds) of `nowSeconds`. */
export function verifyTimestamped(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSecs = 300,
): boolean {
  const t = /(?:^|,)t=(\d+)(?:,|$)/.exec(header)?.[1];
  if (!t || Math.abs(nowSeconds - Number(t)) > toleranceSecs) return false;
  const expected = Buffer.from(hmacHex(secret, `${t}.${body}`));
  return header
    .split(',')
    .filter((part) => part.startsWith('v1='))
    .some((part) => {
      const got = Buffer.from(part.slice(3));
      return got.length === expected.length && timingSafeEqual(got, expected);
    });
}
