/** The reads `amend verify` checks the invariants with, and the record of each run (for the KPIs). */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

type Executor = Kysely<DB>;

/** Every order of every tenant, tenant by tenant, oldest first. */
export async function listAllOrderKeys(db: Executor) {
  const rows = await db
    .selectFrom('orders')
    .select(['tenant_id', 'id'])
    .orderBy('tenant_id')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ tenantId: r.tenant_id, orderId: r.id }));
}

const keyOf = (tenantId: string, orderId: string) => `${tenantId}/${orderId}`;

/** Applied changes per order, keyed `tenant/order`. */
export async function appliedChangeCounts(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('change_requests')
    .select(['tenant_id', 'order_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'applied')
    .groupBy(['tenant_id', 'order_id'])
    .execute();
  return new Map(rows.map((r) => [keyOf(r.tenant_id, r.order_id), Number(r.n)]));
}

/** Version snapshots kept per order, keyed `tenant/order`. */
export async function versionCounts(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('order_versions')
    .select(['tenant_id', 'order_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['tenant_id', 'order_id'])
    .execute();
  return new Map(rows.map((r) => [keyOf(r.tenant_id, r.order_id), Number(r.n)]));
}

export { keyOf as orderKey };

/** The audit entries of an order's applied changes, in the order they were written. */
export async function appliedAuditSteps(db: Executor, tenantId: string, orderId: string) {
  const rows = await db
    .selectFrom('audit_entries as a')
    .innerJoin('change_requests as c', (j) =>
      j.onRef('c.tenant_id', '=', 'a.tenant_id').onRef('c.id', '=', 'a.change_id'),
    )
    .select(['a.path', 'a.new_value'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.order_id', '=', orderId)
    .where('c.status', '=', 'applied')
    .orderBy('a.seq')
    .execute();
  return rows.map((s) => ({ path: s.path, new: s.new_value }));
}

export interface StockMismatch {
  tenantId: string;
  facilityId: string;
  sku: string;
  onHand: number;
  reserved: number;
  held: number;
}

/** Stock rows whose reserved count is not what the reservations hold, or is out of 0..onHand. */
export async function stockMismatches(db: Executor): Promise<StockMismatch[]> {
  const result = await sql<{
    tenant_id: string;
    facility_id: string;
    sku: string;
    on_hand: number;
    reserved: number;
    held: number;
  }>`
    SELECT s.tenant_id, s.facility_id, s.sku, s.on_hand, s.reserved, COALESCE(r.held, 0)::int4 AS held
    FROM stock s LEFT JOIN (SELECT tenant_id, facility_id, sku, sum(quantity) AS held
                            FROM reservations GROUP BY 1, 2, 3) r
      ON r.tenant_id = s.tenant_id AND r.facility_id = s.facility_id AND r.sku = s.sku
    WHERE s.reserved <> COALESCE(r.held, 0) OR s.reserved > s.on_hand OR s.reserved < 0`.execute(
    db,
  );
  return result.rows.map((s) => ({
    tenantId: s.tenant_id,
    facilityId: s.facility_id,
    sku: s.sku,
    onHand: s.on_hand,
    reserved: s.reserved,
    held: s.held,
  }));
}

export interface VerifyRunRow {
  tenantId: string;
  ordersChecked: number;
  findings: number;
  details: unknown[];
}

export async function insertVerifyRun(db: Executor, runId: string, rows: VerifyRunRow[]) {
  if (!rows.length) return;
  await db
    .insertInto('verify_runs')
    .values(
      rows.map((r) => ({
        tenant_id: r.tenantId,
        id: runId,
        orders_checked: r.ordersChecked,
        findings: r.findings,
        details: JSON.stringify(r.details),
      })),
    )
    .execute();
}
