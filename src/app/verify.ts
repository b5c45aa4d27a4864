/**
 * `amend verify`: for every order of every tenant, the invariants of domain/invariants.ts, a
 * snapshot for every version, and stock conservation (reserved = Σ reservations, 0 ≤ reserved ≤ on hand).
 */
import { sql } from 'kysely';
import { findOrders } from '../db/orders.js';
import { orderViolations, type Violation } from '../domain/invariants.js';
import type { Order } from '../domain/order.js';
import { replayAudit, replayDifferences } from '../domain/replay.js';
import type { Deps } from './deps.js';

const BATCH = 200;

export type Finding = Violation & { tenantId: string };

export async function verifyIntegrity(
  deps: Deps,
  onProgress?: (done: number, total: number) => void,
): Promise<{ orders: number; violations: Finding[]; ordersByTenant: Map<string, number> }> {
  const { db } = deps;
  const violations: Finding[] = [];
  const ids = await db
    .selectFrom('orders')
    .select(['tenant_id', 'id'])
    .orderBy('tenant_id')
    .orderBy('seq')
    .execute();
  const applied = new Map(
    (
      await db
        .selectFrom('change_requests')
        .select(['tenant_id', 'order_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'applied')
        .groupBy(['tenant_id', 'order_id'])
        .execute()
    ).map((r) => [`${r.tenant_id}/${r.order_id}`, Number(r.n)]),
  );
  const versions = new Map(
    (
      await db
        .selectFrom('order_versions')
        .select(['tenant_id', 'order_id', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['tenant_id', 'order_id'])
        .execute()
    ).map((r) => [`${r.tenant_id}/${r.order_id}`, Number(r.n)]),
  );
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    for (const tenantId of new Set(batch.map((b) => b.tenant_id))) {
      const orders = await findOrders(
        db,
        tenantId,
        batch.filter((b) => b.tenant_id === tenantId).map((b) => b.id),
      );
      for (const order of orders) {
        const key = `${tenantId}/${order.id}`;
        const found = [...orderViolations(order, applied.get(key) ?? 0)];
        const kept = versions.get(key) ?? 0;
        if (kept !== order.version + 1)
          found.push({
            orderId: order.id,
            rule: 'VERSIONS_MISSING',
            detail: `${kept} snapshots kept for versions 0..${order.version}`,
          });
        if (order.version > 0) found.push(...(await replayViolations(deps, tenantId, order)));
        violations.push(...found.map((v) => ({ ...v, tenantId })));
      }
    }
    onProgress?.(Math.min(i + BATCH, ids.length), ids.length);
  }
  const stock = await sql<{
    tenant_id: string;
    facility_id: string;
    sku: string;
    on_hand: number;
    reserved: number;
    held: number;
  }>`
    SELECT s.tenant_id, s.facility_id, s.sku, s.on_hand, s.reserved, COALESCE(r.held, 0)::int4 AS held
    FROM stock s LEFT JOIN (SELECT tenant_id, facility_id, sku, sum(quantity) AS held FROM reservations GROUP BY 1, 2, 3) r
      ON r.tenant_id = s.tenant_id AND r.facility_id = s.facility_id AND r.sku = s.sku
    WHERE s.reserved <> COALESCE(r.held, 0) OR s.reserved > s.on_hand OR s.reserved < 0`.execute(
    db,
  );
  for (const s of stock.rows) {
    violations.push({
      tenantId: s.tenant_id,
      orderId: '-',
      rule: 'STOCK_MISMATCH',
      detail: `${s.tenant_id}/${s.facility_id}/${s.sku}: on hand ${s.on_hand}, reserved ${s.reserved}, reservations hold ${s.held}`,
    });
  }
  const ordersByTenant = new Map<string, number>();
  for (const { tenant_id } of ids)
    ordersByTenant.set(tenant_id, (ordersByTenant.get(tenant_id) ?? 0) + 1);
  return { orders: ids.length, violations, ordersByTenant };
}

/** Keeps a run's findings per tenant (every tenant, also those with none) for the KPIs. */
export async function recordVerifyRun(
  deps: Deps,
  result: Awaited<ReturnType<typeof verifyIntegrity>>,
): Promise<void> {
  const tenants = (await deps.db.selectFrom('tenants').select('id').execute()).map((t) => t.id);
  const runId = deps.ids('vrf');
  if (!tenants.length) return;
  await deps.db
    .insertInto('verify_runs')
    .values(
      tenants.map((tenantId) => {
        const mine = result.violations.filter((v) => v.tenantId === tenantId);
        return {
          tenant_id: tenantId,
          id: runId,
          orders_checked: result.ordersByTenant.get(tenantId) ?? 0,
          findings: mine.length,
          details: JSON.stringify(mine.slice(0, 500)),
        };
      }),
    )
    .execute();
}

/** The imported order plus every applied change's audit entries must give the order as it is. */
async function replayViolations(deps: Deps, tenantId: string, order: Order): Promise<Violation[]> {
  const start = await deps.db
    .selectFrom('order_versions')
    .select('snapshot')
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', order.id)
    .where('version', '=', 0)
    .executeTakeFirst();
  if (!start)
    return [{ orderId: order.id, rule: 'VERSIONS_MISSING', detail: 'version 0 was not kept' }];
  const steps = await deps.db
    .selectFrom('audit_entries as a')
    .innerJoin('change_requests as c', (j) =>
      j.onRef('c.tenant_id', '=', 'a.tenant_id').onRef('c.id', '=', 'a.change_id'),
    )
    .select(['a.path', 'a.new_value'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.order_id', '=', order.id)
    .where('c.status', '=', 'applied')
    .orderBy('a.seq')
    .execute();
  const replayed = replayAudit(
    start.snapshot as unknown as Order,
    steps.map((s) => ({ path: s.path, new: s.new_value })),
  );
  return replayDifferences(replayed, order).map((detail) => ({
    orderId: order.id,
    rule: 'AUDIT_REPLAY_MISMATCH',
    detail,
  }));
}
