/**
 * The risk on the editability answer (issue 16 point 2): before any value is typed, what each
 * operation would score on this order for this requester now — the same policy as a planned change,
 * with the change's own amounts still unknown (no value delta).
 */
import { approvalOfFacts } from '../change/approval.js';
import type { ChangeContext } from '../change/types.js';
import type { Order } from '../order.js';
import { OPERATION_NAMES, type OperationName } from '../settings.js';
import { riskInputOf } from './features.js';
import type { RiskBand, RiskReason } from './model.js';
import { assessRisk } from './policy.js';
import type { UnusualActor } from './unusual-actor.js';

export interface RiskBeforeChange {
  modelVersion: number | null;
  unusualActor: UnusualActor | null;
  operations: Record<OperationName, { score: number; band: RiskBand; reasons: RiskReason[] }>;
}

export function riskBeforeChange(order: Order, ctx: ChangeContext, app: string): RiskBeforeChange {
  const paid = order.payments.some((p) => p.authorized > 0);
  const scored = OPERATION_NAMES.map((name) => {
    const input = riskInputOf({
      before: order,
      after: order,
      operations: [name],
      changesSoFar: ctx.changeCount,
      role: ctx.actor.role,
      app,
      pickerBreaches: 0,
      activity: ctx.risk?.activity.get(ctx.actor.actorId),
      now: ctx.now,
    });
    const addressAfterPayment = name === 'setShippingAddress' && paid;
    const rules = approvalOfFacts(
      { delta: 0, deltaPct: 0, addressAfterPayment, appliedBefore: ctx.appliedCount, breaches: [] },
      ctx.settings,
    );
    const verdict = assessRisk(
      rules,
      { ...input, addressAfterPayment },
      ctx.risk,
      ctx.settings.risk,
      ctx.actor.actorId,
    ).risk;
    return [name, verdict] as const;
  });
  const first = scored[0]?.[1];
  return {
    modelVersion: first?.modelVersion ?? null,
    unusualActor: first?.unusualActor ?? null,
    operations: Object.fromEntries(
      scored.map(([name, v]) => [
        name,
        { score: v?.score ?? 0, band: v?.band ?? 'low', reasons: v?.reasons ?? [] },
      ]),
    ) as RiskBeforeChange['operations'],
  };
}
