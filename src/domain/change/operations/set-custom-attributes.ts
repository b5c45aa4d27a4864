import { refusal } from '../../errors.js';
import { at } from '../guards.js';
import type { Operation, OperationRules } from '../types.js';

type SetCustomAttributes = Extract<Operation, { op: 'setCustomAttributes' }>;

export const setCustomAttributes: OperationRules<SetCustomAttributes> = {
  permission: 'ORDER_CUSTOM_ATTRIBUTES_WRITE',
  fulfilmentBound: true,
  check(_order, op, _ctx, i) {
    const both = (op.unset ?? []).filter((k) => op.set && k in op.set);
    return both.length
      ? [
          refusal(
            'REQUEST_INVALID',
            `${both.join(', ')} cannot be set and unset at once.`,
            at(i, 'unset'),
          ),
        ]
      : [];
  },
  apply(order, op) {
    const attributes = { ...order.customAttributes, ...(op.set ?? {}) };
    for (const key of op.unset ?? []) delete attributes[key];
    return { order: { ...order, customAttributes: attributes }, lines: [] };
  },
};
