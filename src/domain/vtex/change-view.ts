/**
 * An Amend change as VTEX's Change v2 object (VTEX-FACADE.md §3.5): Create's 202, Preview, History's
 * requests[] and Detail. Everything comes from the change's plan; a change not yet planned shows 0 / [].
 */
import type { Change, PublicPlan } from '../change/change.js';
import type { Operation } from '../change/types.js';
import type { Totals } from '../order.js';
import { vtexErrorOf } from './errors.js';
import { fromItemOf, replacedPart, toItemOf, type FactsOf, type LineSnapshot } from './items.js';
import { vtexStateOf } from './status.js';

/** What the Change object is made of; a preview has no id or ticket yet. */
export interface ChangeSource {
  orderId: string;
  reasonText: string;
  operations: readonly Operation[];
  plan: PublicPlan | null;
  date: string;
  component: string;
}

export interface ViewContext {
  account: string;
  facts: FactsOf;
}

/** VTEX settings: Create/Preview want the nested form, Detail/History the flat key, so both are sent. */
export const VTEX_SETTINGS = {
  customPaymentSystemsAllowed: [],
  paymentConfiguration: { customPaymentSystemsAllowed: [] },
  rolloutConfiguration: { enableApi: true },
  pipelineConfiguration: {
    enableTaxHubRecalculation: false,
    compensateShippingChanges: false,
    enablePromotionRecalculation: false,
    enableNativeTaxRecalculation: true,
  },
};

/** The change's own manual values: the sum of its adjustTotal operations. */
export function manualValuesOf(operations: readonly Operation[]) {
  let discount = 0;
  let increment = 0;
  for (const op of operations)
    if (op.op === 'adjustTotal') {
      discount += op.discount ?? 0;
      increment += op.increment ?? 0;
    }
  return { discount, increment, adjusts: operations.some((op) => op.op === 'adjustTotal') };
}

/** Deltas per VTEX total; together they add up to the grand total's delta (the manual values apart from discounts). */
export function totalsDelta(before: Totals, after: Totals, manual: number, adjusts: boolean) {
  const d = (k: keyof Totals) => after[k] - before[k];
  return [
    { id: 'Items', name: 'Items Total', value: d('items') },
    { id: 'Discounts', name: 'Discounts Total', value: d('increments') - d('discounts') - manual },
    { id: 'Shipping', name: 'Shipping Total', value: d('shipping') },
    { id: 'Tax', name: 'Tax Total', value: d('tax') },
    ...(adjusts ? [{ id: 'ManualValues', name: 'Manual Values Total', value: manual }] : []),
  ];
}

const pairOf = (from: ReturnType<typeof fromItemOf>[], to: ReturnType<typeof toItemOf>[]) => ({
  from: { items: from, paymentData: { transactions: [] }, shippingData: { logisticsInfo: [] } },
  to: {
    items: to,
    paymentData: { transactions: [] },
    receiptData: null,
    shippingData: { logisticsInfo: [] },
  },
});

export function vtexChangeBody(source: ChangeSource, ctx: ViewContext) {
  const manual = manualValuesOf(source.operations);
  const plan = source.plan;
  const snap = (line: object | null) => line as LineSnapshot;
  // Removing some units of a line is a removal for VTEX too: the units removed, not a from → to pair.
  const partial = (l: PublicPlan['lines'][number]) =>
    l.kind === 'quantity' && source.operations[l.operationIndex]?.op === 'removeItem';
  const lines = plan?.lines ?? [];
  const added = lines.filter((l) => l.kind === 'added').map((l) => snap(l.new));
  const removed = lines.flatMap((l) =>
    l.kind === 'removed'
      ? [snap(l.old)]
      : partial(l)
        ? [{ ...snap(l.old), quantity: snap(l.old).quantity - snap(l.new).quantity }]
        : [],
  );
  // A replacement, and any other edit of a line in place (quantity, weight, price), is a from → to pair.
  const replace = lines
    .filter((l) => l.kind !== 'added' && l.kind !== 'removed' && !partial(l))
    .map((l) => {
      const old = l.kind === 'replaced' ? replacedPart(snap(l.old), snap(l.new)) : snap(l.old);
      return pairOf(
        [fromItemOf(old, ctx.facts(old))],
        [toItemOf(snap(l.new), ctx.facts(snap(l.new)))],
      );
    });
  return {
    reason: source.reasonText,
    manualDiscountValue: manual.discount,
    manualIncrementValue: manual.increment,
    totalChangeValue: plan ? plan.totals.after.grandTotal - plan.totals.before.grandTotal : 0,
    totals: plan
      ? totalsDelta(
          plan.totals.before,
          plan.totals.after,
          manual.increment - manual.discount,
          manual.adjusts,
        )
      : [],
    add: added.length
      ? {
          ...pairOf(
            [],
            added.map((l) => toItemOf(l, ctx.facts(l))),
          ).to,
        }
      : null,
    remove: removed.length
      ? {
          ...pairOf(
            removed.map((l) => fromItemOf(l, ctx.facts(l))),
            [],
          ).from,
        }
      : null,
    replace,
    date: source.date,
    origin: { account: ctx.account, orderId: source.orderId, component: source.component },
    settings: VTEX_SETTINGS,
  };
}

export const sourceOf = (change: Change): ChangeSource => ({
  orderId: change.orderId,
  reasonText: change.reason?.text ?? '',
  operations: change.operations,
  plan: change.plan,
  date: change.createdAt,
  component: change.requestedBy.app,
});

/** Create's 202 and History's requests[]: the body with the ids. */
export function vtexChangeOf(change: Change, ctx: ViewContext) {
  return {
    requestId: change.id,
    workflowId: change.ticket,
    ...vtexChangeBody(sourceOf(change), ctx),
  };
}

/** Detail: the change, VTEX's status, the transitions as logs, and the outcome's VTEX error once refused. */
export function vtexDetailOf(change: Change, ctx: ViewContext) {
  const state = vtexStateOf(change);
  const failed = change.outcome && change.status !== 'applied' && change.status !== 'canceled';
  return {
    ...vtexChangeOf(change, ctx),
    ...state,
    logs: change.transitions.map((t) => ({ status: t.status, date: t.at, cause: t.cause })),
    error:
      failed && change.outcome
        ? vtexErrorOf(change.outcome.code, change.outcome.detail, 'v2', {
            order: change.orderId,
            change: change.id,
          })
        : null,
  };
}
