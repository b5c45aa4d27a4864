/**
 * What a change means for fulfilment (seed 001, API.md §7.6): reservations follow the lines; the
 * picker at work gets their pick job updated in place; otherwise the open pick job is replaced
 * and, when the tenant says so, the order re-routed. No facility for a line change → INSUFFICIENT_STOCK.
 */
import { refusal, type Refusal } from '../errors.js';
import { isLivePickJob, type Order, type PickJob, type Reservation } from '../order.js';
import { routeOrder } from '../routing.js';
import { fulfilmentMode } from './guards.js';
import type { ChangeContext, Effect } from './types.js';

function sameLines(a: Order, b: Order): boolean {
  if (a.lines.length !== b.lines.length) return false;
  for (let i = 0; i < a.lines.length; i++) {
    const x = a.lines[i] as Order['lines'][number];
    const y = b.lines[i] as Order['lines'][number];
    if (x.lineId !== y.lineId || x.sku !== y.sku || x.quantity !== y.quantity) return false;
  }
  return true;
}

function reservationEffects(before: Reservation[], after: Reservation[]): Effect[] {
  // Most of a large order's reservations are the very objects they were (reserveAll): only the rest
  // can move stock.
  const inAfter = new Set(after);
  const kept = new Set(before.filter((r) => inAfter.has(r)));
  if (kept.size === before.length && kept.size === after.length) return [];
  if (kept.size) {
    before = before.filter((r) => !kept.has(r));
    after = after.filter((r) => !kept.has(r));
  }
  const key = (r: Reservation) => `${r.lineId}\u0000${r.facilityId}`;
  const delta = new Map<string, Effect & { type: 'RESERVATION' }>();
  for (const r of before)
    delta.set(key(r), {
      type: 'RESERVATION',
      lineId: r.lineId,
      sku: r.sku,
      facilityId: r.facilityId,
      delta: -r.quantity,
    });
  for (const r of after) {
    const prev = delta.get(key(r));
    delta.set(key(r), {
      type: 'RESERVATION',
      lineId: r.lineId,
      sku: r.sku,
      facilityId: r.facilityId,
      delta: (prev?.delta ?? 0) + r.quantity,
    });
  }
  return [...delta.values()].filter((e) => e.delta !== 0);
}

/**
 * A reservation per line at the facility. One that stays as it was is the same object, so the commit's
 * diff and the order cache pass over the unchanged ones of a large order by identity.
 */
function reserveAll(order: Order, facilityId: string, kept: readonly Reservation[]): Reservation[] {
  const here = new Map(kept.filter((r) => r.facilityId === facilityId).map((r) => [r.lineId, r]));
  return order.lines.map((l) => {
    const was = here.get(l.lineId);
    return was &&
      was.lineId === l.lineId &&
      was.sku === l.sku &&
      was.facilityId === facilityId &&
      was.quantity === l.quantity
      ? was
      : { lineId: l.lineId, sku: l.sku, facilityId, quantity: l.quantity };
  });
}

export interface FollowUp {
  order: Order;
  effects: Effect[];
  refusals: Refusal[];
}

