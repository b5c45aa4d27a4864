/**
 * What people decide about a change after it was received (API.md §4, §7.4–§7.5): a supervisor
 * approves or rejects, the seller acknowledges, confirms or refuses, the requester retries or cancels.
 * A released change joins the tail of its order's queue and is planned again by the worker.
 */
import { listAwaiting, type StoredChange } from '../db/change-queue.js';
import { findOrderHead } from '../db/orders.js';
import { undecided, type ApprovalRecord, type Change } from '../domain/change/change.js';
import { needsSeller, outcomeOf, type ChangeStatus } from '../domain/change/lifecycle.js';
import { isKnownReason } from '../domain/settings.js';
import { moveChange, requireStoredChange, type Move } from './change-lifecycle.js';
import type { Actor, Deps } from './deps.js';
import { refuse } from './refused-error.js';

const approvalOf = (change: Change): ApprovalRecord => undecided(change.approval);

const sellerConfirmed = (change: Change): boolean => {
  const last = [...change.transitions]
    .reverse()
    .find((t) => t.cause.startsWith('seller-') || t.cause === 'retry');
  return last?.cause === 'seller-confirmed';
};

async function orderOrigin(deps: Deps, tenantId: string, orderId: string): Promise<string> {
  const head = await findOrderHead(deps.db, tenantId, orderId);
  if (!head) refuse('ORDER_NOT_FOUND', `Order ${orderId} does not exist.`);
  return head.origin;
}

/** Where a change goes once nothing but the seller (maybe) holds it: the seller, or the tail of the queue. */
async function release(
  deps: Deps,
  stored: StoredChange,
  actorId: string,
  first: Move,
  patch: Partial<Change>,
): Promise<Change> {
  const origin = await orderOrigin(deps, stored.tenantId, stored.change.orderId);
  const toSeller = needsSeller(origin, stored.change.operations) && !sellerConfirmed(stored.change);
  const moves: Move[] = [first];
  if (first.status === 'received') moves.push({ status: 'validated', cause: first.cause });
  if (toSeller) moves.push({ status: 'awaiting-seller', cause: first.cause });
  const last = moves[moves.length - 1] as Move;
  return moveChange(deps, stored, actorId, moves, patch, {
    state: { enqueue: last.status === 'validated' },
  });
}

export async function approveChange(
  deps: Deps,
  actor: Actor,
  changeId: string,
  note: string | undefined,
): Promise<Change> {
  const stored = await requireStoredChange(deps, actor.tenantId, changeId);
  if (stored.change.requestedBy.actorId === actor.actorId)
    refuse(
      'APPROVAL_BY_REQUESTER',
      'You requested this change; another supervisor must approve it.',
    );
  if (stored.change.status !== 'awaiting-approval')
    refuse(
      'CHANGE_TRANSITION_INVALID',
      `A change that is ${stored.change.status} cannot be approved.`,
      { changeStatus: stored.change.status },
    );
  const now = deps.clock().toISOString();
  const approval: ApprovalRecord = {
    ...approvalOf(stored.change),
    decision: 'approved',
    decidedBy: actor.actorId,
    decidedAt: now,
    note: note ?? null,
  };
  const origin = await orderOrigin(deps, stored.tenantId, stored.change.orderId);
  const toSeller = needsSeller(origin, stored.change.operations);
  const first: Move = toSeller
    ? {
        status: 'awaiting-seller',
        cause: 'approved',
        events: ['CHANGE_APPROVED', 'CHANGE_AWAITING_SELLER'],
      }
    : { status: 'validated', cause: 'approved', events: ['CHANGE_APPROVED', 'CHANGE_VALIDATED'] };
  return moveChange(
    deps,
    stored,
    actor.actorId,
    [first],
    { approval },
    { state: { enqueue: !toSeller } },
  );
}

export async function rejectChange(
  deps: Deps,
  actor: Actor,
  changeId: string,
  reasonCode: string,
  note: string | undefined,
): Promise<Change> {
  const stored = await requireStoredChange(deps, actor.tenantId, changeId);
  if (stored.change.requestedBy.actorId === actor.actorId)
    refuse(
      'APPROVAL_BY_REQUESTER',
      'You requested this change; another supervisor must decide on it.',
    );
  if (stored.change.status !== 'awaiting-approval')
    refuse(
      'CHANGE_TRANSITION_INVALID',
      `A change that is ${stored.change.status} cannot be rejected by a supervisor.`,
      { changeStatus: stored.change.status },
    );
  if (!isKnownReason(actor.settings, 'rejection', reasonCode))
    refuse('REASON_CODE_UNKNOWN', `Reason ${reasonCode} is not in the tenant's rejection reasons.`);
  const now = deps.clock().toISOString();
  const approval: ApprovalRecord = {
    ...approvalOf(stored.change),
    decision: 'rejected',
    decidedBy: actor.actorId,
    decidedAt: now,
    note: note ?? null,
  };
  const detail = `Rejected by a supervisor (${reasonCode})${note ? `: ${note}` : '.'}`;
  return moveChange(deps, stored, actor.actorId, [{ status: 'rejected', cause: reasonCode }], {
    approval,
    outcome: outcomeOf(
      'APPROVAL_REJECTED',
      detail,
      stored.change.requestedBy,
      stored.change.operations,
    ),
  });
}

export async function listApprovals(deps: Deps, actor: Actor, limit = 200): Promise<Change[]> {
  return listAwaiting(deps.db, actor.tenantId, 'awaiting-approval', limit);
}

