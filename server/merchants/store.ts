// Merchants: creation, lookup by API token, settings.
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import type { Db } from '../db/index.ts';
import { prepared } from '../db/prepared.ts';
import type { Keyring } from '../vault/keyring.ts';
import { hasUnsafeCharacters } from '../../src/contract/text.ts';
import { openString, sealToString } from '../vault/cipher.ts';
import { webhookSecretContext } from '../vault/contexts.ts';
import {
  MerchantSettingsSchema,
  validateMerchantSettings,
  type MerchantSettings,
  type SettingsContext,
} from './settings.ts';
import { hashToken, newApiToken, newWebhookSecret, sameHash } from './tokens.ts';
import { addApiToken, noteTokenUse, revokeAllApiTokens } from './api-tokens.ts';

export interface Merchant {
  id: string;
  name: string;
  settings: MerchantSettings;
  active: boolean;
  createdAt: number;
}

export type MerchantRow = { id: string; name: string; settings: string; active: number; created_at: number };
const COLUMNS = ['id', 'name', 'settings', 'active', 'created_at'] as const;

/** Settings parsed, by their stored text (a page answer reads its merchant every time); frozen, as they are shared. */
const parsedSettings = new Map<string, MerchantSettings>();
const PARSED_SETTINGS_MAX = 1000;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function parseSettings(text: string): MerchantSettings {
  let settings = parsedSettings.get(text);
  if (!settings) {
    settings = deepFreeze(v.parse(MerchantSettingsSchema, JSON.parse(text)));
    if (parsedSettings.size >= PARSED_SETTINGS_MAX) parsedSettings.clear();
    parsedSettings.set(text, settings);
  }
  return settings;
}

/** A merchant as its row holds it (the settings parsed once per text). */
export function merchantOf(row: MerchantRow): Merchant {
  return {
    id: row.id,
    name: row.name,
    settings: parseSettings(row.settings),
    active: row.active === 1,
    createdAt: row.created_at,
  };
}

export class SettingsError extends Error {}

function checked(raw: unknown, ctx: SettingsContext): MerchantSettings {
  const r = validateMerchantSettings(raw, ctx);
  if (!r.ok) throw new SettingsError(`invalid merchant settings: ${r.reason}`);
  return r.settings;
}

/** A merchant's name is shown to recipients when it has no display name. */
function checkName(name: string): void {
  if (hasUnsafeCharacters(name) || !name.trim())
    throw new SettingsError(
      'the merchant name must not be empty or contain control, bidirectional or zero-width characters',
    );
}

export interface CreatedMerchant {
  merchant: Merchant;
  token: string;
  webhookSecret: string;
}

export async function createMerchant(
  db: Db,
  keyring: Keyring,
  input: { name: string; settings: unknown; id?: string },
  ctx: SettingsContext,
): Promise<CreatedMerchant> {
  const settings = checked(input.settings, ctx);
  checkName(input.name);
  const id = input.id ?? `m_${randomBytes(8).toString('hex')}`;
  const token = newApiToken();
  const webhookSecret = newWebhookSecret();
  const now = Date.now();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('merchants')
      .values({
        id,
        name: input.name,
        // The first token's hash; api_tokens decides which tokens work.
        token_hash: hashToken(token),
        settings: JSON.stringify(settings),
        webhook_secret: sealToString(keyring, webhookSecret, webhookSecretContext(id)),
        active: 1,
        created_at: now,
      })
      .execute();
    await addApiToken(tx, id, 'default', now, token);
  });
  return { merchant: { id, name: input.name, settings, active: true, createdAt: now }, token, webhookSecret };
}

/** Every API request looks its token up: built once (db/prepared.ts). */
const liveTokenQuery = prepared((db: Db, hash: string) =>
  db
    .selectFrom('api_tokens as t')
    .innerJoin('merchants as m', 'm.id', 't.merchant_id')
    .select([
      'm.id',
      'm.name',
      'm.settings',
      'm.active',
      'm.created_at',
      't.id as token_id',
      't.token_hash',
      't.last_used_at',
    ])
    .where('t.token_hash', '=', hash)
    .where('t.revoked_at', 'is', null),
);

