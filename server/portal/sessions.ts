// Server-side portal sessions behind an opaque cookie, and the backoff after failed logins.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { PortalUser } from './users.ts';

/** A session ends after this long without a request, and after MAX_AGE in any case. */
export const IDLE_MS = 30 * 60_000;
export const MAX_AGE_MS = 12 * 3600_000;
/** Last-seen is written at most this often, not on every request. */
const TOUCH_MS = 60_000;

export interface Session {
  user: PortalUser;
  csrfToken: string;
}

function idHash(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** A new session with a new id (never one the browser brought) and its own CSRF token. */
export async function createSession(db: Db, userId: string, now: number): Promise<{ id: string; csrfToken: string }> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  await db
    .insertInto('portal_sessions')
    .values({ id_hash: idHash(id), user_id: userId, csrf_token: csrfToken, created_at: now, last_seen_at: now })
    .execute();
  return { id, csrfToken };
}

export async function loadSession(db: Db, id: string, now: number): Promise<Session | undefined> {
  const row = await db
    .selectFrom('portal_sessions as s')
    .innerJoin('portal_users as u', 'u.id', 's.user_id')
    .select([
      's.id_hash',
      's.csrf_token',
      's.created_at',
      's.last_seen_at',
      'u.id',
      'u.merchant_id',
      'u.email',
      'u.role',
    ])
    .where('s.id_hash', '=', idHash(id))
    .executeTakeFirst();
  if (!row) return undefined;
  if (now - row.last_seen_at > IDLE_MS || now - row.created_at > MAX_AGE_MS) {
    await db.deleteFrom('portal_sessions').where('id_hash', '=', row.id_hash).execute();
    return undefined;
  }
  if (now - row.last_seen_at >= TOUCH_MS) {
    await db.updateTable('portal_sessions').set({ last_seen_at: now }).where('id_hash', '=', row.id_hash).execute();
  }
  return {
    user: { id: row.id, merchantId: row.merchant_id, email: row.email, role: row.role },
    csrfToken: row.csrf_token,
  };
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('portal_sessions').where('id_hash', '=', idHash(id)).execute();
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Free tries before the backoff starts; then each failure doubles the wait, up to the cap. */
const FREE_FAILURES = 4;
const FIRST_BLOCK_MS = 30_000;
const MAX_BLOCK_MS = 15 * 60_000;

/** Milliseconds until this email may try again (0: now). */
export async function loginBlockedFor(db: Db, email: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('portal_login_failures')
    .select('blocked_until')
    .where('email', '=', email)
    .executeTakeFirst();
  return row ? Math.max(0, row.blocked_until - now) : 0;
}

export async function noteLoginFailure(db: Db, email: string, now: number, retry = true): Promise<void> {
  const row = await db
    .selectFrom('portal_login_failures')
    .select('failures')
    .where('email', '=', email)
    .executeTakeFirst();
  const failures = (row?.failures ?? 0) + 1;
  const block =
    failures > FREE_FAILURES ? Math.min(MAX_BLOCK_MS, FIRST_BLOCK_MS * 2 ** (failures - FREE_FAILURES - 1)) : 0;
  if (row) {
    await db
      .updateTable('portal_login_failures')
      .set({ failures, blocked_until: now + block })
      .where('email', '=', email)
      .execute();
    return;
  }
  try {
    await db
      .insertInto('portal_login_failures')
      .values({ email, failures, blocked_until: now + block })
      .execute();
  } catch (err) {
    // Another failure for the same email was noted first: count this one on top of it.
    if (retry && isUniqueViolation(err)) return noteLoginFailure(db, email, now, false);
    throw err;
  }
}

export async function clearLoginFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('portal_login_failures').where('email', '=', email).execute();
}
