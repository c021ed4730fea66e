// How long a card number stays in the vault. While any payout that uses it is not final
// it stays; once every such payout is final, it stays for PAYEE_PAN_RETENTION_HOURS and
// then goes: the payouts keep only the masked number and the fingerprint. A number no
// payout refers to (a refused performPayout call) goes after a short grace, which covers
// a request that has put it into the vault and not yet recorded its payout. A card saved
// as a merchant's destination (merchants/destinations.ts) stays while that destination is
// not revoked: the merchant and the recipient pay to it again by its token.
import { sql } from 'kysely';
import type { Services } from '../services.ts';
import { FINAL_STATUSES } from '../../src/contract/status.ts';

export const UNUSED_GRACE_MS = 10 * 60_000;
const BATCH = 500;

/** Deletes the card numbers past retention; true when there may be more. */
export async function purgeCardNumbers(s: Pick<Services, 'db' | 'clock' | 'config'>): Promise<boolean> {
  const now = s.clock.now();
  const finalBefore = now - s.config.retention.panHours * 3_600_000;
  const final = sql.join([...FINAL_STATUSES].map((status) => sql.lit(status)));
  // One pass over the payouts with a card (grouped by token), not one per vault item.
  const result = await sql`
    delete from vault_items where token in (
      select v.token from vault_items v
      left join (
        select card_token, max(case when status not in (${final}) or updated_at > ${finalBefore} then 1 else 0 end) as keep
        from payouts where card_token is not null group by card_token
      ) p on p.card_token = v.token
      where v.kind = 'pan' and v.created_at <= ${now - UNUSED_GRACE_MS} and coalesce(p.keep, 0) = 0
        and not exists (select 1 from destinations d where d.card_token = v.token and d.revoked_at is null)
      limit ${BATCH}
    )`.execute(s.db);
  const purged = Number(result.numAffectedRows ?? 0n);
  return purged === BATCH;
}