/** The merchant behind a live API token (any of its named tokens). */
export async function findMerchantByToken(db: Db, token: string): Promise<Merchant | undefined> {
  const hash = hashToken(token);
  const [row] = await liveTokenQuery(db, hash);
  if (!row || !sameHash(row.token_hash, hash)) return undefined;
  await noteTokenUse(db, row.token_id, row.last_used_at, Date.now());
  return merchantOf(row);
}

/** Built once, and what is committed (db/prepared.ts). */
const merchantById = prepared((db: Db, id: string) => db.selectFrom('merchants').select(COLUMNS).where('id', '=', id), {
  committed: true,
});

export async function getMerchant(db: Db, id: string): Promise<Merchant | undefined> {
  const [row] = await merchantById(db, id);
  return row && merchantOf(row);
}

export async function listMerchants(db: Db): Promise<Merchant[]> {
  const rows = await db.selectFrom('merchants').select(COLUMNS).orderBy('created_at').execute();
  return rows.map(merchantOf);
}

export async function updateMerchantSettings(
  db: Db,
  id: string,
  patch: Partial<MerchantSettings>,
  ctx: SettingsContext,
  name?: string,
): Promise<Merchant> {
  const current = await getMerchant(db, id);
  if (!current) throw new Error(`no merchant ${id}`);
  const settings = checked({ ...current.settings, ...patch }, ctx);
  if (name) checkName(name);
  await db
    .updateTable('merchants')
    .set({ settings: JSON.stringify(settings), ...(name ? { name } : {}) })
    .where('id', '=', id)
    .execute();
  return { ...current, settings, name: name ?? current.name };
}

export async function setMerchantActive(db: Db, id: string, active: boolean): Promise<void> {
  await db
    .updateTable('merchants')
    .set({ active: active ? 1 : 0 })
    .where('id', '=', id)
    .execute();
}

/** Issues a new API token; every other token of the merchant stops working at once. */
export async function rotateApiToken(db: Db, id: string): Promise<string> {
  if (!(await getMerchant(db, id))) throw new Error(`no merchant ${id}`);
  const now = Date.now();
  return db.transaction().execute(async (tx) => {
    await revokeAllApiTokens(tx, id, now);
    return (await addApiToken(tx, id, 'rotated', now)).token;
  });
}

/** How long a rotated webhook secret still signs, beside the new one: time for receivers to switch. */
export const WEBHOOK_SECRET_OVERLAP_MS = 24 * 3600_000;

/** Issues a new webhook secret; the one it replaces keeps signing too for WEBHOOK_SECRET_OVERLAP_MS. */
export async function rotateWebhookSecret(db: Db, keyring: Keyring, id: string, now = Date.now()): Promise<string> {
  const secret = newWebhookSecret();
  const r = await db
    .updateTable('merchants')
    .set((eb) => ({
      previous_webhook_secret: eb.ref('webhook_secret'),
      previous_secret_until: now + WEBHOOK_SECRET_OVERLAP_MS,
      webhook_secret: sealToString(keyring, secret, webhookSecretContext(id)),
    }))
    .where('id', '=', id)
    .executeTakeFirst();
  if (r.numUpdatedRows === 0n) throw new Error(`no merchant ${id}`);
  return secret;
}

/** The secrets webhooks are signed with now: the current one, and the previous one while it overlaps. */
export async function getWebhookSecrets(
  db: Db,
  keyring: Keyring,
  id: string,
  now: number,
): Promise<{ current: string; previous?: string } | undefined> {
  const row = await db
    .selectFrom('merchants')
    .select(['webhook_secret', 'previous_webhook_secret', 'previous_secret_until'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row?.webhook_secret) return undefined;
  const current = openString(keyring, row.webhook_secret, webhookSecretContext(id));
  const overlapping =
    row.previous_webhook_secret && row.previous_secret_until !== null && now < row.previous_secret_until;
  return overlapping
    ? { current, previous: openString(keyring, row.previous_webhook_secret!, webhookSecretContext(id)) }
    : { current };
}

export async function getWebhookSecret(db: Db, keyring: Keyring, id: string): Promise<string | undefined> {
  return (await getWebhookSecrets(db, keyring, id, Date.now()))?.current;
}
