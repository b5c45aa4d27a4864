/**
 * The approval policy (API.md §7.4): which reasons make a change high-risk, and a 0–100 score
 * that explains itself by listing them.
 */
import type { Order } from '../order.js';
import type { TenantSettings } from '../settings.js';
import type { LimitBreach } from './limits.js';
import type { Approval, ApprovalReason } from './types.js';

const WEIGHT: Record<string, number> = {
  VALUE_DELTA_ABOVE: 40,
  VALUE_DELTA_PCT_ABOVE: 30,
  ADDRESS_CHANGE_AFTER_PAYMENT: 30,
  CHANGES_PER_ORDER_ABOVE: 20,
  PICKER_LIMIT_EXCEEDED: 40,
};

/** Minor units as a person reads them (the currency is the order's). */
const decimal = (minor: number) => (minor / 100).toFixed(2);

export function assessApproval(
  before: Order,
  after: Order,
  settings: TenantSettings,
  appliedBefore: number,
  breaches: LimitBreach[],
): Approval {
  const delta = Math.abs(after.totals.grandTotal - before.totals.grandTotal);
  const addressChanged =
    JSON.stringify(before.shippingAddress) !== JSON.stringify(after.shippingAddress);
  return approvalOfFacts(
    {
      delta,
      deltaPct:
        before.totals.grandTotal > 0
          ? Math.round((delta / before.totals.grandTotal) * 1000) / 10
          : 0,
      addressAfterPayment: addressChanged && before.payments.some((p) => p.authorized > 0),
      appliedBefore,
      breaches,
    },
    settings,
  );
}

/** What the rules look at; the risk evaluation scores stored decisions with the same rules. */
export interface ApprovalFacts {
  delta: number;
  deltaPct: number;
  addressAfterPayment: boolean;
  appliedBefore: number;
  breaches: LimitBreach[];
}

export function approvalOfFacts(facts: ApprovalFacts, settings: TenantSettings): Approval {
  const { delta, deltaPct, appliedBefore, breaches } = facts;
  const policy = settings.approval;
  const reasons: ApprovalReason[] = [];
  if (policy.valueDeltaAbove !== null && delta > policy.valueDeltaAbove) {
    reasons.push({
      code: 'VALUE_DELTA_ABOVE',
      detail: `The total moves by ${decimal(delta)}, above ${decimal(policy.valueDeltaAbove)}.`,
      threshold: policy.valueDeltaAbove,
      actual: delta,
    });
  }
  if (policy.valueDeltaPctAbove !== null && deltaPct > policy.valueDeltaPctAbove) {
    reasons.push({
      code: 'VALUE_DELTA_PCT_ABOVE',
      detail: `The total moves by ${deltaPct} %, above ${policy.valueDeltaPctAbove} %.`,
      threshold: policy.valueDeltaPctAbove,
      actual: deltaPct,
    });
  }
  if (policy.addressChangeAfterPayment && facts.addressAfterPayment) {
    reasons.push({
      code: 'ADDRESS_CHANGE_AFTER_PAYMENT',
      detail: 'The address changes after the payment was authorized.',
      threshold: true,
      actual: true,
    });
  }
  if (policy.changesPerOrderAbove !== null && appliedBefore > policy.changesPerOrderAbove) {
    reasons.push({
      code: 'CHANGES_PER_ORDER_ABOVE',
      detail: `The order already had ${appliedBefore} changes, above ${policy.changesPerOrderAbove}.`,
      threshold: policy.changesPerOrderAbove,
      actual: appliedBefore,
    });
  }
  for (const b of breaches)
    reasons.push({
      code: 'PICKER_LIMIT_EXCEEDED',
      detail: b.detail,
      threshold: b.threshold,
      actual: b.actual,
    });
  const score = Math.min(
    100,
    reasons.reduce((s, r) => s + (WEIGHT[r.code] ?? 10), 0),
  );
  return { required: reasons.length > 0, score, reasons };
}
