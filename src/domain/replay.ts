/**
 * Replaying the audit (issue 3, `amend verify`): start from the order as imported (version 0),
 * set every audited path to its new value, change after change, and the result must be the order
 * as it is now. Status and captured amounts also move by fulfilment (hand-over, invoice), which is
 * not a change, so they are not compared.
 */
import { jsonEqual } from './json-equal.js';
import type { Order, OrderLine } from './order.js';
import { computeTotals, totalsEqual } from './totals.js';

export interface AuditStep {
  path: string;
  new: unknown;
}
type Snapshot = Pick<
  Order,
  | 'lines'
  | 'shippingAddress'
  | 'customAttributes'
  | 'preferredDeliveryDate'
  | 'deliveryWindow'
  | 'adjustments'
  | 'appliedPromotions'
  | 'shippingTotal'
  | 'carrier'
  | 'facilityId'
  | 'payments'
  | 'totals'
>;

export function replayAudit(start: Snapshot, steps: readonly AuditStep[]): Snapshot {
  const o: Snapshot = structuredClone(start);
  for (const { path, new: value } of steps) {
    const [head, key, field] = path.split('.') as [string, string | undefined, string | undefined];
    if (head === 'lines' && key !== undefined && field === undefined) {
      o.lines =
        value === null
          ? o.lines.filter((l) => l.lineId !== key)
          : [...o.lines.filter((l) => l.lineId !== key), value as OrderLine];
    } else if (head === 'lines' && key !== undefined) {
      o.lines = o.lines.map((l) => (l.lineId === key ? { ...l, [field as string]: value } : l));
    } else if (head === 'payments' && key !== undefined) {
      o.payments = o.payments.map((p) => (p.id === key ? { ...p, [field as string]: value } : p));
    } else if (head === 'customAttributes' && key !== undefined) {
      if (value === null) delete o.customAttributes[key];
      else o.customAttributes[key] = value;
    } else if ((head === 'shippingAddress' || head === 'adjustments') && key !== undefined) {
      (o[head] as unknown as Record<string, unknown>)[key] = value;
    } else if (head in o) {
      (o as unknown as Record<string, unknown>)[head] = value;
    }
  }
  return o;
}

/** Key order does not count (jsonb stores keys sorted). */
const same = jsonEqual;

/** What differs between the replayed and the current order, as sentences; empty when they agree. */
export function replayDifferences(replayed: Snapshot, current: Snapshot): string[] {
  const out: string[] = [];
  for (const key of [
    'lines',
    'shippingAddress',
    'customAttributes',
    'preferredDeliveryDate',
    'deliveryWindow',
    'adjustments',
    'appliedPromotions',
    'shippingTotal',
    'carrier',
    'facilityId',
  ] as const) {
    if (!same(replayed[key], current[key]))
      out.push(
        `${key}: the audit gives ${JSON.stringify(replayed[key])}, the order has ${JSON.stringify(current[key])}`,
      );
  }
  for (const p of current.payments) {
    const r = replayed.payments.find((x) => x.id === p.id);
    if (!r || r.authorized !== p.authorized || r.refunded !== p.refunded)
      out.push(
        `payment ${p.id}: the audit gives ${JSON.stringify(r ?? null)}, the order has authorized ${p.authorized}, refunded ${p.refunded}`,
      );
  }
  if (!totalsEqual(computeTotals(replayed), current.totals))
    out.push('totals: the replayed lines do not give the stored totals');
  return out;
}
