/** Every operation's rules, by name: one place the planner and the editability view look up. */
import type { Operation, OperationName, OperationRules } from '../types.js';
import { addItem } from './add-item.js';
import { adjustTotal } from './adjust-total.js';
import { applyPromotion } from './apply-promotion.js';
import { cancelOrder, forceCancelOrder } from './cancel-order.js';
import { assignFacility, changeCarrier, reroute, rerouteTask } from './routing-ops.js';
import { changePaymentMethod } from './change-payment-method.js';
import { changeWeight } from './change-weight.js';
import { removeItem } from './remove-item.js';
import { replaceItem } from './replace-item.js';
import { setCustomAttributes } from './set-custom-attributes.js';
import { setDeliveryDate } from './set-delivery-date.js';
import { setQuantity } from './set-quantity.js';
import { setShippingAddress } from './set-shipping-address.js';
import { setUnitPrice } from './set-unit-price.js';

export const OPERATIONS: { [N in OperationName]: OperationRules<Extract<Operation, { op: N }>> } = {
  addItem,
  removeItem,
  replaceItem,
  setQuantity,
  setUnitPrice,
  adjustTotal,
  changeWeight,
  applyPromotion,
  setShippingAddress,
  setDeliveryDate,
  setCustomAttributes,
  cancelOrder,
  forceCancelOrder,
  changeCarrier,
  assignFacility,
  reroute,
  rerouteTask,
  changePaymentMethod,
};

export function rulesOf<O extends Operation>(op: O): OperationRules<O> {
  return OPERATIONS[op.op] as unknown as OperationRules<O>;
}

/** Operations that act on one line, offered per line by the editability view (API.md §7.7). */
export const LINE_OPERATIONS = [
  'removeItem',
  'replaceItem',
  'setQuantity',
  'setUnitPrice',
  'changeWeight',
] as const;
