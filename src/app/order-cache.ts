/**
 * The orders this process last committed, as they now stand in the database, keyed by their
 * revision (issue 13): the next change of such an order plans without reading it again. Safe across
 * processes because a plan made on a cached order only ever reaches the database through the commit
 * that compare-and-swaps the revision and re-counts the changes (commit-path.ts): an order another
 * process moved meanwhile answers 'revision-conflict' and is read again; anything else decided on it
 * (a refusal, a change that waits) stands only while the order's revision is still the cached one.
 * Every write to an order bumps its revision (fulfilment too), so an unchanged revision means an
 * unchanged order. A cached order is frozen: the plans of many changes share it.
 */
import { LRUCache } from 'lru-cache';
import type { Database } from '../db/database.js';
import { isLivePickJob, type Order, type Reservation } from '../domain/order.js';

export interface CachedOrder {
  order: Order;
  revision: number;
  linePositions: ReadonlyMap<string, number>;
  /** All of the order's changes but rejected ones, and the applied ones. */
  counts: { changes: number; applied: number };
}

/**
 * Bounded by size, not count: a 200-line order weighs as much as forty 5-line ones. A unit is a line,
 * a reservation or a pick-job line (about half a kilobyte held): 40,000 units stay near 20 MB.
 */
const MAX_UNITS = 40_000;
const unitsOf = ({ order }: CachedOrder) =>
  1 +
  order.lines.length +
  order.fulfilment.reservations.length +
  order.fulfilment.pickJobs.reduce((n, j) => n + j.lines.length, 0);

/** One cache per database handle, as for the reference data: two pools in a test are two processes. */
const caches = new WeakMap<Database, LRUCache<string, CachedOrder>>();
function cacheOf(db: Database): LRUCache<string, CachedOrder> {
  let cache = caches.get(db);
  if (!cache)
    caches.set(
      db,
      (cache = new LRUCache<string, CachedOrder>({ maxSize: MAX_UNITS, sizeCalculation: unitsOf })),
    );
  return cache;
}
const key = (tenantId: string, orderId: string) => `${tenantId}\u0000${orderId}`;

export function cachedOrder(db: Database, tenantId: string, orderId: string) {
  return cacheOf(db).get(key(tenantId, orderId));
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Kept ones in the order they were read, then the new ones (written together, so read by id). */
function inReadOrder<T extends { id: string }>(before: readonly T[], after: readonly T[]): T[] {
  const now = new Map(after.map((x) => [x.id, x]));
  const kept = before.flatMap((x) => (now.has(x.id) ? [now.get(x.id) as T] : []));
  const old = new Set(before.map((x) => x.id));
  const added = after.filter((x) => !old.has(x.id)).sort((a, b) => byText(a.id, b.id));
  return [...kept, ...added];
}

const reservationOrder = (a: Reservation, b: Reservation) =>
  byText(a.lineId, b.lineId) || byText(a.facilityId, b.facilityId);

/** Sorted as a load reads them; most often they already are (and are kept as they are). */
function byLineThenFacility(reservations: Reservation[]): Reservation[] {
  for (let i = 1; i < reservations.length; i++)
    if (reservationOrder(reservations[i - 1] as Reservation, reservations[i] as Reservation) > 0)
      return [...reservations].sort(reservationOrder);
  return reservations;
}

/**
 * The order after a commit, as a load would read it back (orders.ts): live pick jobs only, pick jobs
 * and labels by creation then id, reservations by line then facility.
 */
export function asStored(before: Order, after: Order): Order {
  const f = after.fulfilment;
  return {
    ...after,
    fulfilment: {
      ...f,
      pickJobs: inReadOrder(before.fulfilment.pickJobs, f.pickJobs).filter(isLivePickJob),
      labels: inReadOrder(before.fulfilment.labels, f.labels),
      reservations: byLineThenFacility(f.reservations),
    },
  };
}

/** Frozen all the way down: code that would change a shared order in place fails loudly instead. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function rememberOrder(db: Database, tenantId: string, entry: CachedOrder): void {
  cacheOf(db).set(key(tenantId, entry.order.id), { ...entry, order: deepFreeze(entry.order) });
}

/** A write this process made that the cache cannot follow (fulfilment, a change that waits). */
export function forgetOrder(db: Database, tenantId: string, orderId: string): void {
  cacheOf(db).delete(key(tenantId, orderId));
}
