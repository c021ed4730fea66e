// Money safety: why a payout failed (our normalized code and the provider's own), every
// provider answer kept beside our own record, and the review list operators work for
// payouts whose outcome Payee cannot establish on its own.
import { sql, type Kysely } from 'kysely';
import { BIG, withId } from './kit.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One of src/contract/failure.ts for a failed or cancelled payout; the provider's own code beside it.
  await db.schema.alterTable('payouts').addColumn('failure_code', 'text').execute();
  await db.schema.alterTable('payouts').addColumn('provider_code', 'text').execute();
  // When a payout still without a final answer goes to review (null: not scheduled).
  await db.schema.alterTable('payouts').addColumn('review_at', BIG).execute();
  // Submissions an operator allowed beyond PAYEE_MAX_ATTEMPTS.
  await db.schema
    .alterTable('payouts')
    .addColumn('extra_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Payouts already with a provider get the default review budget (24 hours) from their last change.
  await sql`update payouts set review_at = updated_at + 86400000 where status in ('created', 'processing')`.execute(db);

  await withId(db, db.schema.createTable('provider_answers'))
    .addColumn('payout_id', BIG, (c) => c.notNull().references('payouts.id'))
    .addColumn('attempt_id', BIG, (c) => c.references('payout_attempts.id'))
    .addColumn('source', 'text', (c) => c.notNull()) // submit, status, callback
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('code', 'text')
    .addColumn('provider_code', 'text')
    .addColumn('amount', BIG)
    .addColumn('provider_ref', 'text')
    .addColumn('error', 'text')
    // The same answer again (a status poll) raises `repeats` and `last_at` instead of adding a row.
    .addColumn('repeats', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('first_at', BIG, (c) => c.notNull())
    .addColumn('last_at', BIG, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('provider_answers_payout').on('provider_answers').columns(['payout_id', 'id']).execute();

  await withId(db, db.schema.createTable('payout_reviews'))
    .addColumn('payout_id', BIG, (c) => c.notNull().references('payouts.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull()) // JSON: what we knew and what the provider said
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('open', 'resolved')`))
    .addColumn('opened_at', BIG, (c) => c.notNull())
    .addColumn('resolved_at', BIG)
    .addColumn('resolved_by', 'text')
    .addColumn('decision', 'text')
    .addColumn('note', 'text')
    .execute();
  // One open item per payout and reason: a repeated answer does not open it again.
  await sql`create unique index payout_reviews_open on payout_reviews (payout_id, reason) where state = 'open'`.execute(
    db,
  );
  await db.schema.createIndex('payout_reviews_state').on('payout_reviews').columns(['state', 'opened_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
