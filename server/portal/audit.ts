// Who changed what, when: every settings change made in the portal. Never a secret or a token.
import type { Db } from '../db/index.ts';
import type { PortalUser } from './users.ts';

export async function audit(
  db: Db,
  user: PortalUser,
  merchantId: string,
  action: string,
  detail: Record<string, unknown>,
  at: number,
): Promise<void> {
  await db
    .insertInto('portal_audit')
    .values({
      merchant_id: merchantId,
      user_id: user.id,
      email: user.email,
      action,
      detail: JSON.stringify(detail),
      at,
    })
    .execute();
}
