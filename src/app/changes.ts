/**
 * Applying a change (API.md §4, §7.4–§7.5) through the one commit path (commit-path.ts): plan on an
 * unlocked read, then commit what the change changes, audit, outbox, change record and version in ONE
 * statement that compare-and-swaps the order's revision and re-counts its changes. A conflict (another
 * write, stock taken, a change counted meanwhile) re-plans under row and stock locks.
 */
import { findChange, listChanges, listHistory } from '../db/changes.js';
import { awaitingDecision, publicPlan, type Change } from '../domain/change/change.js';
import { queueBusy as isQueueBusy } from '../db/change-queue.js';
import {
  appliedOutcome,
  needsSeller,
  outcomeOf,
  routeValidated,
  step,
  type ChangeStatus,
} from '../domain/change/lifecycle.js';
import { eventOf } from './change-lifecycle.js';
import { findOrder, findOrderVersion, orderExists } from '../db/orders.js';
import { editability } from '../domain/change/editability.js';
import { riskBeforeChange } from '../domain/risk/before-change.js';
import { invertChange } from '../domain/change/undo.js';
import type { ChangePlan, ChangeRequest } from '../domain/change/types.js';
import type { Result } from '../domain/result.js';
import type { Refusal } from '../domain/errors.js';
import { isKnownReason } from '../domain/settings.js';
import type { Order } from '../domain/order.js';
import { summarizeChanges } from '../domain/change/summary.js';
import { loadForChange, type Loaded } from './change-context.js';
import { commitPlanned, loadAndPlan, type CommitStep } from './commit-path.js';
import { changeEvents, rejectionEvents } from './change-events.js';
import { noticeEvents, previewNotice } from './customer-notice-events.js';
import { wantsCustomerNotice } from '../domain/notifications/customer-notice.js';
import type { Actor, Deps } from './deps.js';
import { RefusedError, refuse } from './refused-error.js';

export interface IdempotencyClaim {
  key: string;
  completed: boolean;
}

function checkVersion(order: Order, expected: number | undefined): void {
  if (expected !== undefined && expected !== order.version) {
    refuse(
      'ORDER_VERSION_MISMATCH',
      `You expected version ${expected}; the order is at version ${order.version}.`,
      { currentVersion: order.version },
    );
  }
}

export async function previewChange(
  deps: Deps,
  actor: Actor,
  orderId: string,
  request: ChangeRequest,
) {
  const { loaded, planned } = await loadAndPlan(deps.db, deps, actor, orderId, request, {
    preview: true,
  });
  checkVersion(loaded.order, request.expectedVersion);
  if (!planned.ok) throw new RefusedError(planned.refusals);
  return {
    baseVersion: loaded.order.version,
    plan: publicPlan(planned.value),
    // The same shape as a change's approval (API.md §4), undecided: a preview has no supervisor yet.
    approval: awaitingDecision(planned.value.approval),
    notification: { customer: previewNotice(loaded.order, planned.value, request, actor.settings) },
  };
}

/** 422 refusals are recorded as a rejected change; 400/403 (and 404/409/412) are not (API.md §4). */
const recorded = (refusals: Refusal[]) => new RefusedError(refusals).status === 422;

function baseRecord(
  loaded: Loaded,
  actor: Actor,
  request: ChangeRequest,
  id: string,
  now: string,
): Change {
  return {
    id,
    orderId: loaded.order.id,
    ticket: loaded.ticket,
    status: 'received',
    requestedBy: {
      actorId: actor.actorId,
      role: actor.role,
      app: request.app ?? 'api',
      notifyCustomer: wantsCustomerNotice(
        request.notify,
        request.operations,
        actor.settings.notifications.customer,
      ),
      ...(request.bulkJobId ? { bulkJobId: request.bulkJobId } : {}),
    },
    reason: request.reason
      ? { code: request.reason.code, ...(request.reason.text ? { text: request.reason.text } : {}) }
      : null,
    operations: request.operations,
    baseVersion: loaded.order.version,
    orderVersion: null,
    plan: null,
    approval: null,
    undoOf: null,
    outcome: null,
    transitions: [],
    createdAt: now,
    updatedAt: now,
  };
}

/** What apply answers: the Change, and whether it is final already (200) or still on its way (202). */
export interface ApplyAnswer {
  change: Change;
  final: boolean;
}

export const locationOf = (changeId: string) => `/v1/changes/${changeId}`;
const JSON_HEADERS = (changeId: string) => ({
  location: locationOf(changeId),
  'content-type': 'application/json; charset=utf-8',
});

/** A recorded refusal carries its rejected change (for the metrics once it is committed). */
type Attempt = ApplyAnswer | { refused: RefusedError; change: Change } | 'busy';

