/**
 * Routing: which one facility serves the whole order (no splits). The strategy, in order:
 * 1. only facilities not on the order's blacklist that have every line's quantity available
 *    (on hand − reserved, counting the order's own reservation there as available);
 * 2. with a shipping location, the nearest facility first; without one, the tenant's facility
 *    priority (lower number first);
 * 3. then stock depth (the most units left over after this order), then facility id.
 * No facility → unroutable, with per line how many units the best facility lacks.
 */
import type { UnroutableReason } from './order.js';

export interface FacilityCandidate {
  id: string;
  priority: number;
  shipFromStore: boolean;
  location: { lat: number; lon: number } | null;
  /** Units available per sku right now, the order's own reservation there already added back. */
  available: Record<string, number>;
}

export interface RoutingDemandLine {
  lineId: string;
  sku: string;
  quantity: number;
}

export type RoutingDecision =
  { status: 'routed'; facilityId: string } | { status: 'unroutable'; reasons: UnroutableReason[] };

export function demandBySku(lines: readonly RoutingDemandLine[]): Map<string, number> {
  const demand = new Map<string, number>();
  for (const line of lines) demand.set(line.sku, (demand.get(line.sku) ?? 0) + line.quantity);
  return demand;
}

/** Great-circle distance in km (haversine). */
export function distanceKm(
  a: { lat: number; lon: number },
  b: { lat: number; lon: number },
): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

function missingAt(facility: FacilityCandidate, demand: Map<string, number>): number {
  let missing = 0;
  for (const [sku, quantity] of demand)
    missing += Math.max(0, quantity - (facility.available[sku] ?? 0));
  return missing;
}

function leftOver(facility: FacilityCandidate, demand: Map<string, number>): number {
  let left = 0;
  for (const [sku, quantity] of demand) left += (facility.available[sku] ?? 0) - quantity;
  return left;
}

export function routeOrder(input: {
  lines: readonly RoutingDemandLine[];
  facilities: readonly FacilityCandidate[];
  blacklist?: readonly string[];
  destination?: { lat: number; lon: number } | null;
  /** Restrict routing to one facility (manual assignment). */
  onlyFacilityId?: string;
}): RoutingDecision {
  const demand = demandBySku(input.lines);
  const blacklist = new Set(input.blacklist ?? []);
  const candidates = input.facilities.filter(
    (f) =>
      !blacklist.has(f.id) && (input.onlyFacilityId === undefined || f.id === input.onlyFacilityId),
  );
  const destination = input.destination ?? null;
  const rank = (f: FacilityCandidate) =>
    destination && f.location ? distanceKm(destination, f.location) : Number.POSITIVE_INFINITY;
  const serving = candidates
    .filter((f) => missingAt(f, demand) === 0)
    .sort(
      (a, b) =>
        (destination ? rank(a) - rank(b) : 0) ||
        a.priority - b.priority ||
        leftOver(b, demand) - leftOver(a, demand) ||
        a.id.localeCompare(b.id),
    );
  const best = serving[0];
  if (best) return { status: 'routed', facilityId: best.id };

  // The facility that comes closest tells the user what is missing.
  const closest = [...candidates].sort(
    (a, b) => missingAt(a, demand) - missingAt(b, demand) || a.priority - b.priority,
  )[0];
  const remaining = new Map(Object.entries(closest?.available ?? {}));
  const reasons: UnroutableReason[] = [];
  for (const line of input.lines) {
    const have = remaining.get(line.sku) ?? 0;
    const missing = Math.max(0, line.quantity - have);
    remaining.set(line.sku, Math.max(0, have - line.quantity));
    if (missing > 0) reasons.push({ lineId: line.lineId, sku: line.sku, missing });
  }
  if (reasons.length === 0) {
    for (const line of input.lines)
      reasons.push({ lineId: line.lineId, sku: line.sku, missing: line.quantity });
  }
  return { status: 'unroutable', reasons };
}
