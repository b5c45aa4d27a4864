/**
 * Moving an order between facilities (seed 001, API.md §7.6): assign it to a facility, route it
 * again, reroute one pick job (blacklisting the facility it leaves when the tenant says so), or
 * change the carrier of a ship-from-store order. All need what cancel needs of fulfilment — every
 * pick job open, nothing picked, no label — except the carrier change, which needs the hand-over open.
 */
import { refusal, type Refusal } from '../../errors.js';
import { isLiveLabel, isLivePickJob, type Order } from '../../order.js';
import { routeOrder, type FacilityCandidate } from '../../routing.js';
import { isKnownReason } from '../../settings.js';
import { at } from '../guards.js';
import type { ChangeContext, Effect, Operation, OperationRules } from '../types.js';
import { cancelConditions } from './cancel-order.js';

type Op<N extends Operation['op']> = Extract<Operation, { op: N }>;

function statusGate(order: Order, i: number): Refusal | null {
  if (order.status === 'canceled')
    return refusal('ORDER_STATUS_NOT_EDITABLE', 'The order is canceled.', at(i, 'op'));
  if (['invoiced', 'shipped', 'delivered'].includes(order.status))
    return refusal('ORDER_INVOICED', `The order is ${order.status}.`, at(i, 'op'));
  return null;
}
const movable = (order: Order, i: number) => {
  const s = statusGate(order, i);
  return s ? [s] : cancelConditions(order, i);
};
const demand = (order: Order) =>
  order.lines.map((l) => ({ lineId: l.lineId, sku: l.sku, quantity: l.quantity }));
const reasonRefusal = (code: string | undefined, ctx: ChangeContext, i: number) =>
  code === undefined || isKnownReason(ctx.settings, 'reroute', code)
    ? []
    : [
        refusal(
          'REASON_CODE_UNKNOWN',
          `Reroute reason ${code} is not in the tenant's catalogue.`,
          at(i, 'reasonCode'),
        ),
      ];
const facility = (ctx: ChangeContext, id: string | null): FacilityCandidate | undefined =>
  ctx.candidates.find((f) => f.id === id);

/** The order served from `facilityId`: live pick jobs replaced by one there, reservations moved. */
export function moveTo(
  order: Order,
  facilityId: string,
  ctx: ChangeContext,
  subStatus: string,
  blacklist = order.fulfilment.routing.blacklist,
) {
  const fresh = {
    id: ctx.nextId('pj'),
    facilityId,
    status: 'open' as const,
    subStatus: null,
    assigneeId: null,
    lines: order.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, picked: 0 })),
  };
  const old = order.fulfilment.pickJobs.filter(isLivePickJob);
  const effects: Effect[] = [
    ...old.map((j) => ({
      type: 'PICK_JOB_REPLACED' as const,
      oldPickJobId: j.id,
      newPickJobId: fresh.id,
    })),
    {
      type: 'REROUTE',
      fromFacilityId: order.facilityId,
      toFacilityId: facilityId,
      routingStatus: 'routed',
    },
  ];
  const moved: Order = {
    ...order,
    facilityId,
    fulfilment: {
      ...order.fulfilment,
      routing: { status: 'routed', reasons: [], blacklist },
      reservations: order.lines.map((l) => ({
        lineId: l.lineId,
        sku: l.sku,
        facilityId,
        quantity: l.quantity,
      })),
      pickJobs: [
        ...order.fulfilment.pickJobs.map((j) =>
          isLivePickJob(j) ? { ...j, status: 'canceled' as const, subStatus } : j,
        ),
        fresh,
      ],
    },
  };
  return { order: moved, lines: [], effects };
}

export const assignFacility: OperationRules<Op<'assignFacility'>> = {
  permission: 'PROCESS_WRITE',
  fulfilmentBound: false,
  process: { routes: true, gate: movable },
  check(order, op, ctx, i) {
    const gate = movable(order, i);
    if (gate.length) return gate;
    const target = facility(ctx, op.facilityId);
    if (!target)
      return [
        refusal(
          'FACILITY_NOT_FOUND',
          `There is no facility ${op.facilityId}.`,
          at(i, 'facilityId'),
        ),
      ];
    const current = facility(ctx, order.facilityId);
    if (!target.shipFromStore || (current && !current.shipFromStore)) {
      return [
        refusal(
          'NOT_SHIP_FROM_STORE',
          `${!target.shipFromStore ? target.id : current?.id} does not ship from store.`,
          at(i, 'facilityId'),
        ),
      ];
    }
    if (
      routeOrder({ lines: demand(order), facilities: ctx.candidates, onlyFacilityId: target.id })
        .status !== 'routed'
    ) {
      return [
        refusal(
          'ORDER_UNROUTABLE',
          `${target.id} cannot serve every line of the order.`,
          at(i, 'facilityId'),
        ),
      ];
    }
    return [];
  },
  apply(order, op, ctx) {
    return order.facilityId === op.facilityId
      ? { order, lines: [] }
      : moveTo(order, op.facilityId, ctx, 'reassigned');
  },
};

