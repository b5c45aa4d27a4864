import { describe, expect, it } from 'vitest';
import { aLine, anOrder } from '../test-builders.js';
import { fromV1 } from './v1-request.js';
import { fromV2 } from './v2-request.js';

const v1 = (over = {}) => ({
  requestId: 'r1',
  reason: 'Customer called',
  discountValue: 0,
  incrementValue: 0,
  ...over,
});

describe('VTEX Change v1 → Amend operations', () => {
  it('removes, then adds, then adjusts the total, with the reason under the first change reason', () => {
    const { request, context } = fromV1(
      v1({
        discountValue: 100,
        itemsRemoved: [{ id: 'APPLE', price: 299, quantity: 1 }],
        itemsAdded: [{ id: 'PEAR', price: 349, quantity: 2 }],
      }),
      'CUSTOMER_REQUEST',
    );
    expect(request).toEqual({
      operations: [
        { op: 'removeItem', sku: 'APPLE', quantity: 1 },
        { op: 'addItem', sku: 'PEAR', quantity: 2, unitPrice: 349 },
        { op: 'adjustTotal', discount: 100, increment: 0 },
      ],
      reason: { code: 'CUSTOMER_REQUEST', text: 'Customer called' },
      app: 'api',
    });
    expect(context.map((c) => c.operation)).toEqual([
      'itemsRemoved',
      'itemsAdded',
      'discountValue',
    ]);
  });

  it('sends no reason for a blank one, so the planner answers REASON_REQUIRED', () => {
    expect(fromV1(v1({ reason: '  ', discountValue: 5 }), 'X').request.reason).toBeUndefined();
  });

  it('sends nothing to do when increment equals discount and no items move (CHK0124)', () => {
    expect(fromV1(v1({ discountValue: 7, incrementValue: 7 }), 'X').request.operations).toEqual([]);
  });

  it('keeps a negative value, so the planner answers VALUE_NEGATIVE (CHK0098)', () => {
    expect(fromV1(v1({ discountValue: -1 }), 'X').request.operations).toEqual([
      { op: 'adjustTotal', discount: -1, increment: 0 },
    ]);
  });
});

describe('VTEX Change v2 → Amend operations', () => {
  const order = anOrder({
    lines: [
      aLine(),
      aLine({ lineId: 'l2', sku: 'MILK', quantity: 1, unitPrice: 119 }),
      aLine({
        lineId: 'l3',
        sku: 'CHEESE',
        weighable: true,
        unitMultiplier: 0.5,
        measurementUnit: 'kg',
      }),
    ],
  });

  it('names a line by uniqueId when it is a lineId of the order, else by its only sku line', () => {
    const { request } = fromV2(
      order,
      {
        reason: 'r',
        remove: {
          items: [
            { id: 'x', uniqueId: 'l2', quantity: 1 },
            { id: 'APPLE', quantity: 1 },
          ],
        },
      },
      'C',
    );
    expect(request.operations).toEqual([
      { op: 'removeItem', lineId: 'l2', quantity: 1 },
      { op: 'removeItem', lineId: 'l1', quantity: 1 },
    ]);
  });

  it('leaves a sku on several lines to the planner (LINE_AMBIGUOUS)', () => {
    const twice = anOrder({ lines: [aLine(), aLine({ lineId: 'l9' })] });
    const { request } = fromV2(
      twice,
      { reason: 'r', remove: { items: [{ id: 'APPLE', quantity: 1 }] } },
      'C',
    );
    expect(request.operations).toEqual([{ op: 'removeItem', sku: 'APPLE', quantity: 1 }]);
  });

  it('turns a same-sku pair into a quantity on the line and a weight for a weighable line', () => {
    const { request } = fromV2(
      order,
      {
        reason: 'r',
        replace: [
          {
            from: { items: [{ id: 'APPLE', quantity: 1 }] },
            to: { items: [{ id: 'APPLE', quantity: 3 }] },
          },
          {
            from: { items: [{ id: 'CHEESE', quantity: 2 }] },
            to: {
              items: [{ id: 'CHEESE', quantity: 2, unitMultiplier: 0.75, measurementUnit: 'kg' }],
            },
          },
        ],
      },
      'C',
    );
    expect(request.operations).toEqual([
      { op: 'setQuantity', lineId: 'l1', quantity: 4 },
      { op: 'changeWeight', lineId: 'l3', unitMultiplier: 0.75, measurementUnit: 'kg' },
    ]);
  });

  it('turns another sku into a replacement, unpaired items into removals and additions', () => {
    const { request, context } = fromV2(
      order,
      {
        reason: 'r',
        add: { items: [{ id: 'PEAR', quantity: 1, measurementUnit: 'un' }] },
        replace: [
          {
            from: {
              items: [
                { id: 'APPLE', uniqueId: 'l1', quantity: 2 },
                { id: 'MILK', quantity: 1 },
              ],
            },
            to: { items: [{ id: 'PEAR', quantity: 2, manualDiscountValue: 50 }] },
          },
        ],
        manualIncrementValue: 20,
      },
      'C',
    );
    expect(request.operations).toEqual([
      { op: 'addItem', sku: 'PEAR', quantity: 1, measurementUnit: 'un' },
      { op: 'replaceItem', lineId: 'l1', fromQuantity: 2, sku: 'PEAR', quantity: 2 },
      { op: 'removeItem', lineId: 'l2', quantity: 1 },
      { op: 'adjustTotal', discount: 50, increment: 20 },
    ]);
    expect(context[2]).toEqual({ item: 'MILK', operation: 'replace', available: 1 });
  });

  it('sends nothing to do for a body that changes nothing (CHANGE_EMPTY)', () => {
    expect(fromV2(order, { reason: 'r' }, 'C').request.operations).toEqual([]);
  });
});
