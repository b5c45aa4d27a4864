/**
 * Which stock a change must read to plan exactly (seed 001, API.md §7.6). A line change of an order
 * that can only stay where it is needs the stock of the skus it touches: every other line keeps its
 * reservation, and stock never holds more reserved than on hand, so what the order reserved itself
 * is a lower bound of what the facility has for it — enough to serve it again. Anything else (a
 * re-route among several facilities, a refusal, a sku the plan moved that the request did not
 * name) is planned on the full read.
 */
import type { Facility } from '../catalogue.js';
import type { Order } from '../order.js';
import type { Result } from '../result.js';
import { demandBySku, type FacilityCandidate } from '../routing.js';
import type { TenantSettings } from '../settings.js';
import { sameLineIds } from '../version-delta.js';
import { rulesOf } from './operations/index.js';
import type { ChangePlan, ChangeRequest } from './types.js';

export interface StockScope {
  facilityId: string;
  /** The skus whose stock is read; the others stand at what the order reserves of them there. */
  skus: readonly string[];
  own: ReadonlyMap<string, number>;
}

const demandOf = (order: Order) => demandBySku(order.lines);

/** The skus a request names: by line, by sku, by the sku it replaces. */
function namedSkus(order: Order, request: ChangeRequest): Set<string> {
  const skus = new Set<string>();
  for (const op of request.operations) {
    const o = op as { lineId?: unknown; sku?: unknown; fromSku?: unknown };
    if (typeof o.lineId === 'string') {
      const line = order.lines.find((l) => l.lineId === o.lineId);
      if (line) skus.add(line.sku);
    }
    if (typeof o.sku === 'string') skus.add(o.sku);
    if (typeof o.fromSku === 'string') skus.add(o.fromSku);
  }
  return skus;
}

/** The narrow read for this change, or null when only the full read plans it exactly. */
export function stockScope(
  order: Order,
  request: ChangeRequest,
  settings: TenantSettings,
  facilities: readonly Pick<Facility, 'id'>[],
): StockScope | null {
  const facilityId = order.facilityId;
  const { routing, reservations } = order.fulfilment;
  if (!facilityId || routing.status !== 'routed') return null;
  if (request.operations.some((op) => rulesOf(op).process?.routes)) return null;
  // Routing may choose among facilities only when re-routing is on and another one is eligible.
  if (settings.rerouteOnModification) {
    const blacklist = new Set(routing.blacklist);
    const eligible = facilities.filter((f) => !blacklist.has(f.id));
    if (eligible.length !== 1 || eligible[0]?.id !== facilityId) return null;
  }
  const own = new Map<string, number>();
  for (const r of reservations) {
    if (r.facilityId !== facilityId) return null;
    own.set(r.sku, (own.get(r.sku) ?? 0) + r.quantity);
  }
  const named = namedSkus(order, request);
  for (const [sku, quantity] of demandOf(order))
    if (!named.has(sku) && (own.get(sku) ?? 0) < quantity) return null;
  return { facilityId, skus: [...named], own };
}

/** The routing candidates of a narrow read: the skus read as they are, the others at their lower bound. */
export function scopedCandidates(
  scope: StockScope,
  candidates: readonly FacilityCandidate[],
): FacilityCandidate[] {
  const read = new Set(scope.skus);
  return candidates.map((c) => {
    if (c.id !== scope.facilityId) return c;
    const available = { ...c.available };
    for (const [sku, quantity] of scope.own) if (!read.has(sku)) available[sku] = quantity;
    return { ...c, available };
  });
}

/** Whether a plan made on the narrow read must be made again on the full one. */
export function needsFullStock(
  scope: StockScope,
  before: Order,
  planned: Result<ChangePlan>,
): boolean {
  if (!planned.ok) return true;
  const after = planned.value.after;
  if (after.facilityId !== scope.facilityId) return true;
  const read = new Set(scope.skus);
  // The same lines in the same places (most line changes): only the lines that changed can move demand.
  if (sameLineIds(before.lines, after.lines)) {
    for (let i = 0; i < after.lines.length; i++) {
      const b = before.lines[i] as Order['lines'][number];
      const a = after.lines[i] as Order['lines'][number];
      if (a !== b && (a.sku !== b.sku || a.quantity !== b.quantity))
        if (!read.has(a.sku) || !read.has(b.sku)) return true;
    }
    return false;
  }
  const was = demandOf(before);
  const is = demandOf(after);
  for (const sku of new Set([...was.keys(), ...is.keys()]))
    if (!read.has(sku) && was.get(sku) !== is.get(sku)) return true;
  return false;
}
