/**
 * Totals arithmetic (API.md §7.3). Prices are net of tax; each line's gross is
 * quantity × multiplier × unit price, rounded half-even to a minor unit; tax is per line on
 * (gross − discount); shipping and order-level adjustments are untaxed.
 */
import { multiplyDivideHalfEven, toThousandths, type Minor } from './money.js';
import type { OrderLine, Totals } from './order.js';

export function lineGross(
  line: Pick<OrderLine, 'quantity' | 'unitMultiplier' | 'unitPrice'>,
): Minor {
  return multiplyDivideHalfEven(
    line.quantity,
    toThousandths(line.unitMultiplier),
    line.unitPrice,
    1000,
  );
}

export function lineTax(
  line: Pick<OrderLine, 'quantity' | 'unitMultiplier' | 'unitPrice' | 'discount' | 'taxRate'>,
): Minor {
  return multiplyDivideHalfEven(lineGross(line) - line.discount, line.taxRate, 1, 10_000);
}

export interface TotalsInput {
  lines: readonly Pick<
    OrderLine,
    'quantity' | 'unitMultiplier' | 'unitPrice' | 'discount' | 'taxRate'
  >[];
  shippingTotal: Minor;
  adjustments: { discount: Minor; increment: Minor };
}

export function computeTotals(input: TotalsInput): Totals {
  let items = 0;
  let lineDiscounts = 0;
  let tax = 0;
  for (const line of input.lines) {
    items += lineGross(line);
    lineDiscounts += line.discount;
    tax += lineTax(line);
  }
  const discounts = lineDiscounts + input.adjustments.discount;
  const increments = input.adjustments.increment;
  const shipping = input.shippingTotal;
  return {
    items,
    discounts,
    increments,
    shipping,
    tax,
    grandTotal: items - discounts + increments + shipping + tax,
  };
}

/** A quantity change scales the line's discount: rhe(discount × new / old). */
export function scaleDiscount(discount: Minor, oldQuantity: number, newQuantity: number): Minor {
  if (oldQuantity === 0) return 0;
  return multiplyDivideHalfEven(discount, newQuantity, 1, oldQuantity);
}

export function totalsEqual(a: Totals, b: Totals): boolean {
  return (
    a.items === b.items &&
    a.discounts === b.discounts &&
    a.increments === b.increments &&
    a.shipping === b.shipping &&
    a.tax === b.tax &&
    a.grandTotal === b.grandTotal
  );
}