export function followUp(
  before: Order,
  after: Order,
  ctx: ChangeContext,
  rerouteWanted: boolean,
): FollowUp {
  const linesChanged = !sameLines(before, after);
  if (!linesChanged && !(rerouteWanted && ctx.settings.rerouteOnModification))
    return { order: after, effects: [], refusals: [] };
  // The lines are the demand (routing reads their id, sku and quantity).
  const demand = after.lines;
  const insufficient = (facility: string | null) =>
    refusal(
      'INSUFFICIENT_STOCK',
      facility
        ? `Facility ${facility} cannot serve the changed lines.`
        : 'No facility has enough stock for the changed lines.',
    );

  if (fulfilmentMode(before, ctx.actor.actorId) === 'picker') {
    const job = before.fulfilment.pickJobs.find((j) => j.status === 'in-progress') as PickJob;
    // The picker's facility keeps the order: the job is updated in place, never re-routed.
    if (
      routeOrder({ lines: demand, facilities: ctx.candidates, onlyFacilityId: job.facilityId })
        .status !== 'routed'
    ) {
      return { order: after, effects: [], refusals: [insufficient(job.facilityId)] };
    }
    const updated: PickJob = {
      ...job,
      lines: after.lines.map((l) => ({
        lineId: l.lineId,
        quantity: l.quantity,
        picked: job.lines.find((x) => x.lineId === l.lineId)?.picked ?? 0,
      })),
    };
    const reservations = reserveAll(after, job.facilityId, before.fulfilment.reservations);
    const order = {
      ...after,
      fulfilment: {
        ...after.fulfilment,
        reservations,
        pickJobs: after.fulfilment.pickJobs.map((j) => (j.id === job.id ? updated : j)),
      },
    };
    return {
      order,
      effects: [
        { type: 'PICK_JOB_UPDATED', pickJobId: job.id },
        ...reservationEffects(before.fulfilment.reservations, reservations),
      ],
      refusals: [],
    };
  }

  const reroute = ctx.settings.rerouteOnModification;
  const decision = routeOrder({
    lines: demand,
    facilities: ctx.candidates,
    blacklist: before.fulfilment.routing.blacklist,
    destination: after.shippingAddress.location ?? null,
    ...(reroute || !before.facilityId ? {} : { onlyFacilityId: before.facilityId }),
  });
  if (decision.status === 'unroutable') {
    // An order that was unroutable already stays so; a routed one must not lose its stock to a line edit.
    if (before.fulfilment.routing.status === 'routed')
      return {
        order: after,
        effects: [],
        refusals: [insufficient(reroute ? null : before.facilityId)],
      };
    return {
      order: {
        ...after,
        fulfilment: {
          ...after.fulfilment,
          routing: { ...after.fulfilment.routing, reasons: decision.reasons },
        },
      },
      effects: [],
      refusals: [],
    };
  }
  const facilityId = decision.facilityId;
  const effects: Effect[] = [];
  let pickJobs = after.fulfilment.pickJobs;
  if (linesChanged || facilityId !== before.facilityId) {
    const old = pickJobs.filter(isLivePickJob);
    // A line the new job asks as the old one did is the same object (the cache shares it). The
    // old job's lines are most often the order's, in its order: looked up by id only when not.
    const single = old.length === 1 ? (old[0] as PickJob).lines : [];
    let byId: Map<string, PickJob['lines'][number]> | undefined;
    const was = (lineId: string, i: number) => {
      if (single[i]?.lineId === lineId) return single[i];
      byId ??= new Map(old.flatMap((j) => j.lines).map((l) => [l.lineId, l]));
      return byId.get(lineId);
    };
    const fresh: PickJob = {
      id: ctx.nextId('pj'),
      facilityId,
      status: 'open',
      subStatus: null,
      assigneeId: null,
      lines: after.lines.map((l, i) => {
        const same = was(l.lineId, i);
        return same && same.quantity === l.quantity && same.picked === 0
          ? same
          : { lineId: l.lineId, quantity: l.quantity, picked: 0 };
      }),
    };
    pickJobs = [
      ...pickJobs.map((j) =>
        isLivePickJob(j) ? { ...j, status: 'canceled' as const, subStatus: 'order-modified' } : j,
      ),
      fresh,
    ];
    for (const j of old)
      effects.push({ type: 'PICK_JOB_REPLACED', oldPickJobId: j.id, newPickJobId: fresh.id });
  }
  if (reroute)
    effects.push({
      type: 'REROUTE',
      fromFacilityId: before.facilityId,
      toFacilityId: facilityId,
      routingStatus: 'routed',
    });
  const reservations = reserveAll(after, facilityId, before.fulfilment.reservations);
  effects.push(...reservationEffects(before.fulfilment.reservations, reservations));
  const routing = { ...after.fulfilment.routing, status: 'routed' as const, reasons: [] };
  return {
    order: {
      ...after,
      facilityId,
      fulfilment: { ...after.fulfilment, routing, reservations, pickJobs },
    },
    effects,
    refusals: [],
  };
}
