/** The customer notices of one order (the order's timeline shows them beside its changes). */
import { listOrderNotifications, type CustomerNotification } from '../db/customer-notifications.js';
import { requireOrder } from './changes.js';
import type { Actor, Deps } from './deps.js';

export async function orderNotifications(
  deps: Deps,
  actor: Actor,
  orderId: string,
): Promise<CustomerNotification[]> {
  await requireOrder(deps, actor, orderId);
  return listOrderNotifications(deps.db, actor.tenantId, orderId);
}
