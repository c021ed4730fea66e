// Background work is claimed, never just picked: a claim writes an expiring lease on the
// rows it takes, so among any number of instances on one database each row's work is
// done by one at a time, and the lease of an instance killed mid-work runs out and
// another takes the row over. In-process state alone guards nothing across processes.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Db, Database } from './index.ts';
import { isSqlite } from './migrations/kit.ts';

export type LeasedTable = 'payouts' | 'webhook_events';

export interface Claim {
  ids: number[];
  /** Names the holder (host, process, claim) in the row while it holds it. */
  owner: string;
}

/**
 * Claims the rows `candidates` selects (ids, with `alias` the table's name in it) that no
 * live lease holds, until now + leaseMs. On PostgreSQL the candidates are picked FOR
 * UPDATE SKIP LOCKED, so instances claiming at once take different rows instead of
 * waiting on each other; SQLite has one writer at a time, so the guarded UPDATE is enough.
 */
export async function claim(
  db: Db,
  table: LeasedTable,
  alias: string,
  candidates: SelectQueryBuilder<Database, never, { id: number }>,
  now: number,
  leaseMs: number,
): Promise<Claim> {
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const free = sql<boolean>`(${sql.ref(`${alias}.lease_until`)} is null or ${sql.ref(`${alias}.lease_until`)} <= ${now})`;
  const picked = isSqlite(db as never) ? candidates.where(free) : candidates.where(free).forUpdate().skipLocked();
  const { rows } = await sql<{ id: number }>`
    update ${sql.table(table)} set lease_owner = ${owner}, lease_until = ${now + leaseMs}
    where id in (${picked}) and (lease_until is null or lease_until <= ${now})
    returning id`.execute(db);
  return { ids: rows.map((r) => Number(r.id)), owner };
}

/** Holds a claimed row for another leaseMs from now; false when the claim has run out and someone else holds it. */
export async function renew(
  db: Db,
  table: LeasedTable,
  id: number,
  owner: string,
  now: number,
  leaseMs: number,
): Promise<boolean> {
  const r = await db
    .updateTable(table)
    .set({ lease_until: now + leaseMs })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Lets go of a claimed row (only while still ours). */
export async function release(db: Db, table: LeasedTable, id: number, owner: string): Promise<void> {
  await db
    .updateTable(table)
    .set({ lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

/**
 * Lets go of every lease: only for a store one process serves (SQLite, under the data
 * directory lock), where any lease found at start was left by a process that died.
 */
export async function releaseAll(db: Db): Promise<void> {
  for (const table of ['payouts', 'webhook_events'] as const) {
    await db
      .updateTable(table)
      .set({ lease_owner: null, lease_until: null })
      .where('lease_owner', 'is not', null)
      .execute();
  }
}
