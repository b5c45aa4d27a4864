import { refusal } from '../../errors.js';
import { hasAtMostThreeDecimals } from '../../money.js';
import { at, editableLine, resolveLine } from '../guards.js';
import { lineView, replaceLine } from '../line-edits.js';
import type { Operation, OperationRules } from '../types.js';

type ChangeWeight = Extract<Operation, { op: 'changeWeight' }>;

/** A weighable line changes weight through its unit multiplier, never its measurement unit. */
export const changeWeight: OperationRules<ChangeWeight> = {
  permission: 'ORDER_LINEITEM_WRITE',
  fulfilmentBound: true,
  check(order, op, _ctx, i) {
    const found = editableLine(order, { lineId: op.lineId }, i);
    if ('refusal' in found) return [found.refusal];
    const { line } = found;
    if (!line.weighable)
      return [
        refusal(
          'NOT_WEIGHABLE',
          `Line ${line.lineId} (${line.sku}) is sold by the piece.`,
          at(i, 'lineId'),
        ),
      ];
    if (op.measurementUnit !== undefined && op.measurementUnit !== line.measurementUnit) {
      return [
        refusal(
          'MEASUREMENT_UNIT_MISMATCH',
          `The line is weighed in ${line.measurementUnit}, not ${op.measurementUnit}.`,
          at(i, 'measurementUnit'),
        ),
      ];
    }
    if (!(op.unitMultiplier > 0) || !hasAtMostThreeDecimals(op.unitMultiplier)) {
      return [
        refusal(
          'QUANTITY_INVALID',
          'unitMultiplier must be above 0 with at most 3 decimals.',
          at(i, 'unitMultiplier'),
        ),
      ];
    }
    return [];
  },
  apply(order, op, _ctx, i) {
    const found = resolveLine(order, { lineId: op.lineId }, i);
    if ('refusal' in found || found.line.unitMultiplier === op.unitMultiplier)
      return { order, lines: [] };
    const next = { ...found.line, unitMultiplier: op.unitMultiplier };
    return {
      order: replaceLine(order, next),
      lines: [
        {
          lineId: next.lineId,
          kind: 'weight',
          operationIndex: i,
          old: lineView(found.line),
          new: lineView(next),
        },
      ],
    };
  },
};
