/**
 * Change requests and audit entries: the one-statement commit (migrations/0002) and the reads.
 * The commit payload carries only the child sets that changed, as rows in column names.
 */
import { sql, type Kysely } from 'kysely';
import type { ApprovalRecord, Change, PublicPlan } from '../domain/change/change.js';
import type { ChangeStatus } from '../domain/change/lifecycle.js';
import type { Operation } from '../domain/change/types.js';
import type { Order } from '../domain/order.js';
import { lineToRow } from './order-rows.js';
import { orderRow, versionSnapshot } from './orders.js';
import type { NewEvent } from './outbox.js';
import type { DB } from './schema.js';

type Executor = Kysely<DB>;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const asJson = (value: unknown) => value;

export interface AuditRow {
  path: string;
  old: unknown;
  new: unknown;
}

export interface CommitInput {
  tenantId: string;
  before: Order;
  after: Order | null;
  baseRevision: number;
  change: Change;
  audit: AuditRow[];
  reasonCode: string | null;
  events: NewEvent[];
  idempotency?: { key: string; statusCode: number; headers: Record<string, string>; body: unknown };
  /** The stored change must still be in this status (and lease), else the commit answers 'stale'. */
  guard?: ChangeGuard;
  /** Internal state written with the change (queue place, lease, attempts…); omitted fields are cleared. */
  state?: StateWrite;
  /** Yield ('busy') when another change of the order is queued or applying. */
  requireIdleQueue?: boolean;
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

function stockDeltas(before: Order, after: Order) {
  const deltas = new Map<string, { facility_id: string; sku: string; delta: number }>();
  const add = (facilityId: string, sku: string, delta: number) => {
    const key = `${facilityId}\u0000${sku}`;
    const prev = deltas.get(key) ?? { facility_id: facilityId, sku, delta: 0 };
    deltas.set(key, { ...prev, delta: prev.delta + delta });
  };
  for (const r of before.fulfilment.reservations) add(r.facilityId, r.sku, -r.quantity);
  for (const r of after.fulfilment.reservations) add(r.facilityId, r.sku, r.quantity);
  // Sorted like every other stock lock (facility, sku), so two commits never deadlock.
  return [...deltas.values()]
    .filter((d) => d.delta !== 0)
    .sort((a, b) => a.facility_id.localeCompare(b.facility_id) || a.sku.localeCompare(b.sku));
}

export function commitPayload(input: CommitInput): Record<string, unknown> {
  const { tenantId, before, after, change } = input;
  const orderId = before.id;
  const p: Record<string, unknown> = { tenantId, orderId, baseRevision: input.baseRevision };
  if (after) {
    p.order = orderRow(tenantId, after, asJson);
    if (!same(before.lines, after.lines)) {
      p.lines = after.lines.map((l, i) => ({
        ...lineToRow(tenantId, orderId, l, i),
        allowed_substitutes: l.allowedSubstitutes,
      }));
    }
    if (!same(before.payments, after.payments)) {
      p.payments = after.payments.map((x, i) => ({
        tenant_id: tenantId,
        order_id: orderId,
        id: x.id,
        position: i,
        method: x.method,
        settled_by_api: x.settledByApi,
        transaction_id: x.transactionId,
        authorized: x.authorized,
        captured: x.captured,
        refunded: x.refunded,
      }));
    }
    const bf = before.fulfilment;
    const af = after.fulfilment;
    if (!same(bf.reservations, af.reservations)) {
      p.reservations = af.reservations.map((r) => ({
        tenant_id: tenantId,
        order_id: orderId,
        line_id: r.lineId,
        facility_id: r.facilityId,
        sku: r.sku,
        quantity: r.quantity,
      }));
      const deltas = stockDeltas(before, after);
      if (deltas.length) p.stockDeltas = deltas;
    }
    // Only pick jobs and labels that are new or changed are written: history stays as it is.
    const changedJobs = af.pickJobs.filter(
      (j) =>
        !same(
          bf.pickJobs.find((b) => b.id === j.id),
          j,
        ),
    );
    if (changedJobs.length) {
      p.pickJobs = changedJobs.map((j) => ({
        tenant_id: tenantId,
        id: j.id,
        order_id: orderId,
        facility_id: j.facilityId,
        status: j.status,
        sub_status: j.subStatus,
        assignee_id: j.assigneeId,
        created_at: after.updatedAt,
        updated_at: after.updatedAt,
      }));
      p.pickJobLines = changedJobs.flatMap((j) =>
        j.lines.map((l) => ({
          tenant_id: tenantId,
          pick_job_id: j.id,
          line_id: l.lineId,
          quantity: l.quantity,
          picked: l.picked,
        })),
      );
    }
    const changedLabels = af.labels.filter(
      (l) =>
        !same(
          bf.labels.find((b) => b.id === l.id),
          l,
        ),
    );
    if (changedLabels.length) {
      p.labels = changedLabels.map((l) => ({
        tenant_id: tenantId,
        id: l.id,
        order_id: orderId,
        carrier: l.carrier,
        status: l.status,
        created_at: after.updatedAt,
        updated_at: after.updatedAt,
      }));
    }
    if (af.handover && !same(bf.handover, af.handover))
      p.handover = {
        tenant_id: tenantId,
        id: af.handover.id,
        order_id: orderId,
        status: af.handover.status,
        updated_at: after.updatedAt,
      };
    if (after.version !== before.version)
      p.version = { version: after.version, snapshot: versionSnapshot(after) };
  }
  p.change = change;
  if (input.idempotency) p.idempotencyKey = input.idempotency.key;
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
  // An event whose data is the Change itself leaves `data` out: the statement fills it in.
  p.events = input.events.map((e) =>
    e.data === change ? { id: e.id, type: e.type, orderId: e.orderId, changeId: e.changeId } : e,
  );
  if (input.idempotency) p.idempotency = input.idempotency;
  if (input.guard) p.guard = input.guard;
  if (input.state) p.state = input.state;
  if (input.requireIdleQueue) p.requireIdleQueue = true;
  return p;
}

/** A change that moves without touching its order (queued, awaiting, decided, failed, canceled). */
export function changeOnlyPayload(
  tenantId: string,
  change: Change,
  input: Pick<CommitInput, 'events' | 'idempotency' | 'guard' | 'state'>,
): Record<string, unknown> {
  const p: Record<string, unknown> = { tenantId, orderId: change.orderId, change };
  p.events = input.events.map((e) =>
    e.data === change ? { id: e.id, type: e.type, orderId: e.orderId, changeId: e.changeId } : e,
  );
  if (input.idempotency) {
    p.idempotency = input.idempotency;
    p.idempotencyKey = input.idempotency.key;
  }
  if (input.guard) p.guard = input.guard;
  if (input.state) p.state = input.state;
  return p;
}

export type CommitResult =
  'ok' | 'not-found' | 'revision-conflict' | 'stock-conflict' | 'busy' | 'stale';

export async function commitChange(
  db: Executor,
  payload: Record<string, unknown>,
): Promise<CommitResult> {
  try {
    const result = await sql<{
      r: CommitResult;
    }>`SELECT amend_commit_change(${JSON.stringify(payload)}::jsonb) AS r`.execute(db);
    return (result.rows[0] as { r: CommitResult }).r;
  } catch (err) {
    // stock CHECK (reserved <= on_hand): the stock this plan routed on went to another order meanwhile.
    if (
      (err as { code?: string }).code === '23514' &&
      /stock/.test(String((err as Error).message) + String((err as { table?: string }).table))
    )
      return 'stock-conflict';
    throw err;
  }
}

interface ChangeRowRead {
  id: string;
  order_id: string;
  ticket: string;
  status: string;
  requested_by: unknown;
  reason: unknown;
  operations: unknown;
  base_version: number;
  order_version: number | null;
  plan: unknown;
  approval: unknown;
  undo_of: string | null;
  outcome: unknown;
  transitions: unknown;
  created_at: Date;
  updated_at: Date;
}

export function changeFromRow(r: ChangeRowRead): Change {
  return {
    id: r.id,
    orderId: r.order_id,
    ticket: r.ticket,
    status: r.status as ChangeStatus,
    requestedBy: r.requested_by as Change['requestedBy'],
    reason: r.reason as Change['reason'],
    operations: (r.operations as Operation[]) ?? [],
    baseVersion: r.base_version,
    orderVersion: r.order_version,
    plan: r.plan as PublicPlan | null,
    approval: r.approval as ApprovalRecord | null,
    undoOf: r.undo_of,
    outcome: r.outcome as Change['outcome'],
    transitions: (r.transitions as Change['transitions']) ?? [],
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function findChange(
  db: Executor,
  tenantId: string,
  changeId: string,
): Promise<Change | undefined> {
  const row = await db
    .selectFrom('change_requests')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', changeId)
    .executeTakeFirst();
  return row ? changeFromRow(row as unknown as ChangeRowRead) : undefined;
}

export async function listChanges(
  db: Executor,
  tenantId: string,
  orderId: string,
): Promise<Change[]> {
  const rows = await db
    .selectFrom('change_requests')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .orderBy('seq')
    .execute();
  return rows.map((row) => changeFromRow(row as unknown as ChangeRowRead));
}

export interface HistoryEntry {
  changeId: string;
  ticket: string;
  at: string;
  actor: { id: string; role: string; app: string };
  path: string;
  old: unknown;
  new: unknown;
  reasonCode: string | null;
}

export async function listHistory(
  db: Executor,
  tenantId: string,
  orderId: string,
  filter: { path?: string; changeId?: string },
): Promise<HistoryEntry[]> {
  let query = db
    .selectFrom('audit_entries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId);
  if (filter.changeId) query = query.where('change_id', '=', filter.changeId);
  // ?path= matches whole segments as a prefix (API.md §7.5): "lines.l1" matches "lines.l1.quantity", not "lines.l10".
  if (filter.path)
    query = query.where((eb) =>
      eb.or([
        eb('path', '=', filter.path as string),
        eb('path', 'like', `${filter.path!.replace(/[\\%_]/g, (m) => `\\${m}`)}.%`),
      ]),
    );
  const rows = await query.orderBy('seq').execute();
  return rows.map((r) => ({
    changeId: r.change_id,
    ticket: r.ticket,
    at: r.at.toISOString(),
    actor: { id: r.actor_id, role: r.actor_role, app: r.app },
    path: r.path,
    old: r.old_value ?? null,
    new: r.new_value ?? null,
    reasonCode: r.reason_code,
  }));
}
