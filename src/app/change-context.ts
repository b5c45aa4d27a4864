/** Reads what a change plans against: the order, and only the reference data its operations need. */
import type { Kysely } from 'kysely';
import { productsFor, promotionsOf, routingCandidates } from '../db/change-context.js';
import { findOrderForChange, findOrderVersion } from '../db/orders.js';
import type { DB } from '../db/schema.js';
import { rulesOf } from '../domain/change/operations/index.js';
import type { ChangeContext, ChangeRequest } from '../domain/change/types.js';
import type { Order } from '../domain/order.js';
import type { Actor, Deps } from './deps.js';
import { refuse } from './refused-error.js';

export interface Loaded {
  order: Order;
  revision: number;
  ticket: string;
  ctx: ChangeContext;
}

const opSkus = (request: ChangeRequest) =>
  request.operations.flatMap((op) =>
    op.op === 'addItem' || op.op === 'replaceItem' ? [op.sku] : [],
  );

export async function loadForChange(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  orderId: string,
  request: ChangeRequest,
  lock = false,
  withFacilities = false,
): Promise<Loaded> {
  const found = await findOrderForChange(db, actor.tenantId, orderId);
  if (!found) refuse('ORDER_NOT_FOUND', `Order ${orderId} does not exist.`);
  const { order } = found;
  const skus = opSkus(request);
  const needsStock =
    withFacilities ||
    request.operations.some((op) => rulesOf(op).fulfilmentBound || rulesOf(op).process?.routes);
  const [products, promotions, candidates, original] = await Promise.all([
    productsFor(db, actor.tenantId, skus),
    request.operations.some((op) => op.op === 'applyPromotion')
      ? promotionsOf(db, actor.tenantId)
      : Promise.resolve(new Map()),
    needsStock
      ? routingCandidates(
          db,
          actor.tenantId,
          order.id,
          [...order.lines.map((l) => l.sku), ...skus],
          lock,
        )
      : Promise.resolve([]),
    actor.role === 'picker' && order.version > 0
      ? findOrderVersion(db, actor.tenantId, order.id, 0)
      : Promise.resolve(undefined),
  ]);
  const ctx: ChangeContext = {
    actor: { actorId: actor.actorId, role: actor.role, permissions: actor.permissions },
    settings: actor.settings,
    products,
    promotions,
    candidates,
    // The snapshot keeps what changes can touch; status and fulfilment are the order's own.
    originalOrder: original
      ? {
          ...order,
          ...(original as Partial<Order>),
          status: order.status,
          fulfilment: order.fulfilment,
        }
      : order,
    changeCount: found.changeCount,
    nextId: deps.ids,
    now: deps.clock().toISOString(),
  };
  return { order, revision: found.revision, ticket: found.ticket, ctx };
}
