// Portal users: an email and a password per person, each linked to one merchant with a role.
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import type { Db } from '../db/index.ts';
import type { PortalRole } from '../db/schema.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { hashPassword } from './password.ts';

export const ROLES = ['owner', 'admin', 'viewer'] as const satisfies readonly PortalRole[];

export interface PortalUser {
  id: string;
  merchantId: string | null;
  email: string;
  role: PortalRole;
}

export const Email = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(254, 'must be at most 254 characters'),
  v.email('must be an email address'),
);

export const NewUser = v.object({
  merchantId: v.nullable(v.string()),
  email: Email,
  role: v.picklist(ROLES, 'must be owner, admin or viewer'),
  password: v.pipe(
    v.string('must be a string'),
    v.minLength(12, 'must be at least 12 characters'),
    v.maxLength(1024, 'must be at most 1024 characters'),
  ),
});

/** Owners and admins change settings; viewers only look. */
export function canChangeSettings(user: PortalUser): boolean {
  return user.role === 'owner' || user.role === 'admin';
}

/** Who may download batch results and other files of payouts. */
export function canDownloadFiles(user: PortalUser): boolean {
  return user.role === 'owner' || user.role === 'admin';
}

export type AddUserResult = { ok: true; user: PortalUser } | { ok: false; reason: string };

export async function addUser(db: Db, input: v.InferInput<typeof NewUser>, now: number): Promise<AddUserResult> {
  const parsed = v.safeParse(NewUser, input);
  if (!parsed.success) {
    return { ok: false, reason: parsed.issues.map((i) => `${v.getDotPath(i) ?? ''} ${i.message}`).join('; ') };
  }
  const { merchantId, email, role, password } = parsed.output;
  const user: PortalUser = { id: `u_${randomBytes(8).toString('hex')}`, merchantId, email, role };
  try {
    await db
      .insertInto('portal_users')
      .values({
        id: user.id,
        merchant_id: merchantId,
        email,
        role,
        password_hash: await hashPassword(password),
        created_at: now,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) return { ok: false, reason: `a user with email ${email} already exists` };
    throw err;
  }
  return { ok: true, user };
}

export async function findUserForLogin(db: Db, email: string) {
  return db
    .selectFrom('portal_users')
    .select(['id', 'merchant_id', 'email', 'role', 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst();
}

/** Whether any user of the merchant may download files (the API's features.file_download). */
export async function merchantHasDownloader(db: Db, merchantId: string): Promise<boolean> {
  const row = await db
    .selectFrom('portal_users')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('role', 'in', ['owner', 'admin'])
    .executeTakeFirst();
  return Boolean(row);
}
