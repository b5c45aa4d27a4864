/**
 * Moving a stored change along its lifecycle (API.md §7.4): each move is checked against the one
 * table in the domain, stored with time, actor and cause, announced as an event in the same
 * statement, and guarded so that two writers never both move the same change.
 */
import { commitChange, changeOnlyPayload, type StateWrite } from '../db/changes.js';
import type { GatewayCallWrite } from '../db/commit-payload.js';
import type { Change } from '../domain/change/change.js';
import { findStoredChange, type StoredChange } from '../db/change-queue.js';
import {
  AWAITING_STATUSES,
  FINAL_STATUSES,
  step,
  transitionRefusal,
  type ChangeStatus,
} from '../domain/change/lifecycle.js';
import { refusal } from '../domain/errors.js';
import { permissionsOf } from '../domain/settings.js';
import { cachedSettings } from './reference-cache.js';
import type { Actor, Deps } from './deps.js';
import { RefusedError, refuse } from './refused-error.js';

export const eventOf = (status: string): string =>
  `CHANGE_${status.toUpperCase().replace(/-/g, '_')}`;

const VERB: Record<string, string> = {
  received: 'retried',
  validated: 'queued',
  'awaiting-approval': 'sent for approval',
  'awaiting-seller': 'sent to the seller',
  applying: 'applied',
  applied: 'applied',
  rejected: 'rejected',
  failed: 'failed',
  canceled: 'canceled',
};

export interface Move {
  status: ChangeStatus;
  cause: string;
  events?: string[];
}

export interface MoveOptions {
  /** The stored change's internal state to write; what is not given is kept (queue place, lease and attempts are cleared). */
  state?: StateWrite;
  /** The worker's lease, which the stored change must still carry. */
  leaseToken?: string;
  idempotency?: {
    key: string;
    statusCode: number;
    headers: Record<string, string>;
    body?: unknown;
  };
  /** Gateway calls recorded with the move (before they are made, or their answers). */
  gatewayCalls?: GatewayCallWrite[];
}

/** Thrown when the stored change moved between reading and writing it. */
export class StaleChangeError extends RefusedError {
  constructor(changeId: string) {
    super([
      refusal('CHANGE_TRANSITION_INVALID', `Change ${changeId} moved meanwhile; read it again.`),
    ]);
  }
}

export async function moveChange(
  deps: Deps,
  stored: StoredChange,
  actorId: string,
  moves: Move[],
  patch: Partial<Change> = {},
  opts: MoveOptions = {},
): Promise<Change> {
  let status = stored.change.status;
  for (const m of moves) {
    const refused = transitionRefusal(status, m.status, VERB[m.status] ?? m.status);
    if (refused) throw new RefusedError([refused]);
    status = m.status;
  }
  const now = deps.clock().toISOString();
  const change: Change = {
    ...stored.change,
    ...patch,
    status,
    updatedAt: now,
    transitions: [
      ...stored.change.transitions,
      ...moves.map((m) => step(m.status, now, actorId, m.cause)),
    ],
  };
  const events = moves
    .flatMap((m) => m.events ?? [eventOf(m.status)])
    .map((type) => ({
      id: deps.ids('evt'),
      type,
      orderId: change.orderId,
      changeId: change.id,
      data: change,
    }));
  const state: StateWrite = {
    expectedVersion: stored.state.expectedVersion,
    gatewayGeneration: stored.state.gatewayGeneration,
    sellerAcknowledgedAt: stored.state.sellerAcknowledgedAt,
    ...opts.state,
  };
  const result = await commitChange(
    deps.db,
    changeOnlyPayload(stored.tenantId, change, {
      events,
      state,
      guard: {
        status: stored.change.status,
        ...(opts.leaseToken ? { leaseToken: opts.leaseToken } : {}),
      },
      ...(opts.idempotency ? { idempotency: opts.idempotency } : {}),
      ...(opts.gatewayCalls ? { gatewayCalls: opts.gatewayCalls } : {}),
    }),
  );
  if (result === 'stale') throw new StaleChangeError(change.id);
  deps.signals.changeMoved(change.id, change);
  deps.metrics.changeMoved(change);
  if (status === 'validated') deps.signals.workQueued();
  return change;
}

export async function requireStoredChange(
  deps: Deps,
  tenantId: string,
  changeId: string,
): Promise<StoredChange> {
  const stored = await findStoredChange(deps.db, tenantId, changeId);
  if (!stored) refuse('CHANGE_NOT_FOUND', `Change ${changeId} does not exist.`);
  return stored;
}

/** The requester as an actor, for planning their change again later (worker, approvals, retry). */
export async function requesterOf(
  deps: Deps,
  tenantId: string,
  requestedBy: Change['requestedBy'],
): Promise<Actor> {
  const settings = await cachedSettings(deps.db, tenantId);
  if (!settings) throw new Error(`tenant ${tenantId} vanished`);
  const role = requestedBy.role;
  return {
    tenantId,
    actorId: requestedBy.actorId,
    role,
    permissions: new Set(permissionsOf(settings, role)),
    settings,
  };
}

/** Settled for an answer: final, or waiting for a person. */
export const settled = (status: ChangeStatus): boolean =>
  FINAL_STATUSES.has(status) || AWAITING_STATUSES.has(status);

/** `Prefer: wait=N`: the change once settled, or as it stands after N seconds. */
export async function waitUntilSettled(
  deps: Deps,
  tenantId: string,
  change: Change,
  seconds: number,
): Promise<Change> {
  const deadline = Date.now() + seconds * 1000;
  let current = change;
  let mark = deps.signals.mark({ changeId: change.id });
  // A shutting-down server answers with the change as it stands (202) rather than hold its exit.
  while (!settled(current.status) && Date.now() < deadline && !deps.signals.shuttingDown) {
    // Woken at once by this process; polled for changes moved by a worker in another process.
    const moved = (await deps.signals.next(
      { changeId: change.id },
      Math.min(100, Math.max(1, deadline - Date.now())),
      mark,
    )) as Change | undefined;
    mark = deps.signals.mark({ changeId: change.id });
    // Moved in this process: the signal carries the change as committed, no need to read it back.
    current = moved ?? (await findStoredChange(deps.db, tenantId, change.id))?.change ?? current;
  }
  return current;
}
