/**
 * What the VTEX facade reads besides the change use cases: an order with its applied changes, one
 * change of an order, and the facts VTEX's item shapes need. No rule lives here.
 */
import { findProducts } from '../db/catalogue.js';
import { findChange, listChanges } from '../db/changes.js';
import { findOrder } from '../db/orders.js';
import type { Change } from '../domain/change/change.js';
import type { Order } from '../domain/order.js';
import type { FactsOf, ItemFacts, LineSnapshot } from '../domain/vtex/items.js';
import type { Actor, Deps } from './deps.js';
import { refuse } from './refused-error.js';

export async function orderFor(deps: Deps, actor: Actor, orderId: string): Promise<Order> {
  const order = await findOrder(deps.db, actor.tenantId, orderId);
  if (!order) refuse('ORDER_NOT_FOUND', `Order ${orderId} does not exist.`);
  return order;
}

/** The order's applied changes, oldest first (Get order's changesAttachment). */
export async function appliedChangesOf(deps: Deps, actor: Actor, orderId: string) {
  return (await listChanges(deps.db, actor.tenantId, orderId)).filter(
    (c) => c.status === 'applied',
  );
}

/** A change of this order; one of another order is as unknown as no change at all (CHK0289). */
export async function changeOfOrder(
  deps: Deps,
  actor: Actor,
  orderId: string,
  changeId: string,
): Promise<Change> {
  const change = await findChange(deps.db, actor.tenantId, changeId);
  if (!change || change.orderId !== orderId)
    refuse('CHANGE_NOT_FOUND', `Change ${changeId} does not exist on order ${orderId}.`);
  return change;
}

/** The first change reason of the tenant: VTEX's free text goes under it (VTEX-FACADE.md §3.1). */
export const vtexReasonCode = (actor: Actor): string =>
  actor.settings.reasons.change[0]?.code ?? 'CUSTOMER_REQUEST';

/**
 * Unit and tax rate of the lines named in plans: the order's own line when it is still there,
 * else the catalogue's product (a line removed since).
 */
export async function itemFactsFor(
  deps: Deps,
  actor: Actor,
  order: Order,
  changes: readonly Pick<Change, 'plan'>[],
): Promise<FactsOf> {
  const lines = new Map(order.lines.map((l) => [l.lineId, l]));
  const skus = changes.flatMap((c) =>
    (c.plan?.lines ?? []).flatMap((l) =>
      [l.old, l.new].map((s) => (s as LineSnapshot | null)?.sku),
    ),
  );
  const missing = skus.filter(
    (s): s is string => !!s && ![...lines.values()].some((l) => l.sku === s),
  );
  const products = await findProducts(deps.db, actor.tenantId, missing);
  return (line: LineSnapshot): ItemFacts => {
    const known = lines.get(line.lineId) ?? order.lines.find((l) => l.sku === line.sku);
    const product = products.get(line.sku);
    return {
      measurementUnit: known?.measurementUnit ?? product?.measurementUnit ?? 'un',
      taxRate: known?.taxRate ?? product?.taxRate ?? 0,
    };
  };
}
