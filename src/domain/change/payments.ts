/**
 * Who pays a change in value (API.md §7.3). An increase goes to the first payment whose method can
 * take one (authorize while nothing is captured, else capture); a decrease is taken from the last
 * payment backwards: the uncaptured part first (reduce-authorization), then a refund.
 */
import { refusal, type Refusal } from '../errors.js';
import type { Order, Payment } from '../order.js';
import { canIncrease, type TenantSettings } from '../settings.js';
import type { ChangePlan } from './types.js';

type PaymentLine = ChangePlan['payments'][number];
export interface PaymentImpact {
  payments: Payment[];
  plan: PaymentLine[];
  refusals: Refusal[];
}

export function paymentImpact(
  order: Order,
  delta: number,
  settings: TenantSettings,
): PaymentImpact {
  const payments = order.payments.map((p) => ({ ...p }));
  if (delta === 0) return { payments, plan: [], refusals: [] };
  if (payments.length === 0)
    return {
      payments,
      plan: [],
      refusals: [
        refusal('PAYMENT_NOT_FOUND', 'The order value would change but the order has no payment.'),
      ],
    };
  if (delta > 0) {
    const payer = payments.find((p) => canIncrease(settings, p.method));
    if (!payer) {
      const methods = [...new Set(payments.map((p) => p.method))].join(', ');
      return {
        payments,
        plan: [],
        refusals: [
          refusal(
            'PAYMENT_METHOD_CANNOT_INCREASE',
            `The order would cost ${(delta / 100).toFixed(2)} ${order.currency} more, but ${methods} cannot take an increase.`,
          ),
        ],
      };
    }
    const action = payer.captured === 0 ? 'authorize' : 'capture';
    payer.authorized += delta;
    if (action === 'capture') payer.captured += delta;
    return {
      payments,
      plan: [{ paymentId: payer.id, method: payer.method, amount: delta, action }],
      refusals: [],
    };
  }
  let owed = -delta;
  const plan: PaymentLine[] = [];
  for (const p of [...payments].reverse()) {
    if (owed === 0) break;
    const holds = p.authorized - p.refunded;
    if (holds <= 0) continue;
    if (p.settledByApi)
      return {
        payments,
        plan: [],
        refusals: [
          refusal(
            'PAYMENT_METHOD_CANNOT_DECREASE',
            `Payment ${p.id} was settled directly by API; its amount cannot go down.`,
          ),
        ],
      };
    const uncaptured = Math.min(owed, p.authorized - p.captured);
    if (uncaptured > 0) {
      p.authorized -= uncaptured;
      owed -= uncaptured;
      plan.push({
        paymentId: p.id,
        method: p.method,
        amount: -uncaptured,
        action: 'reduce-authorization',
      });
    }
    const refundable = Math.min(owed, p.captured - p.refunded);
    if (refundable > 0) {
      p.refunded += refundable;
      owed -= refundable;
      plan.push({ paymentId: p.id, method: p.method, amount: -refundable, action: 'refund' });
    }
  }
  if (owed > 0)
    return {
      payments,
      plan: [],
      refusals: [
        refusal(
          'DISCOUNT_EXCEEDS_PAYMENT',
          `The payments can give back ${((-delta - owed) / 100).toFixed(2)} ${order.currency}, not ${(-delta / 100).toFixed(2)}.`,
        ),
      ],
    };
  return { payments, plan, refusals: [] };
}
