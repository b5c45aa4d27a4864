import { describe, expect, it } from 'vitest';
import type { Order } from '../../order.js';
import { aContext, anOrder } from '../../test-builders.js';
import { editability } from '../editability.js';
import { planChange } from '../plan-change.js';
import type { Operation } from '../types.js';

const card = (over = {}) => ({
  id: 'pay1',
  method: 'credit-card' as const,
  settledByApi: false,
  transactionId: 'tx1',
  authorized: 1200,
  captured: 0,
  refunded: 0,
  ...over,
});
const plan = (order: Order, operations: Operation[]) =>
  planChange(order, { operations, reason: { code: 'CUSTOMER_REQUEST' } }, aContext());
const codes = (r: ReturnType<typeof plan>) => (r.ok ? [] : r.refusals.map((x) => x.code));

describe('changePaymentMethod (seed 002: before the charge)', () => {
  it('voids the old authorization and authorizes the same amount on a new payment', () => {
    const order = anOrder({ payments: [card()] });
    const result = plan(order, [{ op: 'changePaymentMethod', method: 'promissory' }]);
    if (!result.ok) throw new Error(JSON.stringify(result.refusals));
    const [next] = result.value.after.payments;
    expect(next).toMatchObject({ method: 'promissory', authorized: 1200, captured: 0 });
    expect(next?.id).not.toBe('pay1');
    expect(result.value.payments).toEqual([
      { paymentId: 'pay1', method: 'credit-card', amount: -1200, action: 'reduce-authorization' },
      { paymentId: next?.id, method: 'promissory', amount: 1200, action: 'authorize' },
    ]);
    expect(result.value.totals.after).toEqual(order.totals);
    expect(result.value.auditEntries.map((e) => e.path)).toEqual([
      'payments.pay1',
      `payments.${next?.id}`,
    ]);
  });

  it('refuses PAYMENT_ALREADY_CAPTURED once charged, and editability hides it with that reason', () => {
    const order = anOrder({ payments: [card({ captured: 1200 })] });
    expect(codes(plan(order, [{ op: 'changePaymentMethod', method: 'promissory' }]))).toEqual([
      'PAYMENT_ALREADY_CAPTURED',
    ]);
    const view = editability(order, aContext()).operations.changePaymentMethod;
    expect(view).toMatchObject({ allowed: false, visible: false });
    expect(view?.refusals[0]?.code).toBe('PAYMENT_ALREADY_CAPTURED');
    const open = editability(anOrder({ payments: [card()] }), aContext()).operations;
    expect(open.changePaymentMethod).toMatchObject({ allowed: true, visible: true });
  });

  it('refuses a method that cannot authorize after checkout, the same method, and an unknown payment', () => {
    const order = anOrder({ payments: [card()] });
    expect(codes(plan(order, [{ op: 'changePaymentMethod', method: 'bank-slip' }]))).toEqual([
      'PAYMENT_METHOD_CANNOT_INCREASE',
    ]);
    expect(codes(plan(order, [{ op: 'changePaymentMethod', method: 'credit-card' }]))).toEqual([
      'CHANGE_EMPTY',
    ]);
    expect(
      codes(plan(order, [{ op: 'changePaymentMethod', paymentId: 'nope', method: 'cash' }])),
    ).toEqual(['PAYMENT_NOT_FOUND']);
  });

  it('refuses PAYMENT_METHOD_CHANGE_NOT_ALONE beside another operation', () => {
    const order = anOrder({ payments: [card()] });
    const result = plan(order, [
      { op: 'setQuantity', lineId: 'l1', quantity: 3 },
      { op: 'changePaymentMethod', method: 'cash' },
    ]);
    expect(codes(result)).toContain('PAYMENT_METHOD_CHANGE_NOT_ALONE');
  });
});
