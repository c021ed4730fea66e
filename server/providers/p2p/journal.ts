// What we know of each order at the gateway, in the service's database (p2p_orders):
// when it was sent (a callback is overdue only after the order's timeout), the gateway's
// id and the reject URL its create answer gave, and when we last asked about it.
import type { Selectable } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { P2pOrdersTable } from '../../db/schema.ts';

export type Order = Omit<Selectable<P2pOrdersTable>, 'instance'>;

export class Journal {
  /** The database is read when first used: the service opens it after building its adapters. */
  constructor(
    private deps: { readonly db: Db },
    private instance: string,
  ) {}

  get(orderId: string): Promise<Order | undefined> {
    return this.deps.db
      .selectFrom('p2p_orders')
      .select(['order_id', 'internal_id', 'reject_url', 'sent_at', 'asked_at'])
      .where('instance', '=', this.instance)
      .where('order_id', '=', orderId)
      .executeTakeFirst();
  }

  /** Before create_pay_out goes out; a later attempt of the same order keeps what the gateway said before. */
  async sending(orderId: string, at: number): Promise<void> {
    await this.deps.db
      .insertInto('p2p_orders')
      .values({ instance: this.instance, order_id: orderId, sent_at: at })
      .onConflict((oc) => oc.columns(['instance', 'order_id']).doUpdateSet({ sent_at: at }))
      .execute();
  }

  async accepted(orderId: string, internalId: string, rejectUrl: string | undefined): Promise<void> {
    await this.order(orderId)
      .set({ internal_id: internalId, ...(rejectUrl ? { reject_url: rejectUrl } : {}) })
      .execute();
  }

  async asked(orderId: string, at: number): Promise<void> {
    await this.order(orderId).set({ asked_at: at }).execute();
  }

  private order(orderId: string) {
    return this.deps.db.updateTable('p2p_orders').where('instance', '=', this.instance).where('order_id', '=', orderId);
  }
}
