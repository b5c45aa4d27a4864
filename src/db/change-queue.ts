/**
 * The queue of changes per order and the worker's lease (migrations/0005). A change is claimable
 * when it is validated or applying, not leased, due, and first of its order's queue; claiming uses
 * FOR UPDATE SKIP LOCKED, so any number of workers share one database.
 */
import { sql } from 'kysely';
import type { Database } from './database.js';
import { changeFromRow } from './changes.js';
import type { Change } from '../domain/change/change.js';

export interface ChangeState {
  expectedVersion: number | null;
  queueSeq: number | null;
  leaseToken: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  gatewayGeneration: number;
  sellerAcknowledgedAt: string | null;
}

export interface StoredChange {
  tenantId: string;
  change: Change;
  state: ChangeState;
}

export async function findStoredChange(
  db: Database,
  tenantId: string,
  changeId: string,
): Promise<StoredChange | undefined> {
  const row = await db
    .selectFrom('change_requests')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', changeId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    tenantId,
    change: changeFromRow(row as unknown as Parameters<typeof changeFromRow>[0]),
    state: {
      expectedVersion: row.expected_version,
      queueSeq: row.queue_seq === null ? null : Number(row.queue_seq),
      leaseToken: row.lease_token,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at ? new Date(row.next_attempt_at).toISOString() : null,
      gatewayGeneration: row.gateway_generation,
      sellerAcknowledgedAt: row.seller_acknowledged_at
        ? new Date(row.seller_acknowledged_at).toISOString()
        : null,
    },
  };
}

/** Another change of the order is queued or applying. */
export async function queueBusy(
  db: Database,
  tenantId: string,
  orderId: string,
  exceptId?: string,
): Promise<boolean> {
  let q = db
    .selectFrom('change_requests')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .where('status', 'in', ['validated', 'applying']);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}

/** Takes the lease on the next change due, first of its order's queue; undefined when none is. */
export async function claimNext(
  db: Database,
  token: string,
  leaseMs: number,
): Promise<{ tenantId: string; id: string } | undefined> {
  const result = await sql<{ tenant_id: string; id: string }>`
    UPDATE change_requests c SET lease_token = ${token}, lease_until = now() + make_interval(secs => ${leaseMs / 1000})
    FROM (
      SELECT q.tenant_id, q.id FROM change_requests q
      WHERE q.status IN ('validated', 'applying')
        AND (q.lease_until IS NULL OR q.lease_until < now())
        AND (q.next_attempt_at IS NULL OR q.next_attempt_at <= now())
        AND NOT EXISTS (SELECT 1 FROM change_requests e WHERE e.tenant_id = q.tenant_id AND e.order_id = q.order_id
                        AND e.status IN ('validated', 'applying') AND e.queue_seq < q.queue_seq)
      ORDER BY q.queue_seq LIMIT 1 FOR UPDATE OF q SKIP LOCKED
    ) pick
    WHERE c.tenant_id = pick.tenant_id AND c.id = pick.id
    RETURNING c.tenant_id, c.id`.execute(db);
  const row = result.rows[0];
  return row ? { tenantId: row.tenant_id, id: row.id } : undefined;
}

/** When the next queued change falls due (for a worker's sleep), or null when none waits. */
export async function nextDueInMs(db: Database): Promise<number | null> {
  const row = await sql<{ ms: number | null }>`
    SELECT (extract(epoch FROM min(COALESCE(next_attempt_at, now())) - now()) * 1000)::float8 AS ms
    FROM change_requests WHERE status IN ('validated', 'applying') AND lease_until IS NULL`.execute(
    db,
  );
  const ms = row.rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, Number(ms));
}

export async function listAwaiting(
  db: Database,
  tenantId: string,
  status: 'awaiting-approval' | 'awaiting-seller',
  limit: number,
): Promise<Change[]> {
  const rows = await db
    .selectFrom('change_requests')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('status', '=', status)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => changeFromRow(r as unknown as Parameters<typeof changeFromRow>[0]));
}

export interface GatewayCallRow {
  key: string;
  paymentId: string;
  method: string;
  action: string;
  amount: number;
  status: string;
  reference: string | null;
}

export async function gatewayCallsOf(
  db: Database,
  tenantId: string,
  changeId: string,
): Promise<GatewayCallRow[]> {
  const rows = await db
    .selectFrom('gateway_calls')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('change_id', '=', changeId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    key: r.key,
    paymentId: r.payment_id,
    method: r.method,
    action: r.action,
    amount: Number(r.amount),
    status: r.status,
    reference: r.reference,
  }));
}

export async function recordGatewayCall(
  db: Database,
  tenantId: string,
  changeId: string,
  call: Omit<GatewayCallRow, 'status'>,
): Promise<void> {
  await db
    .insertInto('gateway_calls')
    .values({
      tenant_id: tenantId,
      key: call.key,
      change_id: changeId,
      payment_id: call.paymentId,
      method: call.method,
      action: call.action,
      amount: call.amount,
      status: 'succeeded',
      reference: call.reference,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
    .execute();
}

export async function markReversed(db: Database, tenantId: string, key: string): Promise<void> {
  await db
    .updateTable('gateway_calls')
    .set({ status: 'reversed', updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .execute();
}

/**
 * Gives back the leases a stopping worker still holds (its token is the prefix of its loops'
 * tokens), so another worker takes those changes at once instead of after the lease. The token is
 * kept: should the stopping worker still try to commit, the commit's lease guard refuses it once
 * another worker has claimed the change.
 */
export async function releaseLeases(db: Database, workerToken: string): Promise<number> {
  const result = await sql`
    UPDATE change_requests SET lease_until = NULL
    WHERE status IN ('validated', 'applying') AND lease_until IS NOT NULL
      AND starts_with(lease_token, ${`${workerToken}_`})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
