import { refusal } from '../../errors.js';
import { at } from '../guards.js';
import type { Operation, OperationRules } from '../types.js';

type SetDeliveryDate = Extract<Operation, { op: 'setDeliveryDate' }>;

/** A preferred date (YYYY-MM-DD) or a window (from + to), never both. */
export const setDeliveryDate: OperationRules<SetDeliveryDate> = {
  permission: 'ORDER_WRITE',
  fulfilmentBound: true,
  check(_order, op, _ctx, i) {
    const window = op.from !== undefined || op.to !== undefined;
    if ((op.date !== undefined) === window)
      return [refusal('REQUEST_INVALID', 'Send either date, or from and to.', at(i, 'date'))];
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
  },
  apply(order, op) {
    if (op.date !== undefined)
      return {
        order: { ...order, preferredDeliveryDate: op.date, deliveryWindow: null },
        lines: [],
      };
    return {
      order: {
        ...order,
        preferredDeliveryDate: null,
        deliveryWindow: { from: op.from as string, to: op.to as string },
      },
      lines: [],
    };
  },
};
