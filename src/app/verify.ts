/**
 * `amend verify`: for every order of every tenant, the invariants of domain/invariants.ts, a kept
 * version for every version (the chain from its checkpoint replays), the audit replay, the money
 * (domain/payment-integrity.ts: payments against the grand total, the gateway's ledger against the
 * applied changes), stock conservation (reserved = Σ reservations, 0 ≤ reserved ≤ on hand), no change
 * stuck past its lease and no gateway call left unresolved.
 */
import {
  appliedAuditSteps,
  appliedChangeCounts,
  insertVerifyRun,
  ledgerMoves,
  listAllOrderKeys,
  orderKey,
  ordersInFlight,
  plannedMoves,
  stockMismatches,
  stuckChanges,
  unresolvedCalls,
  versionCounts,
} from '../db/integrity.js';
import { ledgerViolations, paymentViolations } from '../domain/payment-integrity.js';
import { findOrders, findOrderVersion } from '../db/orders.js';
import { listTenantIds } from '../db/tenants.js';
import { orderViolations, type Violation } from '../domain/invariants.js';
import type { Order } from '../domain/order.js';
import { replayAudit, replayDifferences } from '../domain/replay.js';
import type { Deps } from './deps.js';

const BATCH = 200;
/** A lease that ran out this long ago has no worker behind it (workers take changes within a second). */
const STUCK_GRACE_SECONDS = 60;

export type Finding = Violation & { tenantId: string };

export interface VerifyResult {
  orders: number;
  violations: Finding[];
  ordersByTenant: Map<string, number>;
}

export async function verifyIntegrity(
  deps: Deps,
  onProgress?: (done: number, total: number) => void,
): Promise<VerifyResult> {
  const { db } = deps;
  const violations: Finding[] = [];
  const keys = await listAllOrderKeys(db);
  const applied = await appliedChangeCounts(db);
  const versions = await versionCounts(db);
  const inFlight = await ordersInFlight(db);
  const ledger = await ledgerMoves(db);
  const planned = await plannedMoves(db);
  for (let i = 0; i < keys.length; i += BATCH) {
    const batch = keys.slice(i, i + BATCH);
    for (const tenantId of new Set(batch.map((b) => b.tenantId))) {
      const ids = batch.filter((b) => b.tenantId === tenantId).map((b) => b.orderId);
      for (const order of await findOrders(db, tenantId, ids)) {
        const key = orderKey(tenantId, order.id);
        const found = [...orderViolations(order, applied.get(key) ?? 0)];
        const kept = versions.get(key) ?? 0;
        if (kept !== order.version + 1)
          found.push({
            orderId: order.id,
            rule: 'VERSIONS_MISSING',
            detail: `${kept} snapshots kept for versions 0..${order.version}`,
          });
        if (order.version > 0) {
          found.push(...(await replayViolations(deps, tenantId, order)));
          if (
            kept === order.version + 1 &&
            !(await findOrderVersion(db, tenantId, order.id, order.version))
          )
            found.push({
              orderId: order.id,
              rule: 'VERSIONS_MISSING',
              detail: `version ${order.version} does not replay from its checkpoint`,
            });
        }
        if (!inFlight.has(key)) {
          found.push(...paymentViolations(order));
          if (ledger.has(key))
            found.push(
              ...ledgerViolations(order.id, ledger.get(key)!, planned.get(key) ?? new Map()),
            );
        }
        violations.push(...found.map((v) => ({ ...v, tenantId })));
      }
    }
    onProgress?.(Math.min(i + BATCH, keys.length), keys.length);
  }
  for (const s of await stockMismatches(db)) {
    violations.push({
      tenantId: s.tenantId,
      orderId: '-',
      rule: 'STOCK_MISMATCH',
      detail: `${s.tenantId}/${s.facilityId}/${s.sku}: on hand ${s.onHand}, reserved ${s.reserved}, reservations hold ${s.held}`,
    });
  }
  for (const c of await stuckChanges(db, STUCK_GRACE_SECONDS))
    violations.push({
      tenantId: c.tenantId,
      orderId: c.orderId,
      rule: 'STUCK_CHANGE',
      detail: `change ${c.changeId} is applying, its lease ran out at ${c.leaseUntil ?? 'never taken'}; no worker finishes it`,
    });
  for (const g of await unresolvedCalls(db))
    violations.push({
      tenantId: g.tenantId,
      orderId: g.orderId,
      rule: 'REVERSAL_UNRESOLVED',
      detail: `change ${g.changeId}: the ${g.status === 'pending' ? 'call' : 'reversal of the call'} ${g.key} on payment ${g.paymentId} (${(g.amount / 100).toFixed(2)}) has no known result; check it with the provider`,
    });
  const ordersByTenant = new Map<string, number>();
  for (const { tenantId } of keys)
    ordersByTenant.set(tenantId, (ordersByTenant.get(tenantId) ?? 0) + 1);
  return { orders: keys.length, violations, ordersByTenant };
}

/** Keeps a run's findings per tenant (every tenant, also those with none) for the KPIs. */
export async function recordVerifyRun(deps: Deps, result: VerifyResult): Promise<void> {
  const tenants = await listTenantIds(deps.db);
  await insertVerifyRun(
    deps.db,
    deps.ids('vrf'),
    tenants.map((tenantId) => {
      const mine = result.violations.filter((v) => v.tenantId === tenantId);
      return {
        tenantId,
        ordersChecked: result.ordersByTenant.get(tenantId) ?? 0,
        findings: mine.length,
        details: mine.slice(0, 500),
      };
    }),
  );
}

/** The imported order plus every applied change's audit entries must give the order as it is. */
async function replayViolations(deps: Deps, tenantId: string, order: Order): Promise<Violation[]> {
  const start = await findOrderVersion(deps.db, tenantId, order.id, 0);
  if (!start)
    return [{ orderId: order.id, rule: 'VERSIONS_MISSING', detail: 'version 0 was not kept' }];
  const steps = await appliedAuditSteps(deps.db, tenantId, order.id);
  return replayDifferences(replayAudit(start as Order, steps), order).map((detail) => ({
    orderId: order.id,
    rule: 'AUDIT_REPLAY_MISMATCH',
    detail,
  }));
}
