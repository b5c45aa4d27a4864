/**
 * VTEX Change v2 (Create, Preview) → one Amend change (VTEX-FACADE.md §3.4): add, remove, the replace
 * pairs, then the manual values as one adjustTotal. A line is named by `uniqueId` when that is one of
 * the order's lineIds, else by sku; which line that is, and whether it may change, the planner decides.
 */
import type { Operation } from '../change/types.js';
import type { Order, OrderLine } from '../order.js';
import type { VtexErrorContext } from './errors.js';
import { reasonOf, type Translated } from './v1-request.js';

export interface VtexV2FromItem {
  id: string;
  uniqueId?: string;
  quantity: number;
  price?: number;
  measurementUnit?: string;
  unitMultiplier?: number;
}

export interface VtexV2ToItem extends VtexV2FromItem {
  manualDiscountValue?: number;
  manualIncrementValue?: number;
}

export interface VtexV2Body {
  reason?: string;
  add?: { items: VtexV2ToItem[] };
  remove?: { items: VtexV2FromItem[] };
  replace?: { from: { items: VtexV2FromItem[] }; to: { items: VtexV2ToItem[] } }[];
  manualDiscountValue?: number;
  manualIncrementValue?: number;
}

type LineRef = { lineId: string } | { sku: string };

function lineOf(order: Order, item: VtexV2FromItem): { ref: LineRef; line?: OrderLine } {
  const byId = item.uniqueId ? order.lines.find((l) => l.lineId === item.uniqueId) : undefined;
  if (byId) return { ref: { lineId: byId.lineId }, line: byId };
  const bySku = order.lines.filter((l) => l.sku === item.id);
  // Several lines or none: the planner answers LINE_AMBIGUOUS or LINE_NOT_FOUND for the sku.
  if (bySku.length === 1 && bySku[0]) return { ref: { lineId: bySku[0].lineId }, line: bySku[0] };
  return { ref: { sku: item.id } };
}

const addItem = (item: VtexV2ToItem): Operation => ({
  op: 'addItem',
  sku: item.id,
  quantity: item.quantity,
  ...(item.measurementUnit === undefined ? {} : { measurementUnit: item.measurementUnit }),
});

export function fromV2(order: Order, body: VtexV2Body, reasonCode: string): Translated {
  const operations: Operation[] = [];
  const context: VtexErrorContext[] = [];
  const push = (op: Operation, ctx: VtexErrorContext) => {
    operations.push(op);
    context.push(ctx);
  };
  const remove = (item: VtexV2FromItem, operation: string) => {
    const { ref, line } = lineOf(order, item);
    push(
      { op: 'removeItem', ...ref, quantity: item.quantity },
      { item: item.id, operation, ...(line ? { available: line.quantity } : {}) },
    );
  };

  for (const item of body.add?.items ?? [])
    push(addItem(item), { item: item.id, operation: 'add' });
  for (const item of body.remove?.items ?? []) remove(item, 'remove');
  for (const pair of body.replace ?? []) {
    const count = Math.max(pair.from.items.length, pair.to.items.length);
    for (let k = 0; k < count; k++) {
      const from = pair.from.items[k];
      const to = pair.to.items[k];
      if (from && !to) remove(from, 'replace');
      else if (to && !from) push(addItem(to), { item: to.id, operation: 'replace' });
      else if (from && to) replacePair(order, from, to, push);
    }
  }

  const toItems = [...(body.add?.items ?? []), ...(body.replace ?? []).flatMap((p) => p.to.items)];
  const sum = (pick: (i: VtexV2ToItem) => number | undefined, top: number | undefined) =>
    toItems.reduce((total, item) => total + (pick(item) ?? 0), top ?? 0);
  const discount = sum((i) => i.manualDiscountValue, body.manualDiscountValue);
  const increment = sum((i) => i.manualIncrementValue, body.manualIncrementValue);
  if (discount !== 0 || increment !== 0)
    push({ op: 'adjustTotal', discount, increment }, { operation: 'manualValues' });

  const reason = reasonOf(body.reason, reasonCode);
  return { request: { operations, ...(reason ? { reason } : {}), app: 'api' }, context };
}

function replacePair(
  order: Order,
  from: VtexV2FromItem,
  to: VtexV2ToItem,
  push: (op: Operation, ctx: VtexErrorContext) => void,
): void {
  const { ref, line } = lineOf(order, from);
  const ctx = {
    item: from.id,
    operation: 'replace',
    ...(line ? { available: line.quantity } : {}),
  };
  if (from.id !== to.id) {
    const fromRef = 'lineId' in ref ? ref : { fromSku: ref.sku };
    push(
      {
        op: 'replaceItem',
        ...fromRef,
        fromQuantity: from.quantity,
        sku: to.id,
        quantity: to.quantity,
      },
      ctx,
    );
    return;
  }
  if (!line) {
    // No single line to take the difference from: the planner names the problem with the sku.
    push({ op: 'setQuantity', sku: from.id, quantity: to.quantity }, ctx);
    return;
  }
  if (from.quantity !== to.quantity)
    push(
      {
        op: 'setQuantity',
        lineId: line.lineId,
        quantity: line.quantity - from.quantity + to.quantity,
      },
      ctx,
    );
  if (
    line.weighable &&
    to.unitMultiplier !== undefined &&
    to.unitMultiplier !== line.unitMultiplier
  )
    push(
      {
        op: 'changeWeight',
        lineId: line.lineId,
        unitMultiplier: to.unitMultiplier,
        ...(to.measurementUnit === undefined ? {} : { measurementUnit: to.measurementUnit }),
      },
      ctx,
    );
}
