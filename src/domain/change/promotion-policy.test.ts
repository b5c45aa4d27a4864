import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../settings.js';
import { aContext, aLine, anOrder } from '../test-builders.js';
import { planChange } from './plan-change.js';
import type { ChangePlan, Operation } from './types.js';

// SAVE10 (10 % on every sku) was applied after checkout: 10 % of 598 = 60, of 119 = 12.
const promoted = () =>
  anOrder({
    appliedPromotions: ['SAVE10'],
    lines: [
      aLine({ discount: 60 }),
      aLine({ lineId: 'l2', sku: 'MILK', name: 'Milk', quantity: 1, unitPrice: 119, discount: 12 }),
    ],
  });
const withPolicy = (onChange: 'keep' | 'reevaluate') =>
  aContext({ settings: { ...defaultSettings(), promotions: { onChange } } });
const plan = (operations: Operation[], onChange: 'keep' | 'reevaluate', order = promoted()) => {
  const result = planChange(
    order,
    { operations, reason: { code: 'CUSTOMER_REQUEST' } },
    withPolicy(onChange),
  );
  if (!result.ok) throw new Error(JSON.stringify(result.refusals));
  return result.value;
};
const discountOf = (p: ChangePlan, sku: string) =>
  p.after.lines.find((l) => l.sku === sku)?.discount;
const causesSum = (p: ChangePlan) => p.totals.byCause.reduce((s, b) => s + b.amount, 0);

describe('promotions.onChange', () => {
  it('keep: a line added later gets no promotion, and the plan says keep with no effects', () => {
    const p = plan([{ op: 'addItem', sku: 'PEAR', quantity: 1 }], 'keep');
    expect(discountOf(p, 'PEAR')).toBe(0);
    expect(p.promotions).toEqual({ onChange: 'keep', effects: [] });
  });

  it('reevaluate: the added line gets the order’s promotion, shown under the operation that added it', () => {
    const kept = plan([{ op: 'addItem', sku: 'PEAR', quantity: 1 }], 'keep');
    const p = plan([{ op: 'addItem', sku: 'PEAR', quantity: 1 }], 'reevaluate');
    expect(discountOf(p, 'PEAR')).toBe(35); // 10 % of 349, half-even
    expect(p.promotions.effects).toEqual([
      {
        operationIndex: 0,
        lineId: expect.any(String),
        sku: 'PEAR',
        codes: ['SAVE10'],
        discount: { kept: 0, reevaluated: 35 },
        amount: p.totals.after.grandTotal - kept.totals.after.grandTotal,
      },
    ]);
    expect(p.promotions.effects[0]?.amount).toBe(-41); // 35 off, and 19 % tax on 314 instead of 349 (60 not 66)
    expect(causesSum(p)).toBe(p.totals.after.grandTotal - p.totals.before.grandTotal);
  });

  it('keep holds the checkout discount on a new price; reevaluate takes 10 % of the new price', () => {
    const op: Operation = {
      op: 'setUnitPrice',
      lineId: 'l1',
      unitPrice: 250,
      priceChangeReason: 'PRICE_MATCH',
    };
    expect(discountOf(plan([op], 'keep'), 'APPLE')).toBe(60);
    const p = plan([op], 'reevaluate');
    expect(discountOf(p, 'APPLE')).toBe(50);
    expect(p.promotions.effects.map((e) => [e.operationIndex, e.lineId, e.discount])).toEqual([
      [0, 'l1', { kept: 60, reevaluated: 50 }],
    ]);
  });

  it('reevaluate leaves alone what it would compute the same: untouched lines and a scaled quantity', () => {
    const p = plan([{ op: 'setQuantity', lineId: 'l2', quantity: 2 }], 'reevaluate');
    expect(discountOf(p, 'MILK')).toBe(24);
    expect(p.promotions.effects).toEqual([]);
  });

  it('reevaluate keeps a non-promotional checkout discount and adds only the matching promotions', () => {
    const order = anOrder({
      appliedPromotions: ['SAVE10'],
      lines: [aLine({ discount: 100 })], // 60 from SAVE10, 40 from checkout
    });
    const p = plan([{ op: 'setQuantity', lineId: 'l1', quantity: 4 }], 'reevaluate', order);
    expect(discountOf(p, 'APPLE')).toBe(80 + 120);
    const none = anOrder({ lines: [aLine({ discount: 40 })] });
    const q = plan([{ op: 'addItem', sku: 'PEAR', quantity: 1 }], 'reevaluate', none);
    expect(discountOf(q, 'PEAR')).toBe(0);
    expect(q.promotions.effects).toEqual([]);
  });
});
