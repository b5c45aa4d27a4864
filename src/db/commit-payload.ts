/**
 * The one typed boundary of the commit (issue 13 point 2): `CommitInput` is what a use case hands
 * over, `CommitPayload` what `amend_commit_change` (migrations/0010) reads. Its keys are listed once
 * in COMMIT_PAYLOAD_KEYS (the compiler keeps the list complete) and a test compares them with the keys
 * the SQL function reads. Child rows are the diff of before and after: a change writes what it changes.
 */
import type { Change } from '../domain/change/change.js';
import { changeEventData, type ChangeEventData } from '../domain/change/change.js';
import type { Order } from '../domain/order.js';
import {
  diffSnapshots,
  isCheckpoint,
  versionSnapshot,
  type VersionDelta,
  type VersionSnapshot,
} from '../domain/version-delta.js';
import { childDiff, type ChildRows } from './commit-rows.js';
import type { NewEvent } from './outbox.js';
import { orderRow } from './orders.js';

export interface AuditRow {
  path: string;
  old: unknown;
  new: unknown;
}

export interface ChangeGuard {
  status: string;
  leaseToken?: string;
}

export interface StateWrite {
  expectedVersion?: number | null;
  enqueue?: boolean;
  leaseToken?: string | null;
  leaseUntil?: string | null;
  attempts?: number;
  nextAttemptAt?: string | null;
  gatewayGeneration?: number;
  sellerAcknowledgedAt?: string | null;
}

export interface IdempotentAnswer {
  key: string;
  statusCode: number;
  headers: Record<string, string>;
  /** Omitted for a Change: a replay reads the change as it is then (final → its final answer). */
  body?: unknown;
}

/** A gateway call as recorded: 'pending' before it is made, its answer once known. */
export interface GatewayCallWrite {
  key: string;
  payment_id: string;
  method: string;
  action: string;
  amount: number;
  status: 'pending' | 'succeeded' | 'declined' | 'reversed' | 'unresolved';
  reference: string | null;
}

/** What the use cases hand to the commit. */
export interface CommitInput {
  tenantId: string;
  before: Order;
  after: Order | null;
  baseRevision: number;
  change: Change;
  audit: AuditRow[];
  reasonCode: string | null;
  events: NewEvent[];
  /** Where each line of `before` stands (order_lines.position), so new lines go after them. */
  linePositions?: ReadonlyMap<string, number>;
  /** The counts the plan used; the commit re-counts them under the order's lock. */
  counts?: { changes: number; applied: number };
  idempotency?: IdempotentAnswer;
  /** The stored change must still be in this status (and lease), else the commit answers 'stale'. */
  guard?: ChangeGuard;
  /** Internal state written with the change (queue place, lease, attempts…); omitted fields are cleared. */
  state?: StateWrite;
  /** Yield ('busy') when another change of the order is queued or applying. */
  requireIdleQueue?: boolean;
  gatewayCalls?: GatewayCallWrite[];
}

/** Exactly what the SQL function reads (p->'…'). */
export interface CommitPayload extends ChildRows {
  tenantId: string;
  orderId: string;
  change: Change;
  changeEvent: ChangeEventData;
  baseRevision?: number;
  requireIdleQueue?: boolean;
  counts?: { changes: number; applied: number };
  guard?: ChangeGuard;
  state?: StateWrite;
  order?: ReturnType<typeof orderRow>;
  version?: { version: number; snapshot?: VersionSnapshot; delta?: VersionDelta };
  audit?: Record<string, unknown>[];
  events?: {
    id: string;
    type: string;
    orderId?: string | null;
    changeId?: string | null;
    data?: unknown;
  }[];
  gatewayCalls?: GatewayCallWrite[];
  idempotency?: IdempotentAnswer;
}

type Keys<T> = readonly (keyof T)[];
/** Every key once; `satisfies` and AllKeys below make the compiler refuse a list that misses one. */
export const COMMIT_PAYLOAD_KEYS = [
  'tenantId',
  'orderId',
  'change',
  'changeEvent',
  'baseRevision',
  'requireIdleQueue',
  'counts',
  'guard',
  'state',
  'order',
  'lineUpserts',
  'lineDeletes',
  'paymentUpserts',
  'paymentDeletes',
  'reservationUpserts',
  'reservationDeletes',
  'stockDeltas',
  'pickJobs',
  'labels',
  'handover',
  'version',
  'audit',
  'events',
  'gatewayCalls',
  'idempotency',
] as const satisfies Keys<CommitPayload>;
export const STATE_KEYS = [
  'expectedVersion',
  'enqueue',
  'leaseToken',
  'leaseUntil',
  'attempts',
  'nextAttemptAt',
  'gatewayGeneration',
  'sellerAcknowledgedAt',
] as const satisfies Keys<StateWrite>;
export const GUARD_KEYS = ['status', 'leaseToken'] as const satisfies Keys<ChangeGuard>;
export const VERSION_KEYS = ['version', 'snapshot', 'delta'] as const satisfies Keys<
  NonNullable<CommitPayload['version']>
