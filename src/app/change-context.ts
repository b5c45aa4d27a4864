/**
 * Reads what a change plans against in one round trip: the order with its counts, ticket and the
 * stock it can route on in one statement; settings and the catalogue from the per-process cache.
 */
import type { Kysely } from 'kysely';
import { routingCandidates } from '../db/change-context.js';
import { findOrderForChange, ticketAndStock, type OrderForChange } from '../db/orders.js';
import type { DB } from '../db/schema.js';
import type { Facility } from '../domain/catalogue.js';
import { rulesOf } from '../domain/change/operations/index.js';
import { scopedCandidates, stockScope, type StockScope } from '../domain/change/stock-scope.js';
import type { ChangeContext, ChangeRequest } from '../domain/change/types.js';
import type { Order } from '../domain/order.js';
import type { FacilityCandidate } from '../domain/routing.js';
import type { Actor, Deps } from './deps.js';
import { cachedOrder, type CachedOrder } from './order-cache.js';
import { cachedFacilities, cachedProducts, cachedPromotions } from './reference-cache.js';
import { refuse } from './refused-error.js';
import { cachedRiskContext } from './risk-cache.js';

export interface Loaded {
  order: Order;
  revision: number;
  ticket: string;
  ctx: ChangeContext;
  linePositions: ReadonlyMap<string, number>;
  counts: { changes: number; applied: number };
  /**
   * Planned on the cached order: only a commit that compares the revision, or a decision made after
   * checking it (commit-path.ts), may act on the plan.
   */
  fromCache: boolean;
  /** Planned on the stock of the skus the change touches only (stock-scope.ts): check the plan. */
  stockScope: StockScope | null;
}

export interface LoadOptions {
  /** Under the order's lock: the stock rows are locked too, so the plan holds at commit. */
  lock?: boolean;
  /** Facilities and stock even when no operation routes (editability answers for every operation). */
  withFacilities?: boolean;
  /** The change being planned, already stored (the worker's): it does not count itself. */
  changeId?: string | null;
  /** A preview draws no ticket number: it writes nothing. */
  preview?: boolean;
  /** Plan on the order as this process last committed it, when it has it (order-cache.ts). */
  cached?: boolean;
  /** Read the stock of every sku of the order, never the narrow read (stock-scope.ts). */
  fullStock?: boolean;
}

const opSkus = (request: ChangeRequest) =>
  request.operations.flatMap((op) =>
    op.op === 'addItem' || op.op === 'replaceItem' ? [op.sku] : [],
  );

function candidatesOf(
  facilities: readonly Facility[],
  stock: readonly { facilityId: string; sku: string; available: number }[],
): FacilityCandidate[] {
  return facilities.map((f) => ({
    id: f.id,
    priority: f.priority,
    shipFromStore: f.shipFromStore,
    location: f.location,
    available: Object.fromEntries(
      stock.filter((s) => s.facilityId === f.id).map((s) => [s.sku, s.available]),
    ),
  }));
}

