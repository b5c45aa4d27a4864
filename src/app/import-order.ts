/** Import a canonical order: validate, compute totals, route on locked stock, reserve, persist, announce. */
import { adjustReserved, findProducts, lockRoutingCandidates } from '../db/catalogue.js';
import {
  findOrder,
  findOrderIdByChannelRef,
  insertOrder,
  insertOrderVersion,
} from '../db/orders.js';
import { setLockTimeout, type Tx } from '../db/database.js';
import { appendEvents, type NewEvent } from '../db/outbox.js';
import { buildImportedOrder, withRouting, type ImportRequest } from '../domain/import-order.js';
import type { Order } from '../domain/order.js';
import { routeOrder } from '../domain/routing.js';
import type { Actor, Deps } from './deps.js';
import { RefusedError, refuse } from './refused-error.js';

export interface ImportOptions {
  /** Runs in the import's transaction once the order is written (the intake marks its record there). */
  within?: (tx: Tx, order: Order) => Promise<void>;
  /** Give up (and let the caller retry) when stock rows stay locked this long. */
  lockTimeoutMs?: number;
  /** false: answer the order as written, without reading it back (the intake worker needs only its id). */
  readBack?: boolean;
}

export async function importOrder(
  deps: Deps,
  actor: Actor,
  request: ImportRequest,
  options: ImportOptions = {},
): Promise<Order> {
  const { db, ids } = deps;
  const tenantId = actor.tenantId;
  const products = await findProducts(
    db,
    tenantId,
    request.lines.map((l) => l.sku),
  );
  const built = buildImportedOrder(request, {
    products,
    now: deps.clock().toISOString(),
    nextId: ids,
  });
  if (!built.ok) throw new RefusedError(built.refusals);

  const written = await db.transaction().execute(async (tx) => {
    if (options.lockTimeoutMs) await setLockTimeout(tx, options.lockTimeoutMs);
    const existing = await findOrderIdByChannelRef(
      tx,
      tenantId,
      request.channel,
      request.channelOrderRef,
    );
    if (existing)
      refuse(
        'ORDER_ALREADY_EXISTS',
        `order ${request.channelOrderRef} of channel ${request.channel} is ${existing}.`,
        { orderId: existing },
      );

    const draft = built.value;
    const candidates = await lockRoutingCandidates(
      tx,
      tenantId,
      draft.lines.map((l) => l.sku),
    );
    const demand = draft.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity }));
    const destination = draft.shippingAddress.location ?? null;
    // A requested facility is honoured when it can serve the whole order (API.md §3).
    const requested = request.facilityId
      ? routeOrder({
          lines: demand,
          facilities: candidates,
          destination,
          onlyFacilityId: request.facilityId,
        })
      : undefined;
    const decision =
      requested?.status === 'routed'
        ? requested
        : routeOrder({ lines: demand, facilities: candidates, destination });
    const order = withRouting(draft, decision, ids);

    await insertOrder(tx, tenantId, order);
    await insertOrderVersion(tx, tenantId, order);
    await adjustReserved(
      tx,
      tenantId,
      order.fulfilment.reservations.map((r) => ({
        facilityId: r.facilityId,
        sku: r.sku,
        delta: r.quantity,
      })),
    );
    const events: NewEvent[] = [
      {
        id: ids('evt'),
        type: 'ORDER_CREATED',
        orderId: order.id,
        data: { version: order.version, status: order.status },
      },
    ];
    for (const job of order.fulfilment.pickJobs)
      events.push({ id: ids('evt'), type: 'PICK_JOB_CREATED', orderId: order.id, data: job });
    if (order.fulfilment.routing.status === 'unroutable') {
      events.push({
        id: ids('evt'),
        type: 'ORDER_HAS_UNROUTABLE_ITEMS',
        orderId: order.id,
        data: {
          version: order.version,
          status: order.status,
          reasons: order.fulfilment.routing.reasons,
        },
      });
    }
    await appendEvents(tx, tenantId, events);
    await options.within?.(tx, order);
    return order;
  });
  deps.signals.eventsWritten();
  if (options.readBack === false) return written;
  return (await findOrder(db, tenantId, written.id)) as Order;
}
