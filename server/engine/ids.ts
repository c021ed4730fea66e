import { createHash, randomBytes } from 'node:crypto';

/** Public payout id ("orderId" in the Quantum Payouts API). */
export function newOrderId(): string {
  return `po_${randomBytes(12).toString('base64url')}`;
}

/** The secret in a payoutUrl: 256 random bits; only its hash is looked up. */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A stable hash of a JSON value (keys sorted), to tell a repeat from a different request. */
export function requestHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
