import { refusal, type Refusal } from '../../errors.js';
import type { Order, Payment } from '../../order.js';
import { canIncrease } from '../../settings.js';
import { at } from '../guards.js';
import type { Operation, OperationRules } from '../types.js';

type ChangePaymentMethod = Extract<Operation, { op: 'changePaymentMethod' }>;

/** Payments whose method may still change: nothing captured, not settled outside Amend. */
const changeable = (p: Payment) => p.captured === 0 && !p.settledByApi;

/**
 * seed 002 "hiding 'Payment Method' after successful charge": value-independent, so the editability
 * view asks it too and hides the operation with this reason once every payment was charged.
 */
export function paymentMethodGate(order: Order, i: number): Refusal | null {
  if (order.payments.length === 0)
    return refusal('PAYMENT_NOT_FOUND', 'The order has no payment.', at(i, 'paymentId'));
  if (!order.payments.some(changeable))
    return refusal(
      'PAYMENT_ALREADY_CAPTURED',
      'The payment was already charged (captured, or settled by API); its method can no longer change.',
      at(i, 'paymentId'),
    );
  return null;
}

function target(order: Order, op: ChangePaymentMethod, i: number): Payment | Refusal {
  const p = op.paymentId
    ? order.payments.find((x) => x.id === op.paymentId)
    : order.payments.find(changeable);
  if (!p)
    return refusal(
      'PAYMENT_NOT_FOUND',
      `The order has no payment ${op.paymentId}.`,
      at(i, 'paymentId'),
    );
  if (!changeable(p))
    return refusal(
      'PAYMENT_ALREADY_CAPTURED',
      `Payment ${p.id} was already charged; its method can no longer change.`,
      at(i, 'paymentId'),
    );
  return p;
}

/**
 * Before the charge, the customer pays another way: the old authorization is voided
 * (reduce-authorization of all it holds) and the same amount authorized on a new payment with the
 * new method — two gateway calls the worker makes and compensates like any other money move.
 */
export const changePaymentMethod: OperationRules<ChangePaymentMethod> = {
  permission: 'ORDER_WRITE',
  fulfilmentBound: false,
  gate: paymentMethodGate,
  hiddenWhen: ['PAYMENT_ALREADY_CAPTURED'],
  check(order, op, ctx, i) {
    const gate = paymentMethodGate(order, i);
    if (gate) return [gate];
    const p = target(order, op, i);
    if (!('id' in p)) return [p];
    if (p.method === op.method)
      return [refusal('CHANGE_EMPTY', `Payment ${p.id} is already ${op.method}.`, at(i, 'method'))];
    if (!canIncrease(ctx.settings, op.method))
      return [
        refusal(
          'PAYMENT_METHOD_CANNOT_INCREASE',
          `${op.method} cannot take an authorization after checkout.`,
          at(i, 'method'),
        ),
      ];
    return [];
  },
  apply(order, op, ctx, i) {
    const old = target(order, op, i) as Payment;
    const next: Payment = {
      id: ctx.nextId('pay'),
      method: op.method,
      settledByApi: false,
      transactionId: null,
      authorized: old.authorized,
      captured: 0,
      refunded: 0,
    };
    const payments = old.authorized
      ? [
          {
            paymentId: old.id,
            method: old.method,
            amount: -old.authorized,
            action: 'reduce-authorization' as const,
          },
          {
            paymentId: next.id,
            method: next.method,
            amount: old.authorized,
            action: 'authorize' as const,
          },
        ]
      : [];
    return {
      order: { ...order, payments: order.payments.map((p) => (p.id === old.id ? next : p)) },
      lines: [],
      payments,
    };
  },
};
