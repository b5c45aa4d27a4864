/**
 * The requester's inbox: final outcomes of their changes, and one summary per bulk job of theirs in
 * place of the job's changes (migrations/0070), newest first, acknowledged by them.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BulkCounts } from '../domain/bulk-summary.js';
import type { Operation } from '../domain/change/types.js';
import type { DB } from './schema.js';

interface EntryBase {
  id: string;
  detail: string;
  nextStep: string;
  at: string;
  acknowledgedAt: string | null;
  app: string | null;
  operations: Operation[];
}

export interface ChangeInboxEntry extends EntryBase {
  kind: 'change';
  outcome: 'applied' | 'rejected' | 'failed' | 'canceled';
  changeId: string;
  orderId: string;
  code: string;
  /** What a person reads beside the code (issue 17): the change's ticket, app and operations, the order's own reference. */
  ticket: string | null;
  orderRef: string | null;
  /** The names of the lines the operations name (by lineId), as the order has them now. */
  lineNames: Record<string, string>;
  /** The bulk job that made the change: its outcome came after the job's summary. */
  bulkJobId: string | null;
}

/** A bulk job's end: its orders counted as they stood then; acknowledging it acknowledges the job. */
export interface BulkJobInboxEntry extends EntryBase {
  kind: 'bulk-job';
  outcome: 'completed';
  bulkJobId: string;
  jobKind: string;
  counts: BulkCounts;
}

export type InboxEntry = ChangeInboxEntry | BulkJobInboxEntry;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** The app that asked: the change's, and `bulk` for a bulk job's summary. */
const appOf = sql<
  string | null
>`coalesce(c.requested_by->>'app', CASE WHEN i.change_id IS NULL THEN 'bulk' END)`;

