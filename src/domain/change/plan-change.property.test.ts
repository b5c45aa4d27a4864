import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderViolations } from '../invariants.js';
import type { PaymentMethod } from '../order.js';
import { aContext, aLine, anOrder } from '../test-builders.js';
import { computeTotals, totalsEqual } from '../totals.js';
import { planChange } from './plan-change.js';
import type { Operation } from './types.js';

const lineIds = ['l1', 'l2', 'l3', 'nope'];
const skus = ['APPLE', 'PEAR', 'MILK', 'CHEESE', 'NOPE'];
const qty = fc.integer({ min: -1, max: 14 });
const money = fc.integer({ min: -100, max: 3000 });

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ op: fc.constant('addItem' as const), sku: fc.constantFrom(...skus), quantity: qty }),
  fc.record({
    op: fc.constant('removeItem' as const),
    lineId: fc.constantFrom(...lineIds),
    quantity: fc.option(qty, { nil: undefined }),
  }),
  fc.record({
    op: fc.constant('replaceItem' as const),
    lineId: fc.constantFrom(...lineIds),
    sku: fc.constantFrom(...skus),
    quantity: qty,
  }),
  fc.record({
    op: fc.constant('setQuantity' as const),
    lineId: fc.constantFrom(...lineIds),
    quantity: qty,
  }),
  fc.record({
    op: fc.constant('setUnitPrice' as const),
    lineId: fc.constantFrom(...lineIds),
    unitPrice: money,
    priceChangeReason: fc.constantFrom('PRICE_MATCH', 'WHIM'),
  }),
  fc.record({
    op: fc.constant('adjustTotal' as const),
    discount: fc.option(money, { nil: undefined }),
    increment: fc.option(money, { nil: undefined }),
  }),
  fc.record({
    op: fc.constant('changeWeight' as const),
    lineId: fc.constantFrom(...lineIds),
    unitMultiplier: fc.constantFrom(0.25, 0.5, 1.125, 0),
  }),
  fc.record({
    op: fc.constant('applyPromotion' as const),
    code: fc.constantFrom('SAVE10', 'FIVEOFF', 'FREE'),
  }),
  fc.record({
    op: fc.constant('setCustomAttributes' as const),
    set: fc.dictionary(fc.constantFrom('a', 'b'), fc.integer()),
  }),
);

const order = fc
  .record({
    quantities: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
    method: fc.constantFrom<PaymentMethod>('credit-card', 'bank-slip', 'cash'),
    captured: fc.boolean(),
  })
  .map(({ quantities, method, captured }) => {
    const lines = quantities.map((q, i) =>
      i === 2
        ? aLine({
            lineId: 'l3',
            sku: 'CHEESE',
            weighable: true,
            measurementUnit: 'kg',
            unitMultiplier: 0.5,
            unitPrice: 1299,
            quantity: q,
          })
        : aLine({
            lineId: `l${i + 1}`,
            sku: i === 0 ? 'APPLE' : 'MILK',
            quantity: q,
            unitPrice: i === 0 ? 299 : 119,
          }),
    );
    const base = anOrder({ lines });
    const total = base.totals.grandTotal;
    return {
      ...base,
      payments: [
        {
          id: 'pay1',
          method,
          settledByApi: false,
          transactionId: null,
          authorized: total,
          captured: captured ? total : 0,
          refunded: 0,
        },
      ],
    };
  });

describe('planChange, for any sequence of operations on any order', () => {
  it('either refuses and returns no order, or keeps every invariant', () => {
    fc.assert(
      fc.property(
        order,
        fc.array(operation, { minLength: 1, maxLength: 4 }),
        (before, operations) => {
          const result = planChange(
            before,
            { operations, reason: { code: 'CUSTOMER_REQUEST' } },
            aContext({ originalOrder: before }),
          );
          if (!result.ok) {
            expect(result.refusals.length).toBeGreaterThan(0);
            expect('value' in result).toBe(false);
            return;
          }
          const { after, payments, totals } = result.value;
          expect(totalsEqual(after.totals, computeTotals(after))).toBe(true);
          expect(orderViolations({ ...after, version: 0 }, 0)).toEqual([]);
          expect(after.totals.grandTotal).toBeGreaterThanOrEqual(0);
          expect(payments.reduce((s, p) => s + p.amount, 0)).toBe(
            after.totals.grandTotal - before.totals.grandTotal,
          );
          expect(totals.byCause.reduce((s, c) => s + c.amount, 0)).toBe(
            after.totals.grandTotal - before.totals.grandTotal,
          ); // routing never moves money
          for (const p of after.payments) expect(p.captured).toBeLessThanOrEqual(p.authorized);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('plans the same way every time: preview equals apply', () => {
    fc.assert(
      fc.property(
        order,
        fc.array(operation, { minLength: 1, maxLength: 4 }),
        (before, operations) => {
          const request = { operations, reason: { code: 'CUSTOMER_REQUEST' } };
          expect(planChange(before, request, aContext({ originalOrder: before }))).toEqual(
            planChange(before, request, aContext({ originalOrder: before })),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
