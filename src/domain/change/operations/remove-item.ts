import { refusal, type Refusal } from '../../errors.js';
import { at, editableLine, pickedOf, resolveLine } from '../guards.js';
import { isWholeQuantity, lineView, removeUnits } from '../line-edits.js';
import type { Operation, OperationRules } from '../types.js';

type RemoveItem = Extract<Operation, { op: 'removeItem' }>;

export const removeItem: OperationRules<RemoveItem> = {
  permission: 'ORDER_LINEITEM_WRITE',
  fulfilmentBound: true,
  check(order, op, _ctx, i) {
    const found = editableLine(order, op, i);
    if ('refusal' in found) return [found.refusal];
    const { line } = found;
    const out: Refusal[] = [];
    const quantity = op.quantity ?? line.quantity;
    if (op.quantity !== undefined && !isWholeQuantity(op.quantity))
      out.push(
        refusal(
          'QUANTITY_INVALID',
          'quantity must be a whole number of at least 1.',
          at(i, 'quantity'),
        ),
      );
    else if (quantity > line.quantity)
      out.push(
        refusal(
          'REMOVE_EXCEEDS_QUANTITY',
          `Line ${line.lineId} has ${line.quantity} units; ${quantity} cannot be removed.`,
          at(i, 'quantity'),
        ),
      );
    else if (line.quantity - quantity < pickedOf(order, line.lineId)) {
      out.push(
        refusal(
          'ITEMS_ALREADY_PICKED',
          `Line ${line.lineId} has ${pickedOf(order, line.lineId)} picked; keep at least that many.`,
          at(i, 'quantity'),
        ),
      );
    }
    return out;
  },
  apply(order, op, _ctx, i) {
    const found = resolveLine(order, op, i);
    if ('refusal' in found) return { order, lines: [] };
    const { line } = found;
    const next = removeUnits(order, line, op.quantity);
    const after = next.lines.find((l) => l.lineId === line.lineId);
    return {
      order: next,
      lines: [
        {
          lineId: line.lineId,
          kind: after ? 'quantity' : 'removed',
          operationIndex: i,
          old: lineView(line),
          new: after ? lineView(after) : null,
        },
      ],
    };
  },
};
