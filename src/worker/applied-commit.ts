/** What the worker commits for a change whose gateway calls went through: the applied change. */
import type { Loaded } from '../app/change-context.js';
import { changeEvents } from '../app/change-events.js';
import { noticeEvents } from '../app/customer-notice-events.js';
import { knownReason } from '../app/changes.js';
import type { CommitStep } from '../app/commit-path.js';
import type { Actor, Deps } from '../app/deps.js';
import { RefusedError } from '../app/refused-error.js';
import type { StoredChange } from '../db/change-queue.js';
import type { GatewayCallWrite } from '../db/commit-payload.js';
import { publicPlan, type Change } from '../domain/change/change.js';
import { appliedOutcome, step } from '../domain/change/lifecycle.js';
import type { ChangePlan, ChangeRequest } from '../domain/change/types.js';
import type { Order } from '../domain/order.js';
import type { Result } from '../domain/result.js';

type PaymentCall = ChangePlan['payments'][number];
const movesMoney = (p: PaymentCall) => p.action !== 'none';
const samePayments = (a: PaymentCall[], b: PaymentCall[]) =>
  JSON.stringify(a.filter(movesMoney)) === JSON.stringify(b.filter(movesMoney));

export type AppliedAnswer =
  | { kind: 'applied'; change: Change }
  | { kind: 'refused'; error: RefusedError; detail: string }
  | { kind: 'moved' };

export function appliedCommit(
  deps: Deps,
  a: {
    stored: StoredChange;
    token: string;
    actor: Actor;
    calls: PaymentCall[];
    made: GatewayCallWrite[];
    loaded: Loaded;
    planned: Result<ChangePlan>;
  },
): CommitStep<AppliedAnswer> {
  const { stored, loaded, planned } = a;
  if (!planned.ok) {
    const error = new RefusedError(planned.refusals);
    const detail = planned.refusals.map((r) => r.detail).join(' ');
    return { write: null, answer: { kind: 'refused', error, detail } };
  }
  // The money moved for the plan the calls were made for; another plan would need other calls.
  if (!samePayments(planned.value.payments, a.calls))
    return { write: null, answer: { kind: 'moved' } };
  const plan = planned.value;
  const after: Order = { ...plan.after, version: loaded.order.version + 1 };
  const now = deps.clock().toISOString();
  const applied: Change = {
    ...stored.change,
    status: 'applied',
    orderVersion: after.version,
    plan: publicPlan(plan),
    updatedAt: now,
    outcome: appliedOutcome(after.version),
    transitions: [
      ...stored.change.transitions,
      step('applied', now, a.token, a.calls.length ? 'payment-confirmed' : 'dequeued'),
    ],
  };
  const request: ChangeRequest = { operations: stored.change.operations };
  if (stored.change.reason) request.reason = stored.change.reason;
  return {
    write: {
      after,
      change: applied,
      audit: plan.auditEntries,
      reasonCode: knownReason(a.actor, request),
      events: [
        ...changeEvents(deps, applied, after, plan, ['CHANGE_APPLIED']),
        ...noticeEvents(deps, applied, loaded.order, plan, a.actor.settings),
      ],
      guard: { status: 'applying', leaseToken: a.token },
      state: {
        expectedVersion: stored.state.expectedVersion,
        gatewayGeneration: stored.state.gatewayGeneration,
      },
      gatewayCalls: a.made,
      counted: true,
    },
    answer: { kind: 'applied', change: applied },
  };
}
