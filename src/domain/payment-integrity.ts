/**
 * `amend verify` on money (issue 12 point 2): what the payments hold (Σ authorized − refunded) against
 * what the order costs, and what the gateway's ledger moved against what the applied changes planned.
 *
 * Where they legitimately differ (not reported):
 * - an order with a change queued or being applied: its money may have moved before its commit;
 * - a canceled order: its payments hold nothing, except those settled directly by API, which are
 *   refunded outside Amend and keep their amount here;
 * - an order without payments (nothing to compare).
 */
import type { Order } from './order.js';
import type { Violation } from './invariants.js';

const money = (minor: number) => (minor / 100).toFixed(2);

export function paymentViolations(order: Order): Violation[] {
  if (order.payments.length === 0) return [];
  const net = (p: Order['payments'][number]) => p.authorized - p.refunded;
  if (order.status === 'canceled') {
    const held = order.payments.filter((p) => !p.settledByApi).reduce((s, p) => s + net(p), 0);
    return held === 0
      ? []
      : [
          {
            orderId: order.id,
            rule: 'PAYMENT_MISMATCH',
            detail: `a canceled order's payments still hold ${money(held)} ${order.currency}`,
          },
        ];
  }
  const held = order.payments.reduce((s, p) => s + net(p), 0);
  if (held === order.totals.grandTotal) return [];
  return [
    {
      orderId: order.id,
      rule: 'PAYMENT_MISMATCH',
      detail: `payments hold ${money(held)} ${order.currency} (authorized − refunded) on a grand total of ${money(order.totals.grandTotal)}`,
    },
  ];
}

/** Per payment: what the ledger moved (signed) against what applied changes planned (signed). */
export function ledgerViolations(
  orderId: string,
  moved: ReadonlyMap<string, number>,
  planned: ReadonlyMap<string, number>,
): Violation[] {
  const out: Violation[] = [];
  for (const paymentId of new Set([...moved.keys(), ...planned.keys()])) {
    const m = moved.get(paymentId) ?? 0;
    const p = planned.get(paymentId) ?? 0;
    if (m !== p)
      out.push({
        orderId,
        rule: 'LEDGER_MISMATCH',
        detail: `payment ${paymentId}: the gateway moved ${money(m)}, applied changes planned ${money(p)}`,
      });
  }
  return out;
}