function requireAwaitingSeller(stored: StoredChange, action: string): void {
  if (stored.change.status !== 'awaiting-seller')
    refuse(
      'CHANGE_TRANSITION_INVALID',
      `A change that is ${stored.change.status} cannot be ${action} by the seller.`,
      { changeStatus: stored.change.status },
    );
}

export async function sellerAcknowledge(
  deps: Deps,
  actor: Actor,
  changeId: string,
  note: string | undefined,
): Promise<Change> {
  const stored = await requireStoredChange(deps, actor.tenantId, changeId);
  requireAwaitingSeller(stored, 'acknowledged');
  if (stored.state.sellerAcknowledgedAt) return stored.change; // acknowledging twice changes nothing
  const now = deps.clock().toISOString();
  return moveChange(
    deps,
    stored,
    actor.actorId,
    [
      {
        status: 'awaiting-seller',
        cause: note ? `seller-acknowledged: ${note}` : 'seller-acknowledged',
        events: ['CHANGE_SELLER_ACKNOWLEDGED'],
      },
    ],
    {},
    { state: { sellerAcknowledgedAt: now } },
  );
}

export async function sellerConfirm(deps: Deps, actor: Actor, changeId: string): Promise<Change> {
  const stored = await requireStoredChange(deps, actor.tenantId, changeId);
  requireAwaitingSeller(stored, 'confirmed');
  if (!stored.state.sellerAcknowledgedAt)
    refuse(
      'CHANGE_TRANSITION_INVALID',
      'The seller must acknowledge the change before confirming it.',
      { changeStatus: stored.change.status },
    );
  return moveChange(
    deps,
    stored,
    actor.actorId,
    [
      {
        status: 'validated',
        cause: 'seller-confirmed',
        events: ['CHANGE_SELLER_CONFIRMED', 'CHANGE_VALIDATED'],
      },
    ],
    {},
    { state: { enqueue: true } },
  );
}

export async function sellerRefuse(
  deps: Deps,
  actor: Actor,
  changeId: string,
  note: string | undefined,
): Promise<Change> {
  const stored = await requireStoredChange(deps, actor.tenantId, changeId);
  requireAwaitingSeller(stored, 'refused');
  const detail = `The seller refused the change${note ? `: ${note}` : '.'}`;
  return moveChange(
    deps,
    stored,
    actor.actorId,
    [{ status: 'rejected', cause: 'seller-refused' }],
    {
      outcome: outcomeOf(
        'SELLER_REFUSED',
        detail,
        stored.change.requestedBy,
        stored.change.operations,
      ),
    },
  );
}

/** Who may retry or cancel: the requester, or whoever may decide on other people's changes. */
function requireOwnerOrSupervisor(actor: Actor, change: Change, action: string): void {
  if (change.requestedBy.actorId !== actor.actorId && !actor.permissions.has('CHANGE_APPROVE')) {
    refuse(
      'PERMISSION_DENIED',
      `Only the requester or a supervisor (CHANGE_APPROVE) may ${action} this change.`,
      { permission: 'CHANGE_APPROVE' },
    );
  }
}

/**
 * Retry (API.md §7.5): same id and ticket, a new `received`, then planned again by the worker. A run's
 * gateway calls were reversed when it ended, so the new run calls under keys of its own.
 */
export async function retryChange(deps: Deps, actor: Actor, changeId: string): Promise<Change> {
  const stored = await requireStoredChange(deps, actor.tenantId, changeId);
  requireOwnerOrSupervisor(actor, stored.change, 'retry');
  if (stored.change.status !== 'failed' && stored.change.status !== 'rejected')
    refuse(
      'CHANGE_TRANSITION_INVALID',
      `A change that is ${stored.change.status} cannot be retried; only failed or rejected ones can.`,
      { changeStatus: stored.change.status },
    );
  const approval = approvalOf(stored.change);
  const needsApproval = approval.required && approval.decision !== 'approved';
  const next: Move = needsApproval
    ? { status: 'awaiting-approval', cause: 'retry' }
    : { status: 'validated', cause: 'retry' };
  const reopened = {
    approval: needsApproval
      ? { ...approval, decision: null, decidedBy: null, decidedAt: null, note: null }
      : approval,
    outcome: null,
    orderVersion: null,
  };
  // A new run: fresh gateway keys, no version to hold to, and the seller (if any) asked afresh.
  const movedToReceived: StoredChange = {
    ...stored,
    state: {
      ...stored.state,
      gatewayGeneration: stored.state.gatewayGeneration + 1,
      expectedVersion: null,
      sellerAcknowledgedAt: null,
    },
  };
  if (needsApproval) {
    return moveChange(
      deps,
      movedToReceived,
      actor.actorId,
      [{ status: 'received', cause: 'retry' }, { status: 'validated', cause: 'retry' }, next],
      reopened,
      {},
    );
  }
  return release(
    deps,
    movedToReceived,
    actor.actorId,
    { status: 'received', cause: 'retry' },
    reopened,
  );
}

export async function cancelChange(
  deps: Deps,
  actor: Actor,
  changeId: string,
  note: string | undefined,
): Promise<Change> {
  const stored = await requireStoredChange(deps, actor.tenantId, changeId);
  requireOwnerOrSupervisor(actor, stored.change, 'cancel');
  const detail = `Canceled by ${actor.actorId}${note ? `: ${note}` : '.'}`;
  const to: ChangeStatus = 'canceled';
  return moveChange(
    deps,
    stored,
    actor.actorId,
    [{ status: to, cause: note ? `canceled: ${note}` : 'canceled' }],
    {
      outcome: {
        code: 'CANCELED',
        detail,
        nextStep: 'Nothing was changed; send a new change if one is still needed.',
      },
    },
  );
}
