/**
 * The change summary as VTEX's GetChangeSummary (VTEX-FACADE.md §3.8), from Amend's own summary; the
 * in-place edits (quantity, weight, price) that VTEX lists under `replaced` come from the applied plans.
 */
import type { Change } from '../change/change.js';
import type { ChangeSummary } from '../change/summary.js';
import type { OrderLine } from '../order.js';
import { lineTax } from '../totals.js';
import { replacedPart, sellingPriceOf, type FactsOf, type LineSnapshot } from './items.js';

const itemOf = (line: LineSnapshot, facts: FactsOf) => ({
  id: line.sku,
  uniqueId: line.lineId,
  quantity: line.quantity,
  price: line.unitPrice,
  measurementUnit: facts(line).measurementUnit,
  unitMultiplier: line.unitMultiplier,
  sellingPrice: sellingPriceOf(line),
  name: line.name,
  priceTags: [],
});

const REPLACE_TYPE = {
  replaced: 'ItemReplacement',
  quantity: 'QuantityChange',
  weight: 'WeightChange',
  price: 'PriceChange',
} as const;

export function vtexSummaryOf(summary: ChangeSummary, applied: readonly Change[], facts: FactsOf) {
  const original = summary.original;
  const current = summary.current;
  const d = summary.totalsDelta as Record<string, number>;
  const at = (k: string) => d[k] ?? 0;
  const replaced = applied.flatMap((c) =>
    (c.plan?.lines ?? []).flatMap((l) => {
      if (l.kind === 'added' || l.kind === 'removed') return [];
      const old = l.old as LineSnapshot;
      const now = l.new as LineSnapshot;
      const type = REPLACE_TYPE[l.kind];
      const from = l.kind === 'replaced' ? replacedPart(old, now) : old;
      return [
        {
          replaceType: type,
          userInputType: type,
          type: 'UserInput',
          from: { items: [itemOf(from, facts)], shippingData: null },
          to: { items: [itemOf(now, facts)], shippingData: null },
        },
      ];
    }),
  );
  return {
    original: original.lines.map((l: OrderLine, itemIndex: number) => ({
      ...itemOf(l, facts),
      itemIndex,
      totalQuantity: l.quantity,
      tax: lineTax(l),
      rewardValue: 0,
      isGift: false,
      attachments: [],
      components: [],
      bundleItems: [],
      offerings: [],
    })),
    added: summary.added.map((l) => ({ ...itemOf(l, facts), totalQuantity: l.quantity })),
    removed: summary.removed.map((l) => itemOf(l, facts)),
    replaced,
    manualDiscountValueAggregated: current.adjustments.discount - original.adjustments.discount,
    manualIncrementValueAggregated: current.adjustments.increment - original.adjustments.increment,
    totalChangeValueAggregated: at('grandTotal'),
    totals: [
      { id: 'Items', name: 'Items Total', value: at('items') },
      { id: 'Discounts', name: 'Discounts Total', value: at('increments') - at('discounts') },
      { id: 'Shipping', name: 'Shipping Total', value: at('shipping') },
      { id: 'Tax', name: 'Tax Total', value: at('tax') },
    ],
    ...(summary.lastChangeAt ? { lastChange: summary.lastChangeAt } : {}),
  };
}
