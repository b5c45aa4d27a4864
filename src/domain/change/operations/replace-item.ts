import { refusal, type Refusal } from '../../errors.js';
import { at, editableLine, pickedOf, resolveLine } from '../guards.js';
import { isWholeQuantity, lineFromProduct, lineView, removeUnits } from '../line-edits.js';
import type { Operation, OperationRules } from '../types.js';

type ReplaceItem = Extract<Operation, { op: 'replaceItem' }>;
const fromRef = (op: ReplaceItem) => ({ lineId: op.lineId, sku: op.fromSku });

/** A substitution: some or all units of a line give way to another sku (seed 000: the picker's case). */
export const replaceItem: OperationRules<ReplaceItem> = {
  permission: 'ORDER_LINEITEM_WRITE',
  fulfilmentBound: true,
  check(order, op, ctx, i) {
    const found = editableLine(order, fromRef(op), i, 'fromSku');
    if ('refusal' in found) return [found.refusal];
    const { line } = found;
    const out: Refusal[] = [];
    const product = ctx.products.get(op.sku);
    if (!product)
      out.push(refusal('SKU_NOT_FOUND', `Sku ${op.sku} is not in the catalogue.`, at(i, 'sku')));
    else if (!line.allowedSubstitutes.includes(op.sku)) {
      out.push(
        refusal(
          'SUBSTITUTE_NOT_ALLOWED',
          line.allowedSubstitutes.length
            ? `${op.sku} may not replace ${line.sku}; allowed: ${line.allowedSubstitutes.join(', ')}.`
            : `Line ${line.lineId} (${line.sku}) allows no substitute.`,
          at(i, 'sku'),
        ),
      );
    } else if (product.measurementUnit !== line.measurementUnit) {
      out.push(
        refusal(
          'MEASUREMENT_UNIT_MISMATCH',
          `${op.sku} is sold by ${product.measurementUnit}, the line by ${line.measurementUnit}.`,
          at(i, 'sku'),
        ),
      );
    }
    if (!isWholeQuantity(op.quantity))
      out.push(
        refusal(
          'QUANTITY_INVALID',
          'quantity must be a whole number of at least 1.',
          at(i, 'quantity'),
        ),
      );
    const from = op.fromQuantity ?? line.quantity;
    if (op.fromQuantity !== undefined && !isWholeQuantity(op.fromQuantity))
      out.push(
        refusal(
          'QUANTITY_INVALID',
          'fromQuantity must be a whole number of at least 1.',
          at(i, 'fromQuantity'),
        ),
      );
    else if (from > line.quantity)
      out.push(
        refusal(
          'REMOVE_EXCEEDS_QUANTITY',
          `Line ${line.lineId} has ${line.quantity} units; ${from} cannot be replaced.`,
          at(i, 'fromQuantity'),
        ),
      );
    else if (line.quantity - from < pickedOf(order, line.lineId)) {
      out.push(
        refusal(
          'ITEMS_ALREADY_PICKED',
          `Line ${line.lineId} has ${pickedOf(order, line.lineId)} picked; replace fewer units.`,
          at(i, 'fromQuantity'),
        ),
      );
    }
    if (op.unitPrice !== undefined && op.unitPrice < 0)
      out.push(refusal('VALUE_NEGATIVE', 'unitPrice must not be negative.', at(i, 'unitPrice')));
    return out;
  },
  apply(order, op, ctx, i) {
    const found = resolveLine(order, fromRef(op), i, 'fromSku');
    if ('refusal' in found) return { order, lines: [] };
    const { line } = found;
    const added = lineFromProduct(
      ctx.products.get(op.sku)!,
      ctx.nextId('ln'),
      op.quantity,
      op.unitPrice,
    );
    const next = removeUnits(order, line, op.fromQuantity);
    return {
      order: { ...next, lines: [...next.lines, added] },
      lines: [
        {
          lineId: line.lineId,
          kind: 'replaced',
          operationIndex: i,
          old: lineView(line),
          new: { ...lineView(added), replacedQuantity: op.fromQuantity ?? line.quantity },
        },
      ],
    };
  },
};
