/** Integrity invariants of one order (PRODUCT.md §2, §6): what `amend verify` checks. */
import type { Order } from './order.js';
import { computeTotals, totalsEqual } from './totals.js';

export interface Violation {
  orderId: string;
  rule: string;
  detail: string;
}

export function orderViolations(order: Order, appliedChanges: number): Violation[] {
  const out: Violation[] = [];
  const v = (rule: string, detail: string) => out.push({ orderId: order.id, rule, detail });
  const recomputed = computeTotals(order);
  if (!totalsEqual(order.totals, recomputed))
    v(
      'TOTALS_MISMATCH',
      `stored ${JSON.stringify(order.totals)} but lines give ${JSON.stringify(recomputed)}`,
    );
  if (order.totals.grandTotal < 0) v('NEGATIVE_TOTAL', `grand total ${order.totals.grandTotal}`);
  if (order.version !== appliedChanges)
    v('VERSION_MISMATCH', `version ${order.version} but ${appliedChanges} applied changes`);
  for (const line of order.lines)
    if (line.quantity < 1)
      v('QUANTITY_INVALID', `line ${line.lineId} has quantity ${line.quantity}`);
  const routed = order.fulfilment.routing.status === 'routed';
  const released =
    order.status === 'canceled' || order.status === 'shipped' || order.status === 'delivered';
  if (routed && !released) {
    for (const line of order.lines) {
      const reserved = order.fulfilment.reservations
        .filter((r) => r.lineId === line.lineId)
        .reduce((s, r) => s + r.quantity, 0);
      if (reserved !== line.quantity)
        v(
          'RESERVATION_MISMATCH',
          `line ${line.lineId} has ${line.quantity} units but ${reserved} reserved`,
        );
    }
  }
  if (released && order.fulfilment.reservations.length)
    v('RESERVATION_LEFT', `a ${order.status} order still holds reservations`);
  const live = order.fulfilment.pickJobs.filter((j) => j.status !== 'canceled');
  if (!routed && (order.fulfilment.reservations.length || live.length))
    v('UNROUTABLE_HOLDS', 'an unroutable order holds reservations or live pick jobs');
  if (
    order.status === 'canceled' &&
    live.some((j) => j.status === 'open' || j.status === 'in-progress')
  )
    v('CANCELED_STILL_PICKING', 'a canceled order has an open or running pick job');
  if (routed && !released && live.length === 0)
    v('NO_PICK_JOB', `a routed ${order.status} order has no live pick job`);
  for (const job of order.fulfilment.pickJobs) {
    for (const l of job.lines)
      if (l.picked > l.quantity)
        v('OVER_PICKED', `pick job ${job.id} line ${l.lineId}: ${l.picked} of ${l.quantity}`);
  }
  return out;
}
