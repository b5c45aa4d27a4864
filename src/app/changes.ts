/**
 * Applying a change (API.md §4, §7.4–§7.5): plan on an unlocked read, then commit order, children,
 * stock, audit, outbox, change record and version snapshot in ONE statement that compare-and-swaps
 * the order's revision. A conflict (another write, or stock taken meanwhile) re-plans once under
 * row and stock locks, so concurrent edits never lose an update and always make progress.
 */
import {
  changeOnlyPayload,
  commitChange,
  commitPayload,
  findChange,
  listChanges,
  listHistory,
} from '../db/changes.js';
import { publicPlan, type Change } from '../domain/change/change.js';
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
import { findOrder, findOrderVersion, lockOrder, orderExists } from '../db/orders.js';
import { editability } from '../domain/change/editability.js';
import { invertChange } from '../domain/change/undo.js';
import { planChange } from '../domain/change/plan-change.js';
import type { ChangeRequest } from '../domain/change/types.js';
import type { Refusal } from '../domain/errors.js';
import { isKnownReason } from '../domain/settings.js';
import type { Order } from '../domain/order.js';
import { summarizeChanges } from '../domain/change/summary.js';
import { loadForChange, type Loaded } from './change-context.js';
import { changeEvents, rejectionEvents } from './change-events.js';
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
  const { order, ctx } = await loadForChange(deps.db, deps, actor, orderId, request);
  checkVersion(order, request.expectedVersion);
  const planned = planChange(order, request, ctx);
  if (!planned.ok) throw new RefusedError(planned.refusals);
  return {
    baseVersion: order.version,
    plan: publicPlan(planned.value),
    approval: planned.value.approval,
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
    requestedBy: { actorId: actor.actorId, role: actor.role, app: request.app ?? 'api' },
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

export async function applyChange(
  deps: Deps,
  actor: Actor,
  orderId: string,
  request: ChangeRequest,
  idempotency?: IdempotencyClaim,
  undoOf: string | null = null,
): Promise<ApplyAnswer> {
  const changeId = deps.ids('chg');
  // Optimistic first; a conflict is planned again under the order and stock locks; a busy queue sends the change to it.
  let locked = false;
  let queueBusy = false;
  for (let attempt = 0; attempt < 4; attempt++) {
    // A recorded refusal is returned, not thrown: thrown inside the locked transaction it would roll back its own record.
    const run = async (
      db: typeof deps.db,
    ): Promise<ApplyAnswer | RefusedError | 'conflict' | 'busy'> => {
      const loaded = await loadForChange(db, deps, actor, orderId, request, locked);
      checkVersion(loaded.order, request.expectedVersion);
      const now = loaded.ctx.now;
      const record = { ...baseRecord(loaded, actor, request, changeId, now), undoOf };
      const planned = planChange(loaded.order, request, loaded.ctx);
      if (!planned.ok) {
        if (!recorded(planned.refusals)) throw new RefusedError(planned.refusals);
        const error = new RefusedError(planned.refusals, { changeId });
        const first = planned.refusals[0] as Refusal;
        const code = error.code;
        const detail =
          planned.refusals.length === 1
            ? first.detail
            : planned.refusals.map((r) => r.detail).join(' ');
        const rejected: Change = {
          ...record,
          status: 'rejected',
          outcome: outcomeOf(code, detail, record.requestedBy, request.operations),
          transitions: [
            step('received', now, actor.actorId, 'request'),
            step('rejected', now, actor.actorId, code),
          ],
        };
        const result = await commitChange(
          db,
          commitPayload({
            tenantId: actor.tenantId,
            before: loaded.order,
            after: null,
            baseRevision: loaded.revision,
            change: rejected,
            audit: [],
            reasonCode: request.reason?.code ?? null,
            events: rejectionEvents(deps, rejected),
          }),
        );
        if (result === 'ok') deps.metrics.changeMoved(rejected);
        return result === 'ok' ? error : 'conflict';
      }
      const plan = planned.value;
      const route = routeValidated({
        approvalRequired: plan.approval.required,
        approved: false,
        marketplace: needsSeller(loaded.order.origin, request.operations),
        sellerConfirmed: false,
        movesMoney: plan.payments.some((p) => p.action !== 'none'),
        queueBusy,
      });
      const approval = {
        ...plan.approval,
        decision: null,
        decidedBy: null,
        decidedAt: null,
        note: null,
      };
      if (route !== 'apply-now') {
        if (
          route === 'queue' &&
          request.ifBusy === 'refuse' &&
          (await isQueueBusy(db, actor.tenantId, orderId))
        ) {
          refuse(
            'CHANGE_IN_PROGRESS',
            `Another change of order ${orderId} is queued or being applied.`,
          );
        }
        const status = route === 'queue' ? 'validated' : route;
        const steps: ChangeStatus[] = [
          'received',
          'validated',
          ...(route === 'queue' ? [] : [route]),
        ];
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
        const result = await commitChange(
          db,
          changeOnlyPayload(actor.tenantId, waiting, {
            events,
            state: { expectedVersion: request.expectedVersion ?? null, enqueue: route === 'queue' },
            ...(idempotency
              ? {
                  idempotency: {
                    key: idempotency.key,
                    statusCode: 202,
                    headers: JSON_HEADERS(changeId),
                    body: waiting,
                  },
                }
              : {}),
          }),
        );
        if (result !== 'ok') return 'conflict';
        if (idempotency) idempotency.completed = true;
        return { change: waiting, final: false };
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
      const reasonCode =
        request.reason?.code && isKnownReason(actor.settings, 'change', request.reason.code)
          ? request.reason.code
          : null;
      const payload = commitPayload({
        tenantId: actor.tenantId,
        before: loaded.order,
        after,
        baseRevision: loaded.revision,
        change: applied,
        requireIdleQueue: true,
        audit: plan.auditEntries,
        reasonCode,
        events: changeEvents(deps, applied, after, plan),
        ...(idempotency
          ? {
              idempotency: {
                key: idempotency.key,
                statusCode: 200,
                headers: JSON_HEADERS(changeId),
                body: applied,
              },
            }
          : {}),
      });
      const result = await commitChange(db, payload);
      if (result === 'not-found') refuse('ORDER_NOT_FOUND', `Order ${orderId} does not exist.`);
      if (result === 'busy') {
        if (request.ifBusy === 'refuse')
          refuse(
            'CHANGE_IN_PROGRESS',
            `Another change of order ${orderId} is queued or being applied.`,
          );
        return 'busy';
      }
      if (result !== 'ok') return 'conflict';
      if (idempotency) idempotency.completed = true;
      return { change: applied, final: true };
    };
    const outcome = locked
      ? await deps.db.transaction().execute(async (tx) => {
          await lockOrder(tx, actor.tenantId, orderId);
          return run(tx);
        })
      : await run(deps.db);
    // Signalled once committed, so nothing woken looks before the change is there.
    if (outcome instanceof RefusedError || (typeof outcome === 'object' && outcome !== null))
      deps.signals.changeMoved(changeId);
    if (typeof outcome === 'object' && !(outcome instanceof RefusedError))
      deps.metrics.changeMoved(outcome.change);
    if (
      typeof outcome === 'object' &&
      !(outcome instanceof RefusedError) &&
      outcome.change.status === 'validated'
    )
      deps.signals.workQueued();
    if (outcome instanceof RefusedError) throw outcome;
    if (outcome === 'busy') {
      queueBusy = true;
      continue;
    }
    if (outcome === 'conflict') {
      // Under the locks nothing can move; a conflict there means stock is short after all.
      if (locked) break;
      locked = true;
      continue;
    }
    return outcome;
  }
  throw new RefusedError([
    {
      code: 'INSUFFICIENT_STOCK',
      detail: 'The stock this change needs was taken by another order.',
    },
  ]);
}

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
    false,
    true,
  );
  return editability(order, ctx);
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
