import { refusal } from '../../errors.js';
import { divideHalfEven } from '../../money.js';
import { lineGross } from '../../totals.js';
import { at } from '../guards.js';
import type { Operation, OperationRules } from '../types.js';

type ApplyPromotion = Extract<Operation, { op: 'applyPromotion' }>;

/** A percent promotion adds to the matching lines' discount, an amount one to the order's (API.md §7.3). */
export const applyPromotion: OperationRules<ApplyPromotion> = {
  permission: 'ORDER_WRITE',
  fulfilmentBound: false,
  check(order, op, ctx, i) {
    if (!ctx.promotions.has(op.code))
      return [refusal('PROMOTION_NOT_FOUND', `There is no promotion ${op.code}.`, at(i, 'code'))];
    if (order.appliedPromotions.includes(op.code))
      return [refusal('CHANGE_EMPTY', `Promotion ${op.code} is already applied.`, at(i, 'code'))];
    return [];
  },
  apply(order, op, ctx) {
    const promo = ctx.promotions.get(op.code)!;
    const appliedPromotions = [...order.appliedPromotions, op.code];
    if (promo.kind === 'amount') {
      return {
        order: {
          ...order,
          appliedPromotions,
          adjustments: { ...order.adjustments, discount: order.adjustments.discount + promo.value },
        },
        lines: [],
      };
    }
    const matches = (sku: string) => promo.skus.length === 0 || promo.skus.includes(sku);
    const lines = order.lines.map((l) =>
      matches(l.sku)
        ? {
            ...l,
            discount:
              l.discount + Number(divideHalfEven(BigInt(lineGross(l)) * BigInt(promo.value), 100n)),
          }
        : l,
    );
    return { order: { ...order, appliedPromotions, lines }, lines: [] };
  },
};