/** `app` / `excludeApp`: only the outcomes of changes these apps asked for, or all but theirs. */
export async function listInbox(
  db: Kysely<DB>,
  tenantId: string,
  actorId: string,
  filter: {
    unacknowledged?: boolean;
    limit: number;
    beforeSeq?: number;
    app?: readonly string[];
    excludeApp?: readonly string[];
  },
) {
  let query = entries(db, tenantId, actorId);
  if (filter.unacknowledged) query = query.where('i.acknowledged_at', 'is', null);
  if (filter.beforeSeq !== undefined) query = query.where('i.seq', '<', filter.beforeSeq);
  if (filter.app?.length) query = query.where(appOf, 'in', [...filter.app]);
  if (filter.excludeApp?.length)
    query = query.where(sql<string>`coalesce(${appOf}, '')`, 'not in', [...filter.excludeApp]);
  const rows = await query
    .orderBy('i.seq', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  return {
    items: page.map(entryOf),
    nextSeq: rows.length > filter.limit ? Number(page[page.length - 1]?.seq) : null,
  };
}

/** An actor's entries with their change and order, or their bulk job, beside them. */
const entries = (db: Kysely<DB>, tenantId: string, actorId: string) =>
  db
    .selectFrom('inbox_entries as i')
    .leftJoin('change_requests as c', (j) =>
      j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.change_id'),
    )
    .leftJoin('orders as o', (j) =>
      j.onRef('o.tenant_id', '=', 'i.tenant_id').onRef('o.id', '=', 'i.order_id'),
    )
    .leftJoin('bulk_jobs as b', (j) =>
      j
        .onRef('b.tenant_id', '=', 'i.tenant_id')
        .onRef('b.id', '=', 'i.bulk_job_id')
        .on('i.change_id', 'is', null),
    )
    .selectAll('i')
    .select([
      'c.ticket',
      'c.operations',
      appOf.as('app'),
      'o.channel_order_ref',
      'b.kind as job_kind',
      sql<unknown>`b.request->'operations'`.as('job_operations'),
      sql<
        Record<string, string> | string | null
      >`(SELECT jsonb_object_agg(l.line_id, l.name) FROM order_lines l WHERE l.tenant_id = i.tenant_id AND l.order_id = i.order_id)`.as(
        'line_names',
      ),
    ])
    .where('i.tenant_id', '=', tenantId)
    .where('i.actor_id', '=', actorId);

type EntryRow = Awaited<ReturnType<ReturnType<typeof entries>['executeTakeFirstOrThrow']>>;
const entryOf = (r: EntryRow): InboxEntry => {
  const base = {
    id: r.id,
    detail: r.detail,
    nextStep: r.next_step,
    at: iso(r.at) as string,
    acknowledgedAt: iso(r.acknowledged_at),
    app: r.app ?? null,
  };
  if (r.change_id === null || r.order_id === null) {
    const jobKind = r.job_kind ?? 'bulk-change';
    const asked = json<Operation[] | null>(r.job_operations);
    return {
      kind: 'bulk-job',
      outcome: 'completed',
      ...base,
      bulkJobId: r.bulk_job_id as string,
      jobKind,
      // A reroute job's request names no operations: each of its changes is one reroute.
      operations: Array.isArray(asked)
        ? asked
        : jobKind === 'reroute-unroutable'
          ? [{ op: 'reroute' }]
          : [],
      counts: json<BulkCounts>(r.counts),
    };
  }
  return {
    kind: 'change',
    outcome: r.outcome as ChangeInboxEntry['outcome'],
    ...base,
    changeId: r.change_id,
    orderId: r.order_id,
    code: r.code,
    ticket: r.ticket ?? null,
    orderRef: r.channel_order_ref ?? null,
    operations: Array.isArray(r.operations) ? (r.operations as Operation[]) : [],
    lineNames: json<Record<string, string> | null>(r.line_names) ?? {},
    bulkJobId: r.bulk_job_id ?? null,
  };
};

/** A bulk job's one inbox entry for its requester, filed once (a second end of the job adds none). */
export async function insertBulkSummary(
  tx: Transaction<DB>,
  tenantId: string,
  entry: {
    id: string;
    actorId: string;
    bulkJobId: string;
    counts: BulkCounts;
    detail: string;
    nextStep: string;
    at: Date;
  },
): Promise<void> {
  await sql`INSERT INTO inbox_entries (tenant_id, id, actor_id, bulk_job_id, outcome, code, detail, next_step, at, counts)
    VALUES (${tenantId}, ${entry.id}, ${entry.actorId}, ${entry.bulkJobId}, 'completed', 'BULK_JOB_COMPLETED',
      ${entry.detail}, ${entry.nextStep}, ${entry.at.toISOString()}, ${JSON.stringify(entry.counts)}::jsonb)
    ON CONFLICT (tenant_id, bulk_job_id) WHERE change_id IS NULL DO NOTHING`.execute(tx);
}

/**
 * Acknowledging twice keeps the first time (idempotent); another actor's entry is not found. A bulk
 * job's summary acknowledges the job: with it go the entries of the job's changes told on their own.
 */
export async function acknowledge(
  db: Kysely<DB>,
  tenantId: string,
  actorId: string,
  id: string,
): Promise<InboxEntry | undefined> {
  await sql`UPDATE inbox_entries SET acknowledged_at = COALESCE(acknowledged_at, now())
    WHERE tenant_id = ${tenantId} AND actor_id = ${actorId}
      AND (id = ${id} OR bulk_job_id IN (SELECT s.bulk_job_id FROM inbox_entries s
        WHERE s.tenant_id = ${tenantId} AND s.actor_id = ${actorId} AND s.id = ${id} AND s.change_id IS NULL))`.execute(
    db,
  );
  const row = await entries(db, tenantId, actorId).where('i.id', '=', id).executeTakeFirst();
  return row ? entryOf(row) : undefined;
}

/**
 * How many of `outcomes` unacknowledged inbox entries stand for (inside a WHERE that picks the
 * entries): a change's entry is one, a bulk job's summary counts those it holds (migrations/0070).
 * The inbox's count and the KPIs' both read it.
 */
export function unacknowledgedOutcomes(outcomes: readonly ('rejected' | 'failed')[]) {
  const held = sql.join(
    outcomes.map((o) => sql`(counts->>${o})::int4`),
    sql` + `,
  );
  return sql<number>`coalesce(sum(CASE WHEN change_id IS NULL THEN ${held}
    WHEN outcome IN (${sql.join(outcomes.map((o) => sql.lit(o)))}) THEN 1 ELSE 0 END), 0)::int4`;
}

/** Rejected or failed outcomes not yet acknowledged. */
export async function countUnacknowledgedRejections(
  db: Kysely<DB>,
  tenantId: string,
  actorId: string,
): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`
    SELECT ${unacknowledgedOutcomes(['rejected', 'failed'])} AS n FROM inbox_entries
    WHERE tenant_id = ${tenantId} AND actor_id = ${actorId} AND acknowledged_at IS NULL`.execute(
    db,
  );
  return Number(rows[0]?.n ?? 0);
}
