/**
 * Bulk replay of dead letters by source and code (INTAKE.md §3): a bulk job (GET
 * /v1/bulk-changes/{id}) with one result per record, run by the API in the background or by
 * `amend intake replay` with a progress bar. Each record is replayed and worked at once.
 */
import { finishBulkJob, insertBulkJob, recordBulkResult } from '../db/bulk-jobs.js';
import { deadLetterIds } from '../db/intake-records.js';
import type { Actor, Deps } from './deps.js';
import { replayRecord, settle } from './intake.js';
import { RefusedError } from './refused-error.js';

export interface ReplayFilter {
  sourceId?: string;
  code?: string;
}

export interface ReplayResult {
  intakeId: string;
  orderId?: string;
  status: string;
  code?: string;
}

export async function createReplayJob(
  deps: Deps,
  actor: Actor,
  filter: ReplayFilter,
): Promise<{ id: string; intakeIds: string[] }> {
  const intakeIds = await deadLetterIds(deps.db, actor.tenantId, filter);
  const id = deps.ids('bulk');
  await insertBulkJob(deps.db, actor.tenantId, {
    id,
    kind: 'intake-replay',
    total: intakeIds.length,
    request: filter,
    requestedBy: { actorId: actor.actorId, role: actor.role },
  });
  return { id, intakeIds };
}

async function replayOne(deps: Deps, actor: Actor, intakeId: string): Promise<ReplayResult> {
  try {
    await replayRecord(deps, actor, intakeId);
  } catch (err) {
    if (err instanceof RefusedError) return { intakeId, status: 'skipped', code: err.code };
    throw err;
  }
  const r = await settle(deps, actor.tenantId, intakeId, 30);
  return {
    intakeId,
    ...(r.orderId ? { orderId: r.orderId } : {}),
    status: r.status,
    ...(r.code ? { code: r.code } : {}),
  };
}

export async function runReplayJob(
  deps: Deps,
  actor: Actor,
  job: { id: string; intakeIds: string[] },
  onProgress?: (done: number, total: number, result: ReplayResult) => void,
): Promise<void> {
  let done = 0;
  for (const intakeId of job.intakeIds) {
    const result = await replayOne(deps, actor, intakeId);
    await recordBulkResult(deps.db, actor.tenantId, job.id, result, result.status === 'imported');
    onProgress?.(++done, job.intakeIds.length, result);
  }
  await finishBulkJob(deps.db, actor.tenantId, job.id);
}
