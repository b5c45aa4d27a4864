/**
 * Fulfilment moves (API.md §7.6, "call | requires | result"): one pure function per call. Each takes
 * the order and the values its caller chose (ids, the time) and answers the order after the move, or
 * a FULFILMENT_TRANSITION_INVALID refusal whose detail says what the step is waiting for.
 * Moves never touch `version`: it counts applied change requests, not fulfilment steps.
 */
import { refusal, type Refusal } from './errors.js';
import {
  isLiveLabel,
  isLivePickJob,
  type Label,
  type Order,
  type OrderStatus,
  type PickJob,
} from './order.js';
import { ok, refused, type Result } from './result.js';

/** Event types the fulfilment moves append to the outbox (API.md §5 lists the minimum). */
export const FULFILMENT_EVENT_TYPES = [
  'ORDER_STATUS_CHANGED',
  'ORDER_HANDED_OVER',
  'PICK_JOB_STARTED',
  'PICK_JOB_UPDATED',
  'PICK_JOB_CLOSED',
  'LABEL_REQUESTED',
  'LABEL_GENERATED',
] as const;

export interface PickLine {
  lineId: string;
  quantity: number;
}

const invalid = (detail: string): Result<never> =>
  refused([refusal('FULFILMENT_TRANSITION_INVALID', detail)]);

/** A move that only walks the order's status one step (approve-payment, deliver, and the base of invoice/ship). */
function step(
  order: Order,
  call: string,
  from: OrderStatus,
  to: OrderStatus,
  now: string,
): Result<Order> {
  if (order.status !== from)
    return invalid(`${call} waits for order ${order.id} to be ${from}; it is ${order.status}.`);
  return ok({ ...order, status: to, updatedAt: now });
}

function withPickJob(
  order: Order,
  job: PickJob,
  now: string,
  status: OrderStatus = order.status,
): Order {
  const pickJobs = order.fulfilment.pickJobs.map((j) => (j.id === job.id ? job : j));
  return { ...order, status, updatedAt: now, fulfilment: { ...order.fulfilment, pickJobs } };
}

function pickJobOf(order: Order, pickJobId: string): Result<PickJob> {
  const job = order.fulfilment.pickJobs.find((j) => j.id === pickJobId);
  return job
    ? ok(job)
    : refused([
        refusal('NOT_FOUND', `Pick job ${pickJobId} is not a pick job of order ${order.id}.`),
      ]);
}

export const approvePayment = (order: Order, now: string): Result<Order> =>
  step(order, 'approve-payment', 'payment-pending', 'payment-approved', now);

export function startPickJob(
  order: Order,
  pickJobId: string,
  assigneeId: string,
  now: string,
): Result<Order> {
  const found = pickJobOf(order, pickJobId);
  if (!found.ok) return found;
  const job = found.value;
  if (job.status !== 'open')
    return invalid(`start waits for an open pick job; pick job ${job.id} is ${job.status}.`);
  if (order.status !== 'payment-approved' && order.status !== 'handling') {
    return invalid(
      `start waits for a payment-approved or handling order; order ${order.id} is ${order.status}.`,
    );
  }
  return ok(withPickJob(order, { ...job, status: 'in-progress', assigneeId }, now, 'handling'));
}

/** Adds picked units; Σ picked stays ≤ the quantity per line, and a job whose every line is full is `picked`. */
export function recordPicks(
  order: Order,
  pickJobId: string,
  picks: readonly PickLine[],
  now: string,
): Result<Order> {
  const found = pickJobOf(order, pickJobId);
  if (!found.ok) return found;
  const job = found.value;
  if (job.status !== 'in-progress')
    return invalid(`picks wait for an in-progress pick job; pick job ${job.id} is ${job.status}.`);
  const refusals: Refusal[] = [];
  const adding = new Map<string, number>();
  picks.forEach((pick, i) => {
    const line = job.lines.find((l) => l.lineId === pick.lineId);
    if (!line) {
      refusals.push(
        refusal('LINE_NOT_FOUND', `line ${pick.lineId} is not on pick job ${job.id}.`, {
          field: `lines[${i}].lineId`,
        }),
      );
    } else if (!Number.isInteger(pick.quantity) || pick.quantity < 1) {
      refusals.push(
        refusal('QUANTITY_INVALID', 'a picked quantity must be at least 1.', {
          field: `lines[${i}].quantity`,
        }),
      );
    } else {
      const total = (adding.get(line.lineId) ?? 0) + pick.quantity;
      adding.set(line.lineId, total);
      if (line.picked + total > line.quantity) {
        refusals.push(
          refusal(
            'FULFILMENT_TRANSITION_INVALID',
            `line ${line.lineId} waits for ${line.quantity - line.picked} more unit(s) at most (${line.picked} of ${line.quantity} picked); ${total} is too many.`,
            { field: `lines[${i}].quantity` },
          ),
        );
      }
    }
  });
  if (refusals.length) return refused(refusals);
  const lines = job.lines.map((l) => ({ ...l, picked: l.picked + (adding.get(l.lineId) ?? 0) }));
  const full = lines.every((l) => l.picked >= l.quantity);
  return ok(withPickJob(order, { ...job, lines, status: full ? 'picked' : 'in-progress' }, now));
}

