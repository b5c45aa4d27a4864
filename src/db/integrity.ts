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

type Moves = Map<string, Map<string, number>>;
const addMove = (into: Moves, key: string, paymentId: string, amount: number) => {
  const per = into.get(key) ?? new Map<string, number>();
  per.set(paymentId, (per.get(paymentId) ?? 0) + amount);
  into.set(key, per);
};

/**
 * Money the built-in gateway's ledger moved per order and payment (signed: authorize and capture up,
 * reduce-authorization and refund down). A key starts with its change's id (gatewayKey), which names
 * the order. Only orders the ledger knows are in it: another gateway keeps its own ledger.
 */
export async function ledgerMoves(db: Executor): Promise<Moves> {
  const rows = await sql<{ tenant_id: string; order_id: string; payment_id: string; n: string }>`
    SELECT l.tenant_id, c.order_id, l.payment_id,
      sum(CASE WHEN l.action IN ('authorize', 'capture') THEN l.amount ELSE -l.amount END)::text AS n
    FROM payment_simulator_ledger l
    JOIN change_requests c ON c.tenant_id = l.tenant_id AND c.id = split_part(l.key, ':', 1)
    WHERE l.outcome = 'succeeded'
    GROUP BY 1, 2, 3`.execute(db);
  const out: Moves = new Map();
  for (const r of rows.rows)
    addMove(out, keyOf(r.tenant_id, r.order_id), r.payment_id, Number(r.n));
  return out;
}

/** Money the applied changes' plans moved per order and payment (signed). */
export async function plannedMoves(db: Executor): Promise<Moves> {
  const rows = await sql<{ tenant_id: string; order_id: string; payment_id: string; n: string }>`
    SELECT c.tenant_id, c.order_id, x->>'paymentId' AS payment_id, sum((x->>'amount')::int8)::text AS n
    FROM change_requests c, jsonb_array_elements(COALESCE(c.plan->'payments', '[]'::jsonb)) x
    WHERE c.status = 'applied' AND x->>'action' <> 'none'
    GROUP BY 1, 2, 3`.execute(db);
  const out: Moves = new Map();
  for (const r of rows.rows)
    addMove(out, keyOf(r.tenant_id, r.order_id), r.payment_id, Number(r.n));
  return out;
}

/** Orders with a change queued or applying: their money may be on its way. */
export async function ordersInFlight(db: Executor): Promise<Set<string>> {
  const rows = await db
    .selectFrom('change_requests')
    .select(['tenant_id', 'order_id'])
    .where('status', 'in', ['validated', 'applying'])
    .execute();
  return new Set(rows.map((r) => keyOf(r.tenant_id, r.order_id)));
}

/** Changes still applying whose lease ran out more than `graceSeconds` ago: no worker finishes them. */
export async function stuckChanges(db: Executor, graceSeconds: number) {
  const rows = await sql<{ tenant_id: string; order_id: string; id: string; lease_until: Date }>`
    SELECT tenant_id, order_id, id, lease_until FROM change_requests
    WHERE status = 'applying' AND (lease_until IS NULL OR lease_until < now() - make_interval(secs => ${graceSeconds}))
      AND (next_attempt_at IS NULL OR next_attempt_at < now() - make_interval(secs => ${graceSeconds}))`.execute(
    db,
  );
  return rows.rows.map((r) => ({
    tenantId: r.tenant_id,
    orderId: r.order_id,
    changeId: r.id,
    leaseUntil: r.lease_until ? new Date(r.lease_until).toISOString() : null,
  }));
}

/** Gateway calls whose money may still be moved: a reversal never confirmed, or a call of a finished change left pending. */
export async function unresolvedCalls(db: Executor) {
  const rows = await sql<{
    tenant_id: string;
    order_id: string;
    change_id: string;
    key: string;
    payment_id: string;
    amount: string;
    status: string;
  }>`
    SELECT g.tenant_id, c.order_id, g.change_id, g.key, g.payment_id, g.amount::text AS amount, g.status
    FROM gateway_calls g JOIN change_requests c ON c.tenant_id = g.tenant_id AND c.id = g.change_id
    WHERE g.status = 'unresolved'
       OR (g.status = 'pending' AND c.status IN ('rejected', 'failed', 'canceled'))`.execute(db);
  return rows.rows.map((r) => ({
    tenantId: r.tenant_id,
    orderId: r.order_id,
    changeId: r.change_id,
    key: r.key,
    paymentId: r.payment_id,
    amount: Number(r.amount),
    status: r.status,
  }));
}
