import { describe, expect, it } from 'vitest';
import { BOUNDS } from './bounds.js';
import { planChange } from './change/plan-change.js';
import type { Operation } from './change/types.js';
import { aContext, aLine, anOrder } from './test-builders.js';

const reason = { code: 'CUSTOMER_REQUEST' };
const plenty = aContext().candidates.map((c) => ({
  ...c,
  available: { ...c.available, APPLE: 10 * BOUNDS.quantity },
}));
const plan = (operations: Operation[], order = anOrder()) =>
  planChange(order, { operations, reason }, aContext({ candidates: plenty }));
const refusalsOf = (result: ReturnType<typeof plan>) => (result.ok ? [] : result.refusals);

// The planner is the net under every edge (the API's schema, the VTEX facade, bulk, the picker):
// what it lets through always fits the columns.
describe('the planner refuses values beyond the bounds', () => {
  it('refuses VALUE_TOO_LARGE for a quantity of 2,147,483,648 (beyond int4), with the field', () => {
    const [r] = refusalsOf(plan([{ op: 'setQuantity', lineId: 'l1', quantity: 2_147_483_648 }]));
    expect(r).toMatchObject({ code: 'VALUE_TOO_LARGE', field: 'quantity', operationIndex: 0 });
    expect(r?.detail).toMatch(/at most 100,000/);
  });

  it('refuses VALUE_TOO_LARGE for a unit multiplier of 3,000,000', () => {
    const order = anOrder({
      lines: [aLine({ lineId: 'w1', weighable: true, unitMultiplier: 0.5 })],
    });
    const [r] = refusalsOf(
      plan([{ op: 'changeWeight', lineId: 'w1', unitMultiplier: 3_000_000 }], order),
    );
    expect(r).toMatchObject({ code: 'VALUE_TOO_LARGE', field: 'unitMultiplier' });
  });

  it('refuses ORDER_TOTAL_TOO_LARGE when many adjustments add up beyond the bound', () => {
    const ops: Operation[] = Array.from({ length: 101 }, () => ({
      op: 'adjustTotal',
      increment: BOUNDS.adjustmentMinor,
    }));
    expect(refusalsOf(plan(ops)).map((r) => r.code)).toEqual(['ORDER_TOTAL_TOO_LARGE']);
  });

  it('accepts the largest values within the bounds', () => {
    expect(plan([{ op: 'setQuantity', lineId: 'l1', quantity: BOUNDS.quantity }]).ok).toBe(true);
  });

  it('leaves a line the change does not touch alone, even beyond the bounds', () => {
    const order = anOrder({
      lines: [aLine({ lineId: 'big', quantity: BOUNDS.quantity + 1 }), aLine({ lineId: 'l1' })],
    });
    expect(plan([{ op: 'setQuantity', lineId: 'l1', quantity: 3 }], order).ok).toBe(true);
  });
});
