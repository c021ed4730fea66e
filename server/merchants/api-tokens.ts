// A merchant's named API tokens: several may be live at once, so a client can move to a
// new token before the old one is revoked. Only the hash is stored; the token is shown once.
import { randomBytes } from 'node:crypto';
import type { Db, Tx } from '../db/index.ts';
import { hashToken, newApiToken } from './tokens.ts';

export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** Last use is written at most this often per token: a busy client does not write on every call. */
const LAST_USE_PRECISION_MS = 60_000;

export async function addApiToken(
  db: Db | Tx,
  merchantId: string,
  name: string,
  now: number,
  token = newApiToken(),
): Promise<{ id: string; token: string }> {
  const id = `tok_${randomBytes(8).toString('hex')}`;
  await db
    .insertInto('api_tokens')
    .values({ id, merchant_id: merchantId, name, token_hash: hashToken(token), created_at: now })
    .execute();
  return { id, token };
}

export async function listApiTokens(db: Db, merchantId: string): Promise<ApiTokenInfo[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

/** Revokes one live token of this merchant; false when there is none by that id. */
export async function revokeApiToken(db: Db, merchantId: string, tokenId: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', tokenId)
    .where('merchant_id', '=', merchantId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Revokes every live token of the merchant. */
export async function revokeAllApiTokens(db: Db | Tx, merchantId: string, now: number): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('merchant_id', '=', merchantId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Notes a token's use, at most once a LAST_USE_PRECISION_MS. */
export async function noteTokenUse(db: Db, tokenId: string, lastUsedAt: number | null, now: number): Promise<void> {
  if (lastUsedAt !== null && now - lastUsedAt < LAST_USE_PRECISION_MS) return;
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', tokenId).execute();
}
