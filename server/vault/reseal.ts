// Key rotation for every value sealed at rest: vault records (card numbers, phones),
// merchants' webhook secrets, and the payout-link tokens kept to answer a repeated
// createPayout. Re-sealing them all under the current key lets an old key be retired.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { openString, sealToString } from './cipher.ts';
import type { Keyring } from './keyring.ts';
import { linkTokenContext, vaultContext, webhookSecretContext } from './contexts.ts';

/** A column holding `keyId:sealed` values, and what each value is bound to. */
interface SealedColumn {
  table: 'vault_items' | 'merchants' | 'payouts';
  idColumn: string;
  column: string;
  context: (id: string) => string;
  /** A column that repeats the key id, kept in step. */
  keyIdColumn?: string;
}

const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'vault_items', idColumn: 'token', column: 'sealed', context: vaultContext, keyIdColumn: 'key_id' },
  { table: 'merchants', idColumn: 'id', column: 'webhook_secret', context: webhookSecretContext },
  { table: 'merchants', idColumn: 'id', column: 'previous_webhook_secret', context: webhookSecretContext },
  { table: 'payouts', idColumn: 'order_id', column: 'link_token', context: linkTokenContext },
];

const BATCH = 500;

/** `keyId:` at the start of the column: plain SQL both SQLite and PostgreSQL speak. */
const underKey = (column: string, keyId: string) =>
  sql<boolean>`substr(${sql.ref(column)}, 1, ${keyId.length + 1}) = ${`${keyId}:`}`;

/** Re-seals every value not under the current key; returns how many changed. */
export async function resealAll(db: Db, keyring: Keyring): Promise<number> {
  let changed = 0;
  for (const c of SEALED_COLUMNS) {
    for (;;) {
      const { rows } = await sql<{ id: string; sealed: string }>`
        select ${sql.ref(c.idColumn)} as id, ${sql.ref(c.column)} as sealed from ${sql.table(c.table)}
        where ${sql.ref(c.column)} is not null and not ${underKey(c.column, keyring.currentId)}
        limit ${BATCH}`.execute(db);
      if (rows.length === 0) break;
      for (const row of rows) {
        const value = sealToString(keyring, openString(keyring, row.sealed, c.context(row.id)), c.context(row.id));
        const keyId = c.keyIdColumn ? sql`, ${sql.ref(c.keyIdColumn)} = ${keyring.currentId}` : sql``;
        // Only if unchanged meanwhile: a value written since was sealed by its writer.
        const result = await sql`
          update ${sql.table(c.table)} set ${sql.ref(c.column)} = ${value}${keyId}
          where ${sql.ref(c.idColumn)} = ${row.id} and ${sql.ref(c.column)} = ${row.sealed}`.execute(db);
        changed += Number(result.numAffectedRows ?? 0);
      }
    }
  }
  return changed;
}

/** How many sealed values each key of the keyring seals; `unknown`: under a key it does not have. */
export async function keyUsage(db: Db, keyring: Keyring): Promise<Record<string, number>> {
  const usage: Record<string, number> = {};
  let known = 0;
  let total = 0;
  for (const c of SEALED_COLUMNS) {
    const count = async (where: ReturnType<typeof sql<boolean>>) => {
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(c.table)} where ${where}`.execute(
        db,
      );
      return Number(rows[0]!.n);
    };
    total += await count(sql<boolean>`${sql.ref(c.column)} is not null`);
    for (const id of keyring.keys.keys()) {
      const n = await count(underKey(c.column, id));
      usage[id] = (usage[id] ?? 0) + n;
      known += n;
    }
  }
  if (total > known) usage.unknown = total - known;
  return usage;
}