export async function applyChange(
  deps: Deps,
  actor: Actor,
  orderId: string,
  request: ChangeRequest,
  idempotency?: IdempotencyClaim,
  undoOf: string | null = null,
): Promise<ApplyAnswer> {
  const changeId = deps.ids('chg');
  // A busy queue (another change of the order queued or applying) sends this one to the queue too.
  let queueBusy = false;
  for (let round = 0; round < 2; round++) {
    const done = await commitPlanned<Attempt>(
      deps,
      actor,
      orderId,
      request,
      (loaded, planned, db) =>
        decide(deps, actor, request, {
          db,
          loaded,
          planned,
          changeId,
          undoOf,
          queueBusy,
          idempotency,
        }),
      { cached: true },
    );
    const outcome = done.answer;
    if (done.result === 'not-found') refuse('ORDER_NOT_FOUND', `Order ${orderId} does not exist.`);
    if (done.result === 'busy') {
      if (request.ifBusy === 'refuse') refuse('CHANGE_IN_PROGRESS', busyDetail(orderId));
      queueBusy = true;
      continue;
    }
    if (done.result !== 'ok' && done.result !== 'none') break; // still a conflict under the locks
    // Signalled once committed, so nothing woken looks before the change is there.
    deps.signals.changeMoved(changeId);
    if (outcome === 'busy') continue;
    deps.metrics.changeMoved(outcome.change);
    if ('refused' in outcome) throw outcome.refused;
    if (idempotency) idempotency.completed = true;
    if (outcome.change.status === 'validated') deps.signals.workQueued();
    return outcome;
  }
  throw new RefusedError([
    {
      code: 'INSUFFICIENT_STOCK',
      detail: 'The stock this change needs was taken by another order.',
    },
  ]);
}

const busyDetail = (orderId: string) =>
  `Another change of order ${orderId} is queued or being applied.`;

interface Decision {
  db: Deps['db'];
  loaded: Loaded;
  planned: Result<ChangePlan>;
  changeId: string;
  undoOf: string | null;
  queueBusy: boolean;
  idempotency: IdempotencyClaim | undefined;
}

/** What one planned attempt writes: a recorded rejection, a waiting change, or the applied change. */
async function decide(
  deps: Deps,
  actor: Actor,
  request: ChangeRequest,
  d: Decision,
): Promise<CommitStep<Attempt>> {
  const { loaded, planned, changeId } = d;
  const orderId = loaded.order.id;
  checkVersion(loaded.order, request.expectedVersion);
  const now = loaded.ctx.now;
  const record = { ...baseRecord(loaded, actor, request, changeId, now), undoOf: d.undoOf };
  // A recorded refusal is returned, not thrown: thrown inside the locked transaction it would roll back its own record.
  if (!planned.ok) {
    if (!recorded(planned.refusals)) throw new RefusedError(planned.refusals);
    const error = new RefusedError(planned.refusals, { changeId });
    const detail = planned.refusals.map((r) => r.detail).join(' ');
    const rejected: Change = {
      ...record,
      status: 'rejected',
      outcome: outcomeOf(error.code, detail, record.requestedBy, request.operations),
      transitions: [
        step('received', now, actor.actorId, 'request'),
        step('rejected', now, actor.actorId, error.code),
      ],
    };
    return {
      write: {
        after: null,
        change: rejected,
        audit: [],
        reasonCode: null,
        counted: true,
        events: rejectionEvents(deps, rejected),
      },
      answer: { refused: error, change: rejected },
    };
  }
  const plan = planned.value;
  const route = routeValidated({
    approvalRequired: plan.approval.required,
    approved: false,
    marketplace: needsSeller(loaded.order.origin, request.operations),
    sellerConfirmed: false,
    movesMoney: plan.payments.some((p) => p.action !== 'none'),
    queueBusy: d.queueBusy,
  });
  const approval = decisionOf(plan.approval, now);
  const answer = (statusCode: number) =>
    d.idempotency
      ? { idempotency: { key: d.idempotency.key, statusCode, headers: JSON_HEADERS(changeId) } }
      : {};
  if (route !== 'apply-now') {
    if (
      route === 'queue' &&
      request.ifBusy === 'refuse' &&
      (await isQueueBusy(d.db, actor.tenantId, orderId))
    )
      refuse('CHANGE_IN_PROGRESS', busyDetail(orderId));
    const status = route === 'queue' ? 'validated' : route;
    const steps: ChangeStatus[] = ['received', 'validated', ...(route === 'queue' ? [] : [route])];
    const waiting: Change = {
      ...record,
      status,
      plan: publicPlan(plan),
      approval,
      transitions: steps.map((st) => step(st, now, actor.actorId, 'request')),
    };
    const events = steps.map((st) => ({
      id: deps.ids('evt'),
      type: eventOf(st),
      orderId,
      changeId,
      data: waiting,
    }));
    return {
      write: {
        after: null,
        change: waiting,
        audit: [],
        reasonCode: null,
        events,
        counted: true,
        state: { expectedVersion: request.expectedVersion ?? null, enqueue: route === 'queue' },
        ...answer(202),
      },
      answer: { change: waiting, final: false },
    };
  }
  const after: Order = { ...plan.after, version: loaded.order.version + 1 };
  const applied: Change = {
    ...record,
    status: 'applied',
    orderVersion: after.version,
    plan: publicPlan(plan),
    approval,
    outcome: appliedOutcome(after.version),
    transitions: (['received', 'validated', 'applying', 'applied'] as const).map((st) =>
      step(st, now, actor.actorId, 'request'),
    ),
  };
  return {
    write: {
      after,
      change: applied,
      requireIdleQueue: true,
      counted: true,
      audit: plan.auditEntries,
      reasonCode: knownReason(actor, request),
      events: [
        ...changeEvents(deps, applied, after, plan),
        ...noticeEvents(deps, applied, loaded.order, plan, actor.settings),
      ],
      ...answer(200),
    },
    answer: { change: applied, final: true },
  };
}

