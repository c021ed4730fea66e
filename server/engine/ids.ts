// A namespace import: crypto.hash is missing before Node 20.12, and a named import of it would not load there.
import * as crypto from 'node:crypto';

/** Public payout id ("orderId" in the Quantum Payouts API). */
export function newOrderId(): string {
  return `po_${crypto.randomBytes(12).toString('base64url')}`;
}

/** The secret in a payoutUrl: 256 random bits; only its hash is looked up. */
export function newLinkToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** One call where Node has it (20.12 and later): every page answer hashes its link. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

export function hashLinkToken(token: string): string {
  return sha256Hex(token);
}

/** A stable hash of a JSON value (keys sorted), to tell a repeat from a different request. */
export function requestHash(value: unknown): string {
  return crypto.createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
