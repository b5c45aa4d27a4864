/** Small pure edits of an order's lines, shared by the line operations. */
import type { Product } from '../catalogue.js';
import type { Order, OrderLine } from '../order.js';
import { scaleDiscount } from '../totals.js';

/** A line as a plan shows it before and after; a replacement also says how many units it replaced. */
export interface LineView {
  lineId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  unitMultiplier: number;
  discount: number;
  replacedQuantity?: number;
}

export const lineView = (l: OrderLine): LineView => ({
  lineId: l.lineId,
  sku: l.sku,
  name: l.name,
  quantity: l.quantity,
  unitPrice: l.unitPrice,
  unitMultiplier: l.unitMultiplier,
  discount: l.discount,
});

export function replaceLine(order: Order, line: OrderLine): Order {
  return { ...order, lines: order.lines.map((l) => (l.lineId === line.lineId ? line : l)) };
}

export function withQuantity(line: OrderLine, quantity: number): OrderLine {
  return { ...line, quantity, discount: scaleDiscount(line.discount, line.quantity, quantity) };
}

/** Removes `quantity` units (all when omitted or equal): the line goes, or shrinks. */
export function removeUnits(order: Order, line: OrderLine, quantity = line.quantity): Order {
  if (quantity >= line.quantity)
    return { ...order, lines: order.lines.filter((l) => l.lineId !== line.lineId) };
  return replaceLine(order, withQuantity(line, line.quantity - quantity));
}

export function lineFromProduct(
  product: Product,
  lineId: string,
  quantity: number,
  unitPrice?: number,
): OrderLine {
  return {
    lineId,
    sku: product.sku,
    name: product.name,
    quantity,
    measurementUnit: product.measurementUnit,
    unitMultiplier: product.unitMultiplier,
    unitPrice: unitPrice ?? product.unitPrice,
    discount: 0,
    taxRate: product.taxRate,
    weighable: product.weighable,
    bundleId: null,
    parentLineId: null,
    allowedSubstitutes: product.allowedSubstitutes,
  };
}

export const isWholeQuantity = (n: number) => Number.isInteger(n) && n >= 1;