/** Undecided; or the model's own approval of a routine change, with its reasons (docs/risk.md). */
function decisionOf(approval: ChangePlan['approval'], now: string) {
  const risk = approval.risk;
  return risk?.autoApproved
    ? {
        ...approval,
        decision: 'approved' as const,
        decidedBy: `model:v${risk.modelVersion}`,
        decidedAt: now,
        note: risk.reasons.map((r) => r.text).join(' '),
      }
    : awaitingDecision(approval);
}

/** A reason code the tenant knows is kept on the audit entries; another is kept on the change only. */
export const knownReason = (actor: Actor, request: ChangeRequest): string | null =>
  request.reason?.code && isKnownReason(actor.settings, 'change', request.reason.code)
    ? request.reason.code
    : null;

export async function requireOrder(deps: Deps, actor: Actor, orderId: string): Promise<void> {
  if (!(await orderExists(deps.db, actor.tenantId, orderId)))
    refuse('ORDER_NOT_FOUND', `Order ${orderId} does not exist.`);
}

export async function editabilityFor(deps: Deps, actor: Actor, orderId: string) {
  // Editability answers for every operation, so it needs the facilities too (ship-from-store).
  const { order, ctx } = await loadForChange(
    deps.db,
    deps,
    actor,
    orderId,
    { operations: [] },
    { withFacilities: true },
  );
  return { ...editability(order, ctx), risk: riskBeforeChange(order, ctx, 'console') };
}

/** The changes of an order, oldest first. */
export async function changesOf(deps: Deps, actor: Actor, orderId: string): Promise<Change[]> {
  await requireOrder(deps, actor, orderId);
  return listChanges(deps.db, actor.tenantId, orderId);
}

/** The change summary, and the applied changes (oldest first) it is made of. */
export async function loadChangeSummary(deps: Deps, actor: Actor, orderId: string) {
  const current = await findOrder(deps.db, actor.tenantId, orderId);
  if (!current) refuse('ORDER_NOT_FOUND', `Order ${orderId} does not exist.`);
  const original = (await findOrderVersion(deps.db, actor.tenantId, orderId, 0)) as Order;
  const applied = (await listChanges(deps.db, actor.tenantId, orderId)).filter(
    (c) => c.status === 'applied',
  );
  return { summary: summarizeChanges(original, current, applied), applied };
}

/** All changes at once (API.md §4): the order as imported, what was added, removed and replaced since. */
export async function changeSummary(deps: Deps, actor: Actor, orderId: string) {
  return (await loadChangeSummary(deps, actor, orderId)).summary;
}

/** Undo = a new change whose operations invert the applied change's audit entries (API.md §7.5). */
export async function undoChange(
  deps: Deps,
  actor: Actor,
  changeId: string,
  reason: ChangeRequest['reason'],
  idempotency?: IdempotencyClaim,
): Promise<ApplyAnswer> {
  const change = await findChange(deps.db, actor.tenantId, changeId);
  if (!change) refuse('CHANGE_NOT_FOUND', `Change ${changeId} does not exist.`);
  const order = await findOrder(deps.db, actor.tenantId, change.orderId);
  if (!order) refuse('ORDER_NOT_FOUND', `Order ${change.orderId} does not exist.`);
  const audit = await listHistory(deps.db, actor.tenantId, change.orderId, { changeId });
  const inverse = invertChange(change.status, audit, order, actor.settings);
  if (!inverse.ok) throw new RefusedError(inverse.refusals);
  return applyChange(
    deps,
    actor,
    change.orderId,
    { operations: inverse.value, reason: reason ?? change.reason ?? undefined, app: 'api' },
    idempotency,
    change.id,
  );
}
