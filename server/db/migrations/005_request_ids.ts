// The request id of whatever caused a webhook (a merchant's call, a recipient's post, a provider's
// callback, a worker's run), sent with every delivery so both sides can find it in their logs.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhook_events').addColumn('request_id', 'text').execute();
}
