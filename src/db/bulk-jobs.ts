/** Bulk jobs: created queued, moved on as each order's result comes in, read by id. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BulkOutcome } from '../domain/bulk-summary.js';
import type { DB } from './schema.js';

export type BulkStatus = 'queued' | 'running' | 'completed' | 'canceled';
export interface BulkResult {
  orderId: string;
  changeId?: string;
  status: string;
  code?: string;
}
/** A result of an intake replay job: per intake record, the order when it imported. */
export interface IntakeBulkResult {
  intakeId: string;
  orderId?: string;
  status: string;
  code?: string;
}
export interface BulkJob {
  id: string;
  kind: string;
  status: BulkStatus;
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  results: BulkResult[];
  createdAt: string;
  updatedAt: string;
  /** When its requester acknowledged the job's inbox summary; null before (or without one). */
  acknowledgedAt: string | null;
}

export async function insertBulkJob(
  db: Kysely<DB>,
  tenantId: string,
  job: { id: string; kind: string; total: number; request: unknown; requestedBy: unknown },
): Promise<void> {
  await db
    .insertInto('bulk_jobs')
    .values({
      tenant_id: tenantId,
      id: job.id,
      kind: job.kind,
      status: 'queued',
      total: job.total,
      request: JSON.stringify(job.request),
      requested_by: JSON.stringify(job.requestedBy),
    })
    .execute();
}

export async function recordBulkResult(
  db: Kysely<DB>,
  tenantId: string,
  jobId: string,
  result: BulkResult | IntakeBulkResult,
  succeeded: boolean,
): Promise<void> {
  await sql`UPDATE bulk_jobs SET status = 'running', done = done + 1, succeeded = succeeded + ${succeeded ? 1 : 0},
    failed = failed + ${succeeded ? 0 : 1}, results = results || ${JSON.stringify([result])}::jsonb, updated_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${jobId}`.execute(db);
}

export async function finishBulkJob(
  db: Kysely<DB>,
  tenantId: string,
  jobId: string,
): Promise<void> {
  await db
    .updateTable('bulk_jobs')
    .set({ status: 'completed', updated_at: new Date().toISOString() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', jobId)
    .execute();
}

/**
 * The job's end, as the first write of the transaction that also files its inbox summary: the row
 * lock it takes is what a change's outcome waits for (migrations/0070), so the counts read after it
 * see every outcome that was left to the summary. Undefined: no such job, or it has ended already.
 */
export async function completeBulkJob(
  tx: Transaction<DB>,
  tenantId: string,
  jobId: string,
  at: Date,
): Promise<{ kind: string; requesterId: string; total: number } | undefined> {
  const row = await tx
    .updateTable('bulk_jobs')
    .set({ status: 'completed', updated_at: at.toISOString() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', jobId)
    .where('status', 'in', ['queued', 'running'])
    .returning(['kind', 'total', sql<string>`requested_by->>'actorId'`.as('requester_id')])
    .executeTakeFirst();
  return row
    ? { kind: row.kind, requesterId: row.requester_id, total: Number(row.total) }
    : undefined;
}

export interface AbandonedBulkJob {
  tenantId: string;
  id: string;
  kind: string;
  dryRun: boolean;
}

/**
 * Jobs still queued or running that nobody has moved for `staleMs`: each order records its result
 * within a bounded wait, so such a job's process died (a restart, a crash) and no one will end it.
 */
export async function abandonedBulkJobs(
  db: Kysely<DB>,
  staleMs: number,
  limit = 20,
): Promise<AbandonedBulkJob[]> {
  const { rows } = await sql<{ tenant_id: string; id: string; kind: string; dry_run: boolean }>`
    SELECT tenant_id, id, kind, COALESCE((request->>'dryRun')::boolean, false) AS dry_run FROM bulk_jobs
    WHERE status IN ('queued', 'running') AND updated_at < now() - make_interval(secs => ${staleMs / 1000})
    ORDER BY updated_at LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ tenantId: r.tenant_id, id: r.id, kind: r.kind, dryRun: r.dry_run }));
}

/** Each order's result as the job recorded it, beside its change's status as it is now. */
export async function bulkOutcomes(
  tx: Transaction<DB>,
  tenantId: string,
  jobId: string,
): Promise<BulkOutcome[]> {
  const { rows } = await sql<{ result: string; change_status: string | null }>`
    SELECT r->>'status' AS result, c.status AS change_status
    FROM bulk_jobs j CROSS JOIN LATERAL jsonb_array_elements(j.results) r
    LEFT JOIN change_requests c ON c.tenant_id = j.tenant_id AND c.id = r->>'changeId'
    WHERE j.tenant_id = ${tenantId} AND j.id = ${jobId}`.execute(tx);
  return rows.map((r) => ({ result: r.result, changeStatus: r.change_status }));
}

export async function findBulkJob(
  db: Kysely<DB>,
  tenantId: string,
  jobId: string,
): Promise<BulkJob | undefined> {
  const r = await db
    .selectFrom('bulk_jobs as j')
    .selectAll('j')
    .select(
      sql<Date | string | null>`(SELECT i.acknowledged_at FROM inbox_entries i
        WHERE i.tenant_id = j.tenant_id AND i.bulk_job_id = j.id AND i.change_id IS NULL)`.as(
        'acknowledged_at',
      ),
    )
    .where('j.tenant_id', '=', tenantId)
    .where('j.id', '=', jobId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    kind: r.kind,
    status: r.status as BulkStatus,
    total: r.total,
    done: r.done,
    succeeded: r.succeeded,
    failed: r.failed,
    results: r.results as unknown as BulkResult[],
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    acknowledgedAt: r.acknowledged_at === null ? null : new Date(r.acknowledged_at).toISOString(),
  };
}
