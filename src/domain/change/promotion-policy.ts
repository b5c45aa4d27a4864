/**
 * promotions.onChange (PRODUCT.md §3 "Price terms are kept as they were at checkout unless a change
 * asks to re-evaluate promotions"). `keep`: the operations' own arithmetic stands — a line keeps its
 * discount (scaled with its quantity), a line added later gets no promotion. `reevaluate`: every
 * percent promotion applied to the order is applied again to each line as the change leaves it, so an
 * added line of a promoted sku gets the promotion and a new price carries it. Amount promotions are
 * an order-level sum and stay as they are under both.
 */
import type { Promotion } from '../catalogue.js';
import type { Minor } from '../money.js';
import { divideHalfEven } from '../money.js';
import type { Order, OrderLine } from '../order.js';
import { computeTotals, lineGross, scaleDiscount } from '../totals.js';
import type { ChangePlan } from './types.js';

export type PromotionPolicy = 'keep' | 'reevaluate';

export interface PromotionEffect {
  /** The operation that changed the line (the cause the diff shows it under). */
  operationIndex: number;
  lineId: string;
  sku: string;
  codes: string[];
  /** The line's discount as the operations left it, and as the promotions give it. */
  discount: { kept: Minor; reevaluated: Minor };
  /** What the re-evaluation moves the grand total by (tax included). */
  amount: Minor;
}

const percentPromotions = (codes: readonly string[], promotions: ReadonlyMap<string, Promotion>) =>
  codes.flatMap((c) => {
    const p = promotions.get(c);
    return p && p.kind === 'percent' ? [p] : [];
  });

const matches = (p: Promotion, sku: string) => p.skus.length === 0 || p.skus.includes(sku);

/** The promotional part of a line's discount: each matching percent promotion of its gross. */
function entitlement(line: OrderLine, promos: readonly Promotion[]): Minor {
  const gross = BigInt(lineGross(line));
  return promos
    .filter((p) => matches(p, line.sku))
    .reduce((sum, p) => sum + Number(divideHalfEven(gross * BigInt(p.value), 100n)), 0);
}

/**
 * The order with its lines' promotional discounts recomputed. A line that was on the order keeps its
 * non-promotional discount (its discount less what the order's promotions gave its gross then,
 * scaled with its quantity); a new line keeps what its operation gave it; both get the promotions
 * of the order as it is after the change.
 */
export function reevaluatePromotions(
  before: Order,
  working: Order,
  promotions: ReadonlyMap<string, Promotion>,
  lines: ChangePlan['lines'],
  /** The cause of a line no operation touched (the change's last applyPromotion, say). */
  fallbackIndex: number,
): { order: Order; effects: PromotionEffect[] } {
  const then = percentPromotions(before.appliedPromotions, promotions);
  const now = percentPromotions(working.appliedPromotions, promotions);
  const effects: PromotionEffect[] = [];
  let order = working;
  for (const line of working.lines) {
    const prev = before.lines.find((l) => l.lineId === line.lineId);
    const own = prev
      ? scaleDiscount(
          Math.max(0, prev.discount - entitlement(prev, then)),
          prev.quantity,
          line.quantity,
        )
      : line.discount;
    const reevaluated = Math.min(lineGross(line), own + entitlement(line, now));
    if (reevaluated === line.discount) continue;
    const next: Order = {
      ...order,
      lines: order.lines.map((l) =>
        l.lineId === line.lineId ? { ...l, discount: reevaluated } : l,
      ),
    };
    effects.push({
      operationIndex: causeOf(line.lineId, lines, fallbackIndex),
      lineId: line.lineId,
      sku: line.sku,
      codes: now.filter((p) => matches(p, line.sku)).map((p) => p.code),
      discount: { kept: line.discount, reevaluated },
      amount: computeTotals(next).grandTotal - computeTotals(order).grandTotal,
    });
    order = next;
  }
  return { order, effects };
}

/** The last operation that changed the line, else the fallback. */
function causeOf(lineId: string, lines: ChangePlan['lines'], fallbackIndex: number): number {
  const touched = lines.filter((l) => l.lineId === lineId).map((l) => l.operationIndex);
  return touched.length ? Math.max(...touched) : fallbackIndex;
}
