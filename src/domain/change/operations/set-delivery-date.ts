import { refusal, type Refusal } from '../../errors.js';
import type { Order } from '../../order.js';
import { at } from '../guards.js';
import type { Operation, OperationRules } from '../types.js';

type SetDeliveryDate = Extract<Operation, { op: 'setDeliveryDate' }>;

/** The day (YYYY-MM-DD) the customer should have the order by: the date, or the window's last day. */
function deliveryDay(order: Order): string | null {
  return order.preferredDeliveryDate ?? order.deliveryWindow?.to.slice(0, 10) ?? null;
}

function dateRefusals(op: SetDeliveryDate, i: number): Refusal[] {
  const window = op.from !== undefined || op.to !== undefined;
  if (op.date !== undefined && window)
    return [refusal('REQUEST_INVALID', 'Send either date, or from and to.', at(i, 'date'))];
  if (op.date === undefined && !window && op.handoverDate === undefined)
    return [refusal('REQUEST_INVALID', 'Send date, from and to, or handoverDate.', at(i, 'date'))];
  if (window && (op.from === undefined || op.to === undefined))
    return [
      refusal(
        'REQUEST_INVALID',
        'A window needs both from and to.',
        at(i, op.from === undefined ? 'from' : 'to'),
      ),
    ];
  if (window && Date.parse(op.from as string) >= Date.parse(op.to as string))
    return [refusal('REQUEST_INVALID', 'from must be before to.', at(i, 'to'))];
  return [];
}

function withDates(order: Order, op: SetDeliveryDate): Order {
  let next = order;
  if (op.date !== undefined)
    next = { ...next, preferredDeliveryDate: op.date, deliveryWindow: null };
  else if (op.from !== undefined && op.to !== undefined)
    next = { ...next, preferredDeliveryDate: null, deliveryWindow: { from: op.from, to: op.to } };
  const handover = next.fulfilment.handover;
  if (op.handoverDate !== undefined && handover)
    next = {
      ...next,
      fulfilment: { ...next.fulfilment, handover: { ...handover, date: op.handoverDate } },
    };
  return next;
}

/**
 * A preferred date (YYYY-MM-DD) or a window (from + to), never both; and/or the hand-over job's
 * date. seed 001: every operational entity open (the fulfilment gate), the hand-over job among them,
 * and the parcel handed over no later than the day it is to be delivered.
 */
export const setDeliveryDate: OperationRules<SetDeliveryDate> = {
  permission: 'ORDER_WRITE',
  fulfilmentBound: true,
  check(order, op, _ctx, i) {
    const invalid = dateRefusals(op, i);
    if (invalid.length || op.handoverDate === undefined) return invalid;
    const handover = order.fulfilment.handover;
    if (handover?.status !== 'open')
      return [
        refusal(
          'HANDOVER_NOT_OPEN',
          handover
            ? `The hand-over job is ${handover.status}; its date can no longer change.`
            : 'The order has no hand-over job to date.',
          at(i, 'handoverDate'),
        ),
      ];
    const deliverBy = deliveryDay(withDates(order, op));
    if (deliverBy !== null && op.handoverDate > deliverBy)
      return [
        refusal(
          'HANDOVER_DATE_AFTER_DELIVERY',
          `The hand-over on ${op.handoverDate} would come after the delivery day ${deliverBy}.`,
          at(i, 'handoverDate'),
        ),
      ];
    return [];
  },
  apply(order, op) {
    return { order: withDates(order, op), lines: [] };
  },
};
