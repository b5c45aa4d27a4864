/**
 * Rerouting the unroutable orders in bulk (seed 001, API.md §4): each order is its own `reroute`
 * change (app `bulk`, idempotency key `<bulkId>:<orderId>`, so a job run again never reroutes an
 * order twice); an order that is routed already is skipped with ORDER_NOT_UNROUTABLE. The requester's
 * inbox gets one summary of the job, not one entry per order.
 */
import { insertBulkJob, recordBulkResult, type BulkResult } from '../db/bulk-jobs.js';
import { claimKey } from '../db/idempotency.js';
import { findOrderHead, listUnroutableOrderIds } from '../db/orders.js';
import type { Actor, Deps } from './deps.js';
import { endBulkJob } from './bulk-summary.js';
import { applyChange } from './changes.js';
import { waitUntilSettled } from './change-lifecycle.js';
import { RefusedError } from './refused-error.js';

export interface BulkRequest {
  orderIds?: string[];
  reason?: { code: string; text?: string };
}

export async function createRerouteJob(
  deps: Deps,
  actor: Actor,
  request: BulkRequest,
): Promise<{ id: string; orderIds: string[] }> {
  const orderIds = request.orderIds ?? (await listUnroutableOrderIds(deps.db, actor.tenantId));
  const id = deps.ids('bulk');
  await insertBulkJob(deps.db, actor.tenantId, {
    id,
    kind: 'reroute-unroutable',
    total: orderIds.length,
    request,
    requestedBy: { actorId: actor.actorId, role: actor.role },
  });
  return { id, orderIds };
}

async function rerouteOne(
  deps: Deps,
  actor: Actor,
  bulkId: string,
  orderId: string,
  request: BulkRequest,
): Promise<BulkResult> {
  const order = await findOrderHead(deps.db, actor.tenantId, orderId);
  if (!order) return { orderId, status: 'skipped', code: 'ORDER_NOT_FOUND' };
  if (order.routingStatus !== 'unroutable')
    return { orderId, status: 'skipped', code: 'ORDER_NOT_UNROUTABLE' };
  const key = `${bulkId}:${orderId}`;
  const claim = await claimKey(deps.db, actor.tenantId, key, key);
  if (claim.kind === 'replay')
    return { orderId, changeId: (claim.body as { id: string }).id, status: 'routed' };
  if (claim.kind !== 'claimed')
    return { orderId, status: 'skipped', code: 'IDEMPOTENCY_KEY_IN_USE' };
  const reason = request.reason ?? {
    code: actor.settings.reasons.change[0]?.code ?? 'CUSTOMER_REQUEST',
    text: 'Bulk reroute of unroutable orders',
  };
  try {
    const answer = await applyChange(
      deps,
      actor,
      orderId,
      { operations: [{ op: 'reroute' }], reason, app: 'bulk', bulkJobId: bulkId },
      { key, completed: false },
    );
    // Queued behind another change of the order: report where it settled.
    const change = answer.final
      ? answer.change
      : await waitUntilSettled(deps, actor.tenantId, answer.change, 30);
    if (change.status === 'applied') return { orderId, changeId: change.id, status: 'routed' };
    return {
      orderId,
      changeId: change.id,
      status: 'skipped',
      code: change.outcome?.code ?? 'CHANGE_IN_PROGRESS',
    };
  } catch (err) {
    if (!(err instanceof RefusedError)) throw err;
    const changeId = err.extra.changeId as string | undefined;
    return {
      orderId,
      ...(changeId ? { changeId } : {}),
      status: err.code === 'ORDER_UNROUTABLE' ? 'unroutable' : 'skipped',
      code: err.code,
    };
  }
}

/** Runs the job to the end; `onProgress` sees each order's result (the CLI draws its bar from it). */
export async function runRerouteJob(
  deps: Deps,
  actor: Actor,
  job: { id: string; orderIds: string[] },
  request: BulkRequest,
  onProgress?: (done: number, total: number, result: BulkResult) => void,
): Promise<void> {
  let done = 0;
  try {
    for (const orderId of job.orderIds) {
      const result = await rerouteOne(deps, actor, job.id, orderId, request);
      await recordBulkResult(deps.db, actor.tenantId, job.id, result, result.status === 'routed');
      onProgress?.(++done, job.orderIds.length, result);
    }
  } catch (err) {
    // Its requester still hears what became of the orders it reached (the outcomes wait for it).
    await endBulkJob(deps, actor.tenantId, job.id, { dryRun: false, stopped: true });
    throw err;
  }
  await endBulkJob(deps, actor.tenantId, job.id, { dryRun: false });
}
