/**
 * Cancelling an order (seed 001, API.md §7.6). cancelOrder needs every pick job open, nothing
 * picked and no label requested; forceCancelOrder always works before shipment and lists the
 * manual steps for what was already picked. Both release the stock and give the money back.
 */
import { refusal, type Refusal } from '../../errors.js';
import { isLiveLabel, isLivePickJob, type Order } from '../../order.js';
import { isKnownReason } from '../../settings.js';
import { at } from '../guards.js';
import type { Effect, Operation, OperationRules } from '../types.js';

type Cancel = Extract<Operation, { op: 'cancelOrder' | 'forceCancelOrder' }>;

function statusRefusal(order: Order, allowInvoiced: boolean, i: number): Refusal | null {
  if (order.status === 'canceled')
    return refusal('ORDER_STATUS_NOT_EDITABLE', 'The order is already canceled.', at(i, 'op'));
  const after = allowInvoiced ? ['shipped', 'delivered'] : ['invoiced', 'shipped', 'delivered'];
  return after.includes(order.status)
    ? refusal('ORDER_INVOICED', `The order is ${order.status}.`, at(i, 'op'))
    : null;
}

/** cancelOrder's fulfilment conditions, per pick job the narrower code (§7.2). */
export function cancelConditions(order: Order, i: number): Refusal[] {
  const out: Refusal[] = [];
  for (const job of order.fulfilment.pickJobs.filter(isLivePickJob)) {
    if (job.lines.some((l) => l.picked > 0))
      out.push(
        refusal(
          'ITEMS_ALREADY_PICKED',
          `Pick job ${job.id} has picked items; force-cancel and put them back.`,
          at(i, 'op'),
        ),
      );
    else if (job.status !== 'open')
      out.push(refusal('PICK_JOB_NOT_OPEN', `Pick job ${job.id} is ${job.status}.`, at(i, 'op')));
  }
  if (order.fulfilment.labels.some(isLiveLabel))
    out.push(
      refusal('LABEL_ALREADY_REQUESTED', 'A shipping label was already requested.', at(i, 'op')),
    );
  return out;
}

function cancelled(order: Order, subStatus: string): Order {
  const f = order.fulfilment;
  return {
    ...order,
    status: 'canceled',
    fulfilment: {
      ...f,
      reservations: [],
      pickJobs: f.pickJobs.map((j) =>
        isLivePickJob(j) && j.status !== 'closed'
          ? { ...j, status: 'canceled' as const, subStatus }
          : j,
      ),
      labels: f.labels.map((l) => (isLiveLabel(l) ? { ...l, status: 'obsolete' as const } : l)),
      handover:
        f.handover && f.handover.status === 'open'
          ? { ...f.handover, status: 'canceled' }
          : f.handover,
    },
  };
}

const reasonCheck = (
  order: Order,
  op: Cancel,
  ctx: Parameters<OperationRules<Cancel>['check']>[2],
  i: number,
): Refusal[] =>
  isKnownReason(ctx.settings, 'cancelation', op.reasonCode)
    ? []
    : [
        refusal(
          'REASON_CODE_UNKNOWN',
          `Cancelation reason ${op.reasonCode} is not in the tenant's catalogue.`,
          at(i, 'reasonCode'),
        ),
      ];

export const cancelOrder: OperationRules<Extract<Operation, { op: 'cancelOrder' }>> = {
  permission: 'ORDER_CANCEL',
  fulfilmentBound: false,
  process: {
    gate: (order, i) => {
      const s = statusRefusal(order, false, i);
      return s ? [s] : cancelConditions(order, i);
    },
    releases: 'all',
  },
  check(order, op, ctx, i) {
    return [
      ...(cancelOrder.process as NonNullable<typeof cancelOrder.process>).gate(order, i, ctx),
      ...reasonCheck(order, op, ctx, i),
    ];
  },
  apply(order) {
    return { order: cancelled(order, 'order-canceled'), lines: [] };
  },
};

export const forceCancelOrder: OperationRules<Extract<Operation, { op: 'forceCancelOrder' }>> = {
  permission: 'ORDER_FORCE_CANCEL',
  fulfilmentBound: false,
  process: {
    gate: (order, i) => {
      const s = statusRefusal(order, true, i);
      return s ? [s] : [];
    },
    releases: 'unsettled',
  },
  check(order, op, ctx, i) {
    return [
      ...(forceCancelOrder.process as NonNullable<typeof forceCancelOrder.process>).gate(
        order,
        i,
        ctx,
      ),
      ...reasonCheck(order, op, ctx, i),
    ];
  },
  apply(order) {
    // seed 001: what was picked must go back to storage by hand so stock matches the system.
    const effects: Effect[] = order.fulfilment.pickJobs.filter(isLivePickJob).flatMap((job) =>
      job.lines
        .filter((l) => l.picked > 0)
        .map((l) => {
          const sku = order.lines.find((x) => x.lineId === l.lineId)?.sku ?? '?';
          return {
            type: 'MANUAL_STEP' as const,
            action: 'RETURN_TO_STORAGE' as const,
            lineId: l.lineId,
            sku,
            quantity: l.picked,
            facilityId: job.facilityId,
            text: `Put ${l.picked} × ${sku} back into storage at ${job.facilityId}.`,
          };
        }),
    );
    return { order: cancelled(order, 'order-force-canceled'), lines: [], effects };
  },
};
