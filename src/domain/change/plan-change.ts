/**
 * planChange(order, request, ctx): every refusal, or the plan — the one engine behind preview,
 * apply, editability and bulk. Order of checks as API.md §7.2: permission, order gates, then
 * every per-operation refusal (operations apply in order, each on the result of the ones before),
 * totals, payments, picker limits; approval last, only for a change with no refusal.
 */
import { orderBoundRefusals, totalBoundRefusal } from '../bounds.js';
import { refusal, type Refusal } from '../errors.js';
import type { Permission } from '../permissions.js';
import { ok, refused, type Result } from '../result.js';
import { isKnownReason } from '../settings.js';
import { computeTotals } from '../totals.js';
import { assessApproval } from './approval.js';
import { riskInputOf } from '../risk/features.js';
import { assessRisk } from '../risk/policy.js';
import type { LimitBreach } from './limits.js';
import { auditEntries } from './audit-diff.js';
import { followUp } from './follow-up.js';
import { fulfilmentRefusal, orderGate } from './guards.js';
import { pickerLimitBreaches } from './limits.js';
import { rulesOf } from './operations/index.js';
import { paymentImpact } from './payments.js';
import { reevaluatePromotions, type PromotionEffect } from './promotion-policy.js';
import type { ChangeContext, ChangePlan, ChangeRequest, Effect } from './types.js';
import type { Order } from '../order.js';

const LINE_OPS = new Set(['addItem', 'removeItem', 'replaceItem', 'setQuantity', 'changeWeight']);
const REROUTING_OPS = new Set(['setDeliveryDate', 'setCustomAttributes']);

export function missingPermission(request: ChangeRequest, ctx: ChangeContext): Permission | null {
  for (const op of request.operations) {
    const needed = rulesOf(op).permission;
    if (!ctx.actor.permissions.has(needed)) return needed;
  }
  return null;
}

function requestRefusals(request: ChangeRequest, ctx: ChangeContext): Refusal[] {
  const out: Refusal[] = [];
  // Its two gateway calls (void, authorize) stand alone: another money move in the same change
  // would call the gateway for the same payment and action twice under one key.
  const methodChange = request.operations.findIndex((op) => op.op === 'changePaymentMethod');
  if (methodChange >= 0 && request.operations.length > 1)
    out.push(
      refusal(
        'PAYMENT_METHOD_CHANGE_NOT_ALONE',
        'changePaymentMethod goes in a change of its own.',
        {
          operationIndex: methodChange,
          field: `operations[${methodChange}].op`,
        },
      ),
    );
  const code = request.reason?.code?.trim();
  if (!code)
    out.push(refusal('REASON_REQUIRED', 'A change needs reason.code.', { field: 'reason.code' }));
  else if (!isKnownReason(ctx.settings, 'change', code))
    out.push(
      refusal('REASON_CODE_UNKNOWN', `Reason ${code} is not in the tenant's change reasons.`, {
        field: 'reason.code',
      }),
    );
  return out;
}