>;
export const IDEMPOTENCY_KEYS = [
  'key',
  'statusCode',
  'headers',
  'body',
] as const satisfies Keys<IdempotentAnswer>;
export const COUNTS_KEYS = ['changes', 'applied'] as const satisfies Keys<
  NonNullable<CommitPayload['counts']>
>;
export const CHANGE_KEYS = [
  'id',
  'orderId',
  'ticket',
  'status',
  'requestedBy',
  'reason',
  'operations',
  'baseVersion',
  'orderVersion',
  'plan',
  'approval',
  'undoOf',
  'outcome',
  'transitions',
  'createdAt',
  'updatedAt',
] as const satisfies Keys<Change>;

type AllKeys<T, L extends readonly unknown[]> =
  Exclude<keyof T, L[number]> extends never ? true : Exclude<keyof T, L[number]>;
export const KEY_LISTS_COMPLETE: [
  AllKeys<CommitPayload, typeof COMMIT_PAYLOAD_KEYS>,
  AllKeys<StateWrite, typeof STATE_KEYS>,
  AllKeys<ChangeGuard, typeof GUARD_KEYS>,
  AllKeys<NonNullable<CommitPayload['version']>, typeof VERSION_KEYS>,
  AllKeys<IdempotentAnswer, typeof IDEMPOTENCY_KEYS>,
  AllKeys<NonNullable<CommitPayload['counts']>, typeof COUNTS_KEYS>,
  AllKeys<Change, typeof CHANGE_KEYS>,
] = [true, true, true, true, true, true, true];

/** An event whose data is the Change itself leaves `data` out: the statement puts the slim form in. */
const eventRows = (events: readonly NewEvent[], change: Change) =>
  events.map((e) =>
    e.data === change
      ? { id: e.id, type: e.type, orderId: e.orderId, changeId: e.changeId }
      : { id: e.id, type: e.type, orderId: e.orderId, changeId: e.changeId, data: e.data },
  );

export function commitPayload(input: CommitInput): CommitPayload {
  const { tenantId, before, after, change } = input;
  const orderId = before.id;
  const p: CommitPayload = {
    tenantId,
    orderId,
    change,
    changeEvent: changeEventData(change),
    baseRevision: input.baseRevision,
  };
  if (after) {
    p.order = orderRow(tenantId, after, (value) => value);
    Object.assign(p, childDiff(tenantId, before, after, input.linePositions));
    if (after.version !== before.version)
      p.version = isCheckpoint(after.version)
        ? { version: after.version, snapshot: versionSnapshot(after) }
        : {
            version: after.version,
            delta: diffSnapshots(versionSnapshot(before), versionSnapshot(after)),
          };
  }
  if (input.audit.length)
    p.audit = input.audit.map((a) => ({
      tenant_id: tenantId,
      order_id: orderId,
      change_id: change.id,
      ticket: change.ticket,
      actor_id: change.requestedBy.actorId,
      actor_role: change.requestedBy.role,
      app: change.requestedBy.app,
      at: change.updatedAt,
      path: a.path,
      old_value: a.old === undefined ? null : a.old,
      new_value: a.new === undefined ? null : a.new,
      reason_code: input.reasonCode,
    }));
  if (input.events.length) p.events = eventRows(input.events, change);
  if (input.counts) p.counts = input.counts;
  if (input.idempotency) p.idempotency = input.idempotency;
  if (input.guard) p.guard = input.guard;
  if (input.state) p.state = input.state;
  if (input.requireIdleQueue) p.requireIdleQueue = true;
  if (input.gatewayCalls?.length) p.gatewayCalls = input.gatewayCalls;
  return p;
}

/** A change that moves without touching its order (queued, awaiting, decided, failed, canceled). */
export function changeOnlyPayload(
  tenantId: string,
  change: Change,
  input: Pick<
    CommitInput,
    'events' | 'idempotency' | 'guard' | 'state' | 'counts' | 'gatewayCalls'
  >,
): CommitPayload {
  const p: CommitPayload = {
    tenantId,
    orderId: change.orderId,
    change,
    changeEvent: changeEventData(change),
  };
  if (input.events.length) p.events = eventRows(input.events, change);
  if (input.idempotency) p.idempotency = input.idempotency;
  if (input.guard) p.guard = input.guard;
  if (input.state) p.state = input.state;
  if (input.counts) p.counts = input.counts;
  if (input.gatewayCalls?.length) p.gatewayCalls = input.gatewayCalls;
  return p;
}
