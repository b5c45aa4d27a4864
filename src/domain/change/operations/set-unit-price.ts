import { refusal, type Refusal } from '../../errors.js';
import { isKnownReason } from '../../settings.js';
import { at, editableLine, resolveLine } from '../guards.js';
import { lineView, replaceLine } from '../line-edits.js';
import type { Operation, OperationRules } from '../types.js';

type SetUnitPrice = Extract<Operation, { op: 'setUnitPrice' }>;

/** A price override; the price-change reason comes from the tenant's catalogue. */
export const setUnitPrice: OperationRules<SetUnitPrice> = {
  permission: 'ORDER_LINEITEM_WRITE',
  fulfilmentBound: false,
  check(order, op, ctx, i) {
    const found = editableLine(order, op, i);
    if ('refusal' in found) return [found.refusal];
    const out: Refusal[] = [];
    if (op.unitPrice < 0)
      out.push(refusal('VALUE_NEGATIVE', 'unitPrice must not be negative.', at(i, 'unitPrice')));
    if (!isKnownReason(ctx.settings, 'priceChange', op.priceChangeReason)) {
      out.push(
        refusal(
          'REASON_CODE_UNKNOWN',
          `Price-change reason ${op.priceChangeReason} is not in the tenant's catalogue.`,
          at(i, 'priceChangeReason'),
        ),
      );
    }
    return out;
  },
  apply(order, op, _ctx, i) {
    const found = resolveLine(order, op, i);
    if ('refusal' in found || found.line.unitPrice === op.unitPrice) return { order, lines: [] };
    const next = { ...found.line, unitPrice: op.unitPrice };
    return {
      order: replaceLine(order, next),
      lines: [
        {
          lineId: next.lineId,
          kind: 'price',
          operationIndex: i,
          old: lineView(found.line),
          new: lineView(next),
        },
      ],
    };
  },
};