export function planChange(
  order: Order,
  request: ChangeRequest,
  ctx: ChangeContext,
): Result<ChangePlan> {
  const missing = missingPermission(request, ctx);
  if (missing)
    return refused([
      refusal('PERMISSION_DENIED', `Your role ${ctx.actor.role} lacks ${missing}.`, {
        meta: { permission: missing },
      }),
    ]);
  if (request.operations.length === 0)
    return refused([
      refusal('CHANGE_EMPTY', 'The change has no operations.', { field: 'operations' }),
    ]);
  // Process operations (cancel) carry their own status conditions instead of the order gates.
  const gate = request.operations.some((op) => !rulesOf(op).process) ? orderGate(order, ctx) : null;
  if (gate) return refused([gate]);

  const refusals = requestRefusals(request, ctx);
  let working = order;
  const lines: ChangePlan['lines'] = [];
  const effects: Effect[] = [];
  const byCause: ChangePlan['totals']['byCause'] = [];
  const opPayments: ChangePlan['payments'] = [];
  request.operations.forEach((op, i) => {
    const rules = rulesOf(op);
    if (!ctx.settings.operations[op.op]) {
      refusals.push(
        refusal('OPERATION_DISABLED', `${op.op} is switched off for this tenant.`, {
          operationIndex: i,
          field: `operations[${i}].op`,
        }),
      );
      return;
    }
    const started = rules.fulfilmentBound
      ? fulfilmentRefusal(order, ctx.actor.actorId, LINE_OPS.has(op.op), i)
      : null;
    const found = started ? [started] : rules.check(working, op, ctx, i);
    if (found.length) {
      refusals.push(...found);
      return;
    }
    const before = computeTotals(working).grandTotal;
    const result = rules.apply(working, op, ctx, i);
    working = result.order;
    lines.push(...result.lines);
    effects.push(...(result.effects ?? []));
    opPayments.push(...(result.payments ?? []));
    byCause.push({ operationIndex: i, amount: computeTotals(working).grandTotal - before });
  });
  if (refusals.length) return refused(refusals);
  let promotionEffects: PromotionEffect[] = [];
  if (ctx.settings.promotions.onChange === 'reevaluate') {
    const fallback = lastIndex(request, new Set(['applyPromotion']));
    const again = reevaluatePromotions(order, working, ctx.promotions, lines, fallback);
    working = again.order;
    promotionEffects = again.effects;
    for (const e of again.effects) {
      const cause = byCause.find((b) => b.operationIndex === e.operationIndex);
      if (cause) cause.amount += e.amount;
    }
  }
  // Bounds before routing and money: a value the columns cannot hold never reaches a gateway (issue 12).
  const lastOp = request.operations.length - 1;
  const beyond = orderBoundRefusals(order, working, lastOp);
  if (beyond.length) return refused(beyond);

  if (working.lines.length === 0)
    return refused([
      refusal('ORDER_WOULD_BE_EMPTY', 'The change removes every line; cancel the order instead.', {
        field: 'operations',
      }),
    ]);
  const rerouteWanted = request.operations.some((op) => REROUTING_OPS.has(op.op));
  const follow = followUp(order, working, ctx, rerouteWanted);
  if (follow.refusals.length)
    return refused(
      follow.refusals.map((r) => ({ ...r, operationIndex: lastIndex(request, LINE_OPS) })),
    );
  working = follow.order;
  effects.push(...follow.effects);

  const totals = computeTotals(working);
  const tooLarge = totalBoundRefusal(order.totals.grandTotal, totals.grandTotal, lastOp);
  if (tooLarge) return refused([tooLarge]);
  if (totals.grandTotal < 0) {
    return refused([
      refusal(
        'DISCOUNT_EXCEEDS_ORDER_TOTAL',
        `The discounts would bring the total to ${totals.grandTotal}.`,
        {
          operationIndex: lastIndex(
            request,
            new Set(['adjustTotal', 'applyPromotion', 'setUnitPrice']),
          ),
        },
      ),
    ]);
  }
  const money = moneyOf(request, order, working, totals.grandTotal - order.totals.grandTotal, ctx);
  if (money.refusals.length) return refused(money.refusals);
  money.plan = [...opPayments, ...money.plan];
  const after: Order = { ...working, totals, payments: money.payments, updatedAt: ctx.now };

  const audit = auditEntries(order, after);
  // A pick job replaced in place (a manual reroute won by the same facility) is a change too.
  const replacesPickJob = effects.some((e) => e.type === 'PICK_JOB_REPLACED');
  if (audit.length === 0 && !replacesPickJob)
    return refused([
      refusal('CHANGE_EMPTY', 'The operations change nothing.', { field: 'operations' }),
    ]);
  const breaches =
    ctx.actor.role === 'picker' ? pickerLimitBreaches(ctx.originalOrder, after, ctx.settings) : [];
  if (breaches.length && !ctx.settings.approval.pickerBeyondLimits) {
    return refused(
      breaches.map((b) =>
        refusal('PICKER_LIMIT_EXCEEDED', b.detail, {
          meta: { limit: b.limit, threshold: b.threshold, actual: b.actual },
        }),
      ),
    );
  }
  return ok({
    fields: audit.filter((e) => !e.path.startsWith('lines.')),
    lines,
    totals: { before: order.totals, after: totals, byCause },
    promotions: { onChange: ctx.settings.promotions.onChange, effects: promotionEffects },
    payments: money.plan,
    effects,
    auditEntries: audit,
    approval: withRisk(order, after, request, ctx, breaches),
    after,
  });
}

/** The rules' approval, then the risk policy over it (docs/risk.md): one place for both. */
function withRisk(
  order: Order,
  after: Order,
  request: ChangeRequest,
  ctx: ChangeContext,
  breaches: LimitBreach[],
) {
  const rules = assessApproval(order, after, ctx.settings, ctx.appliedCount, breaches);
  const input = riskInputOf({
    before: order,
    after,
    operations: request.operations.map((op) => op.op),
    changesSoFar: ctx.changeCount,
    role: ctx.actor.role,
    app: request.app ?? 'api',
    pickerBreaches: breaches.length,
    activity: ctx.risk?.activity.get(ctx.actor.actorId),
    now: ctx.now,
  });
  return assessRisk(rules, input, ctx.risk, ctx.settings.risk, ctx.actor.actorId);
}

/** A cancellation gives back what the payments still hold; any other change moves the total's difference. */
function moneyOf(
  request: ChangeRequest,
  before: Order,
  working: Order,
  delta: number,
  ctx: ChangeContext,
) {
  const releases = request.operations
    .map((op) => rulesOf(op).process?.releases)
    .find((r) => r !== undefined);
  if (!releases || working.status !== 'canceled' || before.status === 'canceled')
    return paymentImpact(working, delta, ctx.settings);
  // Payments settled directly by API are refunded outside Amend when a force-cancel skips them.
  const released = working.payments.filter((p) => releases === 'all' || !p.settledByApi);
  const held = released.reduce((sum, p) => sum + p.authorized - p.refunded, 0);
  if (held === 0) return { payments: working.payments, plan: [], refusals: [] };
  const impact = paymentImpact({ ...working, payments: released }, -held, ctx.settings);
  return {
    ...impact,
    payments: working.payments.map((p) => impact.payments.find((x) => x.id === p.id) ?? p),
  };
}

function lastIndex(request: ChangeRequest, ops: Set<string>): number {
  const idx = request.operations.map((op, i) => (ops.has(op.op) ? i : -1)).filter((i) => i >= 0);
  return idx.length ? (idx[idx.length - 1] as number) : 0;
}
