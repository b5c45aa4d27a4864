/** Bulk jobs: created queued, moved on as each order's result comes in, read by id. */
import { sql, type Kysely } from 'kysely';
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

export async function findBulkJob(
  db: Kysely<DB>,
  tenantId: string,
  jobId: string,
): Promise<BulkJob | undefined> {
  const r = await db
    .selectFrom('bulk_jobs')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', jobId)
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
  };
}
