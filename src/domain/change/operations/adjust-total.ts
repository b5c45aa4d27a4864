import { refusal, type Refusal } from '../../errors.js';
import { at } from '../guards.js';
import type { Operation, OperationRules } from '../types.js';

type AdjustTotal = Extract<Operation, { op: 'adjustTotal' }>;

/** An order-level discount or increment (VTEX discountValue / incrementValue), added to the adjustments. */
export const adjustTotal: OperationRules<AdjustTotal> = {
  permission: 'ORDER_LINEITEM_WRITE',
  fulfilmentBound: false,
  check(_order, op, _ctx, i) {
    const out: Refusal[] = [];
    if ((op.discount ?? 0) < 0)
      out.push(refusal('VALUE_NEGATIVE', 'discount must not be negative.', at(i, 'discount')));
    if ((op.increment ?? 0) < 0)
      out.push(refusal('VALUE_NEGATIVE', 'increment must not be negative.', at(i, 'increment')));
    return out;
  },
  apply(order, op) {
    const adjustments = {
      discount: order.adjustments.discount + (op.discount ?? 0),
      increment: order.adjustments.increment + (op.increment ?? 0),
    };
    return { order: { ...order, adjustments }, lines: [] };
  },
};
