// The card/phone vault. A card number or phone is sealed (AES-256-GCM, key id kept
// with the record, the token bound as associated data) and replaced everywhere else by
// an opaque token. The same value maps to the same token through a keyed HMAC
// fingerprint (never a plain hash, which a 16-digit space would give away).
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/index.ts';
import type { Keyring } from './keyring.ts';
import { fingerprint, openString, sealToString } from './cipher.ts';
import { vaultContext } from './contexts.ts';

export type VaultKind = 'pan' | 'phone';

interface VaultDeps {
  db: Db;
  keyring: Keyring;
  clock: { now(): number };
}

const PREFIX: Record<VaultKind, string> = { pan: 'tok_card_', phone: 'tok_phone_' };

export function vaultFingerprint(keyring: Keyring, kind: VaultKind, value: string): string {
  return fingerprint(keyring, value, `vault-${kind}`);
}

/**
 * Stores the value (once) and returns its token and fingerprint. `created_at` becomes
 * now every time, stored or found: retention (engine/retention.ts) counts from the last
 * use, so a value being used again is never purged under the payout about to use it.
 */
export async function tokenize(
  s: VaultDeps,
  kind: VaultKind,
  value: string,
): Promise<{ token: string; fingerprint: string }> {
  const fp = vaultFingerprint(s.keyring, kind, value);
  const now = s.clock.now();
  const token = `${PREFIX[kind]}${randomBytes(16).toString('base64url')}`;
  const sealed = sealToString(s.keyring, value, vaultContext(token));
  // Stored already (or by a concurrent tokenize): keep its token.
  await s.db
    .insertInto('vault_items')
    .values({ token, kind, sealed, key_id: s.keyring.currentId, fingerprint: fp, created_at: now })
    .onConflict((oc) => oc.columns(['kind', 'fingerprint']).doUpdateSet({ created_at: now }))
    .execute();
  return { token: (await findByFingerprint(s.db, kind, fp))!, fingerprint: fp };
}

async function findByFingerprint(db: Db, kind: VaultKind, fp: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('vault_items')
    .select('token')
    .where('kind', '=', kind)
    .where('fingerprint', '=', fp)
    .executeTakeFirst();
  return row?.token;
}

/** The value behind a token, only for the moment it is handed to a provider. */
export async function reveal(s: Pick<VaultDeps, 'db' | 'keyring'>, token: string): Promise<string> {
  const row = await s.db.selectFrom('vault_items').select('sealed').where('token', '=', token).executeTakeFirst();
  if (!row) throw new Error('vault: unknown token');
  return openString(s.keyring, row.sealed, vaultContext(token));
}