export async function loadForChange(
  db: Kysely<DB>,
  deps: Deps,
  actor: Actor,
  orderId: string,
  request: ChangeRequest,
  opts: LoadOptions = {},
): Promise<Loaded> {
  const skus = opSkus(request);
  const needsStock =
    opts.withFacilities ||
    request.operations.some((op) => rulesOf(op).fulfilmentBound || rulesOf(op).process?.routes);
  const pickJobIds = request.operations.flatMap((op) =>
    op.op === 'rerouteTask' ? [op.pickJobId] : [],
  );
  // A picker plans against the order as imported too, a named pick job may be a canceled one, the
  // worker's change does not count itself: the cached order has none of these.
  const cached =
    opts.cached &&
    !opts.lock &&
    !opts.preview &&
    !opts.changeId &&
    actor.role !== 'picker' &&
    !pickJobIds.length
      ? cachedOrder(deps.db, actor.tenantId, orderId)
      : undefined;
  const facilitiesRead = needsStock ? cachedFacilities(deps.db, actor.tenantId, db) : undefined;
  // The cached order tells which stock the change needs before it is read (warm: no round trip).
  const scope =
    cached && needsStock && !opts.withFacilities && !opts.fullStock
      ? stockScope(
          cached.order,
          request,
          actor.settings,
          await (facilitiesRead as Promise<Facility[]>),
        )
      : null;
  const [found, products, promotions, facilities, risk] = await Promise.all([
    cached
      ? fromCache(db, actor.tenantId, cached, !needsStock ? null : scope ? scope.skus : 'all', skus)
      : findOrderForChange(db, actor.tenantId, orderId, {
          exceptChangeId: opts.changeId ?? null,
          // Locked stock is read apart, after the lock (below).
          stockSkus: needsStock && !opts.lock ? skus : null,
          withOriginal: actor.role === 'picker',
          ticket: !opts.preview,
          pickJobIds,
        }),
    cachedProducts(deps.db, actor.tenantId, skus, db),
    // Re-evaluating needs the promotions the order carries (cached: no round trip once warm).
    request.operations.some((op) => op.op === 'applyPromotion') ||
    actor.settings.promotions.onChange === 'reevaluate'
      ? cachedPromotions(deps.db, actor.tenantId, db)
      : Promise.resolve(new Map()),
    facilitiesRead ?? Promise.resolve([]),
    cachedRiskContext(
      deps.db,
      actor.tenantId,
      { now: deps.clock(), windowMinutes: actor.settings.risk.unusualWindowMinutes },
      db,
    ),
  ]);
  if (!found) refuse('ORDER_NOT_FOUND', `Order ${orderId} does not exist.`);
  const { order } = found;
  const candidates = !needsStock
    ? []
    : opts.lock
      ? await routingCandidates(
          db,
          actor.tenantId,
          order.id,
          [...order.lines.map((l) => l.sku), ...skus],
          true,
        )
      : scope
        ? scopedCandidates(scope, candidatesOf(facilities, found.stock))
        : candidatesOf(facilities, found.stock);
  const original = order.version > 0 ? (found.original as Partial<Order> | undefined) : undefined;
  const ctx: ChangeContext = {
    actor: { actorId: actor.actorId, role: actor.role, permissions: actor.permissions },
    settings: actor.settings,
    products,
    promotions,
    candidates,
    // The snapshot keeps what changes can touch; status and fulfilment are the order's own.
    originalOrder: original
      ? { ...order, ...original, status: order.status, fulfilment: order.fulfilment }
      : order,
    changeCount: found.changeCount,
    appliedCount: found.appliedCount,
    nextId: deps.ids,
    now: deps.clock().toISOString(),
    risk,
  };
  return {
    order,
    revision: found.revision,
    ticket: found.ticket,
    ctx,
    linePositions: found.linePositions,
    counts: { changes: found.changeCount, applied: found.appliedCount },
    fromCache: cached !== undefined,
    stockScope: scope,
  };
}

/** The cached order with what it cannot hold: a ticket, and the stock as it is now (one round trip). */
async function fromCache(
  db: Kysely<DB>,
  tenantId: string,
  cached: CachedOrder,
  /** 'all': the order's skus and the new ones; a list: only these (stock-scope.ts). */
  stock: readonly string[] | 'all' | null,
  newSkus: readonly string[],
): Promise<OrderForChange> {
  const { order } = cached;
  const read = await ticketAndStock(
    db,
    tenantId,
    order.id,
    stock === 'all' ? [...order.lines.map((l) => l.sku), ...newSkus] : stock,
  );
  return {
    order,
    revision: cached.revision,
    changeCount: cached.counts.changes,
    appliedCount: cached.counts.applied,
    ticket: read.ticket,
    linePositions: cached.linePositions,
    stock: read.stock,
    original: undefined,
  };
}