export const reroute: OperationRules<Op<'reroute'>> = {
  permission: 'PROCESS_REROUTE',
  fulfilmentBound: false,
  process: { routes: true, gate: movable },
  check(order, op, ctx, i) {
    const gate = [...movable(order, i), ...reasonRefusal(op.reasonCode, ctx, i)];
    if (gate.length) return gate;
    const decision = routeOrder({
      lines: demand(order),
      facilities: ctx.candidates,
      blacklist: order.fulfilment.routing.blacklist,
      destination: order.shippingAddress.location ?? null,
    });
    return decision.status === 'routed'
      ? []
      : [
          refusal(
            'ORDER_UNROUTABLE',
            `No facility can serve ${decision.reasons.map((r) => `${r.missing} × ${r.sku}`).join(', ')}.`,
            at(i, 'op'),
          ),
        ];
  },
  apply(order, _op, ctx) {
    const decision = routeOrder({
      lines: demand(order),
      facilities: ctx.candidates,
      blacklist: order.fulfilment.routing.blacklist,
      destination: order.shippingAddress.location ?? null,
    });
    if (decision.status !== 'routed') return { order, lines: [] };
    // API.md §7.6: a manual reroute always routes anew and replaces the open pick job, also when
    // the same facility wins (seed 001 "deletes existing pick jobs") — never CHANGE_EMPTY.
    return moveTo(order, decision.facilityId, ctx, 'rerouted');
  },
};

export const rerouteTask: OperationRules<Op<'rerouteTask'>> = {
  permission: 'ROUTING_WRITE',
  fulfilmentBound: false,
  process: {
    routes: true,
    gate: (order, i) => {
      const s = statusGate(order, i);
      return s ? [s] : [];
    },
  },
  check(order, op, ctx, i) {
    const s = statusGate(order, i);
    if (s) return [s];
    const job = order.fulfilment.pickJobs.find((j) => j.id === op.pickJobId);
    if (!job || job.status !== 'open')
      return [
        refusal(
          'PICK_JOB_NOT_OPEN',
          job
            ? `Pick job ${job.id} is ${job.status}.`
            : `The order has no pick job ${op.pickJobId}.`,
          at(i, 'pickJobId'),
        ),
      ];
    const reason = reasonRefusal(op.reasonCode, ctx, i);
    if (reason.length) return reason;
    const decision = routeOrder({
      lines: demand(order),
      facilities: ctx.candidates,
      blacklist: [...order.fulfilment.routing.blacklist, job.facilityId],
      destination: order.shippingAddress.location ?? null,
    });
    return decision.status === 'routed'
      ? []
      : [
          refusal(
            'ORDER_UNROUTABLE',
            `No other facility than ${job.facilityId} can serve the order.`,
            at(i, 'pickJobId'),
          ),
        ];
  },
  apply(order, op, ctx) {
    const job = order.fulfilment.pickJobs.find((j) => j.id === op.pickJobId)!;
    const decision = routeOrder({
      lines: demand(order),
      facilities: ctx.candidates,
      blacklist: [...order.fulfilment.routing.blacklist, job.facilityId],
      destination: order.shippingAddress.location ?? null,
    });
    if (decision.status !== 'routed') return { order, lines: [] };
    // Settings: the facility the task leaves is kept off this order's routing from now on.
    const blacklist =
      ctx.settings.blacklistFacilityOnTaskReroute &&
      !order.fulfilment.routing.blacklist.includes(job.facilityId)
        ? [...order.fulfilment.routing.blacklist, job.facilityId]
        : order.fulfilment.routing.blacklist;
    return moveTo(order, decision.facilityId, ctx, 'task-rerouted', blacklist);
  },
};

export const changeCarrier: OperationRules<Op<'changeCarrier'>> = {
  permission: 'SHIPMENT_WRITE',
  fulfilmentBound: false,
  process: {
    routes: true,
    gate: (order, i, ctx) => {
      const s = statusGate(order, i);
      return s ? [s] : carrierConditions(order, ctx, i);
    },
  },
  check(order, _op, ctx, i) {
    const s = statusGate(order, i);
    return s ? [s] : carrierConditions(order, ctx, i);
  },
  apply(order, op, ctx) {
    // seed 001: a new carrier needs a new label.
    const effects: Effect[] = [];
    const labels = order.fulfilment.labels.flatMap((label) => {
      if (!isLiveLabel(label)) return [label];
      const fresh = { id: ctx.nextId('lbl'), carrier: op.carrier, status: 'requested' as const };
      effects.push(
        { type: 'LABEL_OBSOLETE', labelId: label.id },
        { type: 'LABEL_REQUESTED', labelId: fresh.id, carrier: op.carrier },
      );
      return [{ ...label, status: 'obsolete' as const }, fresh];
    });
    return {
      order: { ...order, carrier: op.carrier, fulfilment: { ...order.fulfilment, labels } },
      lines: [],
      effects,
    };
  },
};

function carrierConditions(order: Order, ctx: ChangeContext, i: number): Refusal[] {
  const out: Refusal[] = [];
  if (!facility(ctx, order.facilityId)?.shipFromStore)
    out.push(
      refusal(
        'NOT_SHIP_FROM_STORE',
        'Only ship-from-store orders change carrier here.',
        at(i, 'carrier'),
      ),
    );
  if (order.fulfilment.handover?.status !== 'open')
    out.push(refusal('HANDOVER_NOT_OPEN', 'The order was already handed over.', at(i, 'carrier')));
  return out;
}
