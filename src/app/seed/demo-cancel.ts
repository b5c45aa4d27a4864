/**
 * The seed's stand-in for cancelling an order until the change engine's cancelOrder exists
 * (process operations): one transaction that cancels the open pick jobs and the hand-over,
 * releases the reservations, and announces ORDER_CANCELLED.
 */
import { sql } from 'kysely';
import { adjustReserved } from '../../db/catalogue.js';
import { findOrder } from '../../db/orders.js';
import { appendEvents } from '../../db/outbox.js';
import type { Deps } from '../deps.js';

export async function cancelDemoOrder(deps: Deps, tenantId: string, orderId: string): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const order = await findOrder(tx, tenantId, orderId, { forUpdate: true });
    if (!order) throw new Error(`demo order ${orderId} is missing`);
    await adjustReserved(tx, tenantId, order.fulfilment.reservations.map((r) => ({ facilityId: r.facilityId, sku: r.sku, delta: -r.quantity })));
    await tx.deleteFrom('reservations').where('tenant_id', '=', tenantId).where('order_id', '=', orderId).execute();
    await tx.updateTable('pick_jobs').set({ status: 'canceled', sub_status: 'order-canceled' })
      .where('tenant_id', '=', tenantId).where('order_id', '=', orderId).where('status', 'in', ['open', 'in-progress']).execute();
    await tx.updateTable('handover_jobs').set({ status: 'canceled' }).where('tenant_id', '=', tenantId).where('order_id', '=', orderId).execute();
    await sql`UPDATE orders SET status = 'canceled', revision = revision + 1, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${orderId}`.execute(tx);
    await appendEvents(tx, tenantId, [{ id: deps.ids('evt'), type: 'ORDER_CANCELLED', orderId, data: { version: order.version, status: 'canceled' } }]);
  });
}
