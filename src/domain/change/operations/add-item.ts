import { refusal, type Refusal } from '../../errors.js';
import { at } from '../guards.js';
import { isWholeQuantity, lineFromProduct, lineView } from '../line-edits.js';
import type { Operation, OperationRules } from '../types.js';

type AddItem = Extract<Operation, { op: 'addItem' }>;

export const addItem: OperationRules<AddItem> = {
  permission: 'ORDER_LINEITEM_WRITE',
  fulfilmentBound: true,
  check(_order, op, ctx, i) {
    const out: Refusal[] = [];
    const product = ctx.products.get(op.sku);
    if (!product)
      out.push(refusal('SKU_NOT_FOUND', `Sku ${op.sku} is not in the catalogue.`, at(i, 'sku')));
    else if (product.kind === 'service')
      out.push(
        refusal(
          'LINE_NOT_EDITABLE',
          `${op.sku} is a service; it is added together with the item it belongs to.`,
          at(i, 'sku'),
        ),
      );
    else if (op.measurementUnit !== undefined && op.measurementUnit !== product.measurementUnit)
      out.push(
        refusal(
          'MEASUREMENT_UNIT_MISMATCH',
          `${op.sku} is sold by ${product.measurementUnit}, not ${op.measurementUnit}.`,
          at(i, 'measurementUnit'),
        ),
      );
    if (!isWholeQuantity(op.quantity))
      out.push(
        refusal(
          'QUANTITY_INVALID',
          'quantity must be a whole number of at least 1.',
          at(i, 'quantity'),
        ),
      );
    if (op.unitPrice !== undefined && op.unitPrice < 0)
      out.push(refusal('VALUE_NEGATIVE', 'unitPrice must not be negative.', at(i, 'unitPrice')));
    return out;
  },
  apply(order, op, ctx, i) {
    const line = lineFromProduct(
      ctx.products.get(op.sku)!,
      ctx.nextId('ln'),
      op.quantity,
      op.unitPrice,
    );
    return {
      order: { ...order, lines: [...order.lines, line] },
      lines: [
        { lineId: line.lineId, kind: 'added', operationIndex: i, old: null, new: lineView(line) },
      ],
    };
  },
};
