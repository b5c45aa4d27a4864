/**
 * Bulk changes (API.md §4): the same operations on many orders, chosen by id or by the order
 * list's filter. Each order's change is a real change (app `bulk`, its job's id in `requestedBy`,
 * idempotency key `<bulkId>:<orderId>`); with dryRun nothing is written and each result says what
 * would happen. The requester's inbox gets one summary of the job, not one entry per order.
 */
import { insertBulkJob, recordBulkResult, type BulkResult } from '../db/bulk-jobs.js';
import { claimKey } from '../db/idempotency.js';
import { listOrderPage, type OrderCursor, type OrderFilter } from '../db/orders.js';
import type { Operation } from '../domain/change/types.js';
import type { Actor, Deps } from './deps.js';
import { endBulkJob } from './bulk-summary.js';
import { applyChange, previewChange } from './changes.js';
import { waitUntilSettled } from './change-lifecycle.js';
import { RefusedError } from './refused-error.js';

export interface BulkChangeRequest {
  orderIds?: string[];
  filter?: OrderFilter;
  operations: Operation[];
  reason?: { code: string; text?: string };
  dryRun?: boolean;
}

/** At most this many orders per job: a larger selection should be split (or filtered tighter). */
export const MAX_BULK_ORDERS = 5_000;

async function selectOrders(
  deps: Deps,
  actor: Actor,
  request: BulkChangeRequest,
): Promise<string[]> {
  if (request.orderIds) return request.orderIds;
  const ids: string[] = [];
  let after: OrderCursor | undefined;
  do {
    const page = await listOrderPage(deps.db, actor.tenantId, request.filter ?? {}, 200, after);
    ids.push(...page.items.map((o) => o.id));
    after = page.next ?? undefined;
  } while (after && ids.length < MAX_BULK_ORDERS);
  return ids.slice(0, MAX_BULK_ORDERS);
}

export async function createBulkChange(
  deps: Deps,
  actor: Actor,
  request: BulkChangeRequest,
): Promise<{ id: string; orderIds: string[] }> {
  const orderIds = await selectOrders(deps, actor, request);
  const id = deps.ids('bulk');
  await insertBulkJob(deps.db, actor.tenantId, {
    id,
    kind: 'bulk-change',
    total: orderIds.length,
    request,
    requestedBy: { actorId: actor.actorId, role: actor.role },
  });
  return { id, orderIds };
}

async function changeOne(
  deps: Deps,
  actor: Actor,
  bulkId: string,
  orderId: string,
  request: BulkChangeRequest,
): Promise<BulkResult> {
  const body = {
    operations: request.operations,
    ...(request.reason ? { reason: request.reason } : {}),
    app: 'bulk' as const,
    bulkJobId: bulkId,
  };
  try {
    if (request.dryRun) {
      const preview = await previewChange(deps, actor, orderId, body);
      return { orderId, status: preview.approval.required ? 'would-need-approval' : 'would-apply' };
    }
    const key = `${bulkId}:${orderId}`;
    const claim = await claimKey(deps.db, actor.tenantId, key, key);
    if (claim.kind === 'replay')
      return { orderId, changeId: (claim.body as { id: string }).id, status: 'applied' };
    if (claim.kind !== 'claimed')
      return { orderId, status: 'refused', code: 'IDEMPOTENCY_KEY_IN_USE' };
    const answer = await applyChange(deps, actor, orderId, body, { key, completed: false });
    // A change that moves money or needs approval goes on by itself: report where it settled.
    const change = answer.final
      ? answer.change
      : await waitUntilSettled(deps, actor.tenantId, answer.change, BULK_WAIT_S);
    if (change.status === 'rejected' || change.status === 'failed')
      return {
        orderId,
        changeId: change.id,
        status: 'refused',
        code: change.outcome?.code ?? 'CHANGE_REFUSED',
      };
    return { orderId, changeId: change.id, status: change.status };
  } catch (err) {
    if (!(err instanceof RefusedError)) throw err;
    const changeId = err.extra.changeId as string | undefined;
    return {
      orderId,
      ...(changeId ? { changeId } : {}),
      status: request.dryRun ? 'would-refuse' : 'refused',
      code: err.code,
    };
  }
}

/** How long one order's change may take to settle before the job reports it as it stands. */
const BULK_WAIT_S = 30;

export async function runBulkChange(
  deps: Deps,
  actor: Actor,
  job: { id: string; orderIds: string[] },
  request: BulkChangeRequest,
): Promise<void> {
  const dryRun = request.dryRun === true;
  try {
    for (const orderId of job.orderIds) {
      const result = await changeOne(deps, actor, job.id, orderId, request);
      await recordBulkResult(
        deps.db,
        actor.tenantId,
        job.id,
        result,
        [
          'applied',
          'awaiting-approval',
          'awaiting-seller',
          'would-apply',
          'would-need-approval',
        ].includes(result.status),
      );
    }
  } catch (err) {
    // Its requester still hears what became of the orders it reached (the outcomes wait for it).
    await endBulkJob(deps, actor.tenantId, job.id, { dryRun, stopped: true });
    throw err;
  }
  await endBulkJob(deps, actor.tenantId, job.id, { dryRun });
}
