/**
 * Change requests and audit entries: the one-statement commit (migrations/0010, its payload typed in
 * commit-payload.ts) and the reads.
 */
import { sql, type Kysely } from 'kysely';
import type { ApprovalRecord, Change, PublicPlan } from '../domain/change/change.js';
import type { ChangeStatus } from '../domain/change/lifecycle.js';
import type { Operation } from '../domain/change/types.js';
import type { CommitPayload } from './commit-payload.js';
import { PREPARED } from './prepared.js';
import type { DB } from './schema.js';

type Executor = Kysely<DB>;

export {
  changeOnlyPayload,
  commitPayload,
  type AuditRow,
  type ChangeGuard,
  type CommitInput,
  type CommitPayload,
  type StateWrite,
} from './commit-payload.js';

export type CommitResult =
  'ok' | 'not-found' | 'revision-conflict' | 'stock-conflict' | 'busy' | 'stale';

/** The commit: one statement, one round trip (migrations/0010). */
export async function commitChange(db: Executor, payload: CommitPayload): Promise<CommitResult> {
  try {
    const result = await sql<{
      r: CommitResult;
    }>`${PREPARED}SELECT amend_commit_change(${JSON.stringify(payload)}::jsonb) AS r`.execute(db);
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