export function closePickJob(order: Order, pickJobId: string, now: string): Result<Order> {
  const found = pickJobOf(order, pickJobId);
  if (!found.ok) return found;
  const job = found.value;
  if (job.status !== 'in-progress' && job.status !== 'picked') {
    return invalid(
      `close waits for an in-progress or picked pick job; pick job ${job.id} is ${job.status}.`,
    );
  }
  return ok(withPickJob(order, { ...job, status: 'closed' }, now));
}

/** A new `requested` label; the carrier is the one asked for, else the order's, else 'standard'. */
export function requestLabel(
  order: Order,
  labelId: string,
  carrier: string | undefined,
  now: string,
): Result<Order> {
  if (order.status === 'shipped' || order.status === 'delivered' || order.status === 'canceled') {
    return invalid(
      `a label waits for an order not yet shipped or canceled; order ${order.id} is ${order.status}.`,
    );
  }
  const live = order.fulfilment.labels.find(isLiveLabel);
  if (live)
    return invalid(`a new label waits for label ${live.id} (${live.status}) to become obsolete.`);
  const label: Label = {
    id: labelId,
    carrier: carrier ?? order.carrier ?? 'standard',
    status: 'requested',
  };
  return ok({
    ...order,
    updatedAt: now,
    fulfilment: { ...order.fulfilment, labels: [...order.fulfilment.labels, label] },
  });
}

export function generateLabel(order: Order, labelId: string, now: string): Result<Order> {
  const label = order.fulfilment.labels.find((l) => l.id === labelId);
  if (!label)
    return refused([refusal('NOT_FOUND', `Label ${labelId} is not a label of order ${order.id}.`)]);
  if (label.status !== 'requested')
    return invalid(`generate waits for a requested label; label ${label.id} is ${label.status}.`);
  const labels = order.fulfilment.labels.map((l) =>
    l.id === labelId ? { ...l, status: 'generated' as const } : l,
  );
  return ok({ ...order, updatedAt: now, fulfilment: { ...order.fulfilment, labels } });
}

/** Every live pick job closed (at least one) → a package, and the order is ready for invoice. */
export function packOrder(order: Order, packageId: string, now: string): Result<Order> {
  // The order must still be in handling: packing an invoiced or shipped order would walk its status back.
  if (order.status !== 'handling')
    return invalid(`pack waits for a handling order; order ${order.id} is ${order.status}.`);
  const live = order.fulfilment.pickJobs.filter(isLivePickJob);
  if (live.length === 0)
    return invalid(`pack waits for a pick job; order ${order.id} has none that is live.`);
  const open = live.find((j) => j.status !== 'closed');
  if (open)
    return invalid(
      `pack waits for every pick job to be closed; pick job ${open.id} is ${open.status}.`,
    );
  const packages = [...order.fulfilment.packages, { id: packageId }];
  return ok({
    ...order,
    status: 'ready-for-invoice',
    updatedAt: now,
    fulfilment: { ...order.fulfilment, packages },
  });
}

export function handOver(order: Order, now: string): Result<Order> {
  const { handover, labels, packages } = order.fulfilment;
  if (order.status === 'canceled')
    return invalid(`hand-over waits for an order that is not canceled; order ${order.id} is.`);
  if (!handover || handover.status !== 'open') {
    return invalid(
      `hand-over waits for an open handover; order ${order.id}'s is ${handover ? handover.status : 'missing'}.`,
    );
  }
  if (!labels.some((l) => l.status === 'generated'))
    return invalid(`hand-over waits for a generated label; order ${order.id} has none.`);
  if (packages.length === 0)
    return invalid(`hand-over waits for a package; order ${order.id} has none (pack it first).`);
  return ok({
    ...order,
    updatedAt: now,
    fulfilment: { ...order.fulfilment, handover: { ...handover, status: 'handed-over' } },
  });
}

/** Invoicing captures what is authorized, on every payment. */
export function invoiceOrder(order: Order, now: string): Result<Order> {
  const moved = step(order, 'invoice', 'ready-for-invoice', 'invoiced', now);
  if (!moved.ok) return moved;
  return ok({
    ...moved.value,
    payments: order.payments.map((p) => ({ ...p, captured: p.authorized })),
  });
}

/** The goods leave: the reservations are consumed (the caller lowers onHand and reserved by them). */
export function shipOrder(order: Order, now: string): Result<Order> {
  const moved = step(order, 'ship', 'invoiced', 'shipped', now);
  if (!moved.ok) return moved;
  return ok({ ...moved.value, fulfilment: { ...order.fulfilment, reservations: [] } });
}

export const deliverOrder = (order: Order, now: string): Result<Order> =>
  step(order, 'deliver', 'shipped', 'delivered', now);
