// Rate-limit counters in the database, for instances sharing one PostgreSQL database: a
// merchant's or an address's budget is the same whichever instance it reaches. One
// upsert per take: the row lock makes concurrent takes of one key count one by one.
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { LimitRule, LimitStore } from './store.ts';

/** Buckets untouched this long are full again for any rule we use: dropped now and then. */
const IDLE_MS = 3_600_000;
const PRUNE_EVERY = 1000;

export class DbLimitStore implements LimitStore {
  private takes = 0;
  constructor(private db: Db) {}

  async take(key: string, rule: LimitRule, nowMs: number): Promise<number> {
    if (++this.takes % PRUNE_EVERY === 0)
      await this.db
        .deleteFrom('limit_buckets')
        .where('at', '<', nowMs - IDLE_MS)
        .execute();
    // The bucket refilled since its last take, capped at the burst (min/max spelled as CASE for both stores).
    const real = (n: number) => sql`cast(${n} as double precision)`;
    const elapsed = sql`case when ${real(nowMs)} > limit_buckets.at then ${real(nowMs)} - limit_buckets.at else 0 end`;
    const grown = sql`limit_buckets.tokens + ${elapsed} * ${real(rule.perSecond)} / 1000.0`;
    const refilled = sql`case when ${grown} > ${real(rule.burst)} then ${real(rule.burst)} else ${grown} end`;
    const { rows } = await sql<{ tokens: number; taken: number }>`
      insert into limit_buckets (key, tokens, at, taken) values (${key}, ${rule.burst - 1}, ${nowMs}, 1)
      on conflict (key) do update set
        tokens = case when ${refilled} >= 1 then ${refilled} - 1 else ${refilled} end,
        taken = case when ${refilled} >= 1 then 1 else 0 end,
        at = ${nowMs}
      returning tokens, taken`.execute(this.db);
    const row = rows[0]!;
    if (Number(row.taken) === 1) return 0;
    return Math.ceil(((1 - Number(row.tokens)) * 1000) / rule.perSecond);
  }
}
