// The P2P gateway adapter's record of each order, in the database beside the payouts so
// every instance knows when an order was sent, the gateway's id and reject URL, and when
// it was last asked about (the gateway asks not to be polled).
import type { Kysely } from 'kysely';
import { BIG } from './kit.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('p2p_orders')
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('order_id', 'text', (c) => c.notNull())
    .addColumn('internal_id', 'text')
    .addColumn('reject_url', 'text')
    .addColumn('sent_at', BIG, (c) => c.notNull())
    .addColumn('asked_at', BIG)
    .addPrimaryKeyConstraint('p2p_orders_key', ['instance', 'order_id'])
    .execute();
}
