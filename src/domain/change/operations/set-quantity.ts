import { refusal } from '../../errors.js';
import { at, editableLine, pickedOf, resolveLine } from '../guards.js';
import { isWholeQuantity, lineView, replaceLine, withQuantity } from '../line-edits.js';
import type { Operation, OperationRules } from '../types.js';

type SetQuantity = Extract<Operation, { op: 'setQuantity' }>;

export const setQuantity: OperationRules<SetQuantity> = {
  permission: 'ORDER_LINEITEM_WRITE',
  fulfilmentBound: true,
  check(order, op, _ctx, i) {
    const found = editableLine(order, op, i);
    if ('refusal' in found) return [found.refusal];
    if (!isWholeQuantity(op.quantity))
      return [
        refusal(
          'QUANTITY_INVALID',
          'quantity must be a whole number of at least 1; to remove the line use removeItem.',
          at(i, 'quantity'),
        ),
      ];
    const picked = pickedOf(order, found.line.lineId);
    if (op.quantity < picked)
      return [
        refusal(
          'ITEMS_ALREADY_PICKED',
          `Line ${found.line.lineId} has ${picked} picked; keep at least that many.`,
          at(i, 'quantity'),
        ),
      ];
    return [];
  },
  apply(order, op, _ctx, i) {
    const found = resolveLine(order, op, i);
    if ('refusal' in found || found.line.quantity === op.quantity) return { order, lines: [] };
    const next = withQuantity(found.line, op.quantity);
    return {
      order: replaceLine(order, next),
      lines: [
        {
          lineId: next.lineId,
          kind: 'quantity',
          operationIndex: i,
          old: lineView(found.line),
          new: lineView(next),
        },
      ],
    };
  },
};
