/**
 * The queue of changes per order and the worker's lease (migrations/0005). A change is claimable
 * when it is validated or applying, not leased, due, and first of its order's queue; claiming uses
 * FOR UPDATE SKIP LOCKED, so any number of workers share one database.
 */
import { PREPARED } from './prepared.js';
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

type ChangeRow = Parameters<typeof changeFromRow>[0] & {
  tenant_id: string;
  expected_version: number | null;
  queue_seq: number | string | null;
  lease_token: string | null;
  attempts: number;
  next_attempt_at: Date | string | null;
  gateway_generation: number;
  seller_acknowledged_at: Date | string | null;
};

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function storedFromRow(row: ChangeRow): StoredChange {
  return {
    tenantId: row.tenant_id,
    change: changeFromRow(row),
    state: {
      expectedVersion: row.expected_version,
      queueSeq: row.queue_seq === null ? null : Number(row.queue_seq),
      leaseToken: row.lease_token,
      attempts: row.attempts,
      nextAttemptAt: iso(row.next_attempt_at),
      gatewayGeneration: row.gateway_generation,
      sellerAcknowledgedAt: iso(row.seller_acknowledged_at),
    },
  };
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
  return row ? storedFromRow(row as unknown as ChangeRow) : undefined;
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

/**
 * Takes the lease on the next change due, first of its order's queue, and reads it in the same
 * statement; undefined when none is due. The pick is a row subquery, which PostgreSQL runs once: as
 * a join (`UPDATE … FROM (… LIMIT 1 FOR UPDATE SKIP LOCKED) pick`) it was run again under concurrent
 * claims and leased up to five changes at a time, of which the worker took the first — the others
 * waited out their 30 s lease.
 */
export async function claimNext(
  db: Database,
  token: string,
  leaseMs: number,
): Promise<StoredChange | undefined> {
  const result = await sql<ChangeRow>`${PREPARED}
    UPDATE change_requests c SET lease_token = ${token}, lease_until = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE (c.tenant_id, c.id) = (
      SELECT q.tenant_id, q.id FROM change_requests q
      WHERE q.status IN ('validated', 'applying')
        AND (q.lease_until IS NULL OR q.lease_until < now())
        AND (q.next_attempt_at IS NULL OR q.next_attempt_at <= now())
        AND NOT EXISTS (SELECT 1 FROM change_requests e WHERE e.tenant_id = q.tenant_id AND e.order_id = q.order_id
                        AND e.status IN ('validated', 'applying') AND e.queue_seq < q.queue_seq)
      ORDER BY q.queue_seq LIMIT 1 FOR UPDATE OF q SKIP LOCKED
    )
    RETURNING c.*`.execute(db);
  const row = result.rows[0];
  return row ? storedFromRow(row) : undefined;
}

/** When the next queued change falls due (for a worker's sleep), or null when none waits. */
export async function nextDueInMs(db: Database): Promise<number | null> {
  const row = await sql<{ ms: number | null }>`${PREPARED}
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
    // The riskiest first (docs/risk.md), then the oldest.
    .orderBy(
      sql`coalesce((approval->'risk'->>'score')::int4, (approval->>'score')::int4, 0)`,
      'desc',
    )
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

/** Calls a change made or may have made (pending: asked, no answer known), which compensation reverses. */
export async function openGatewayCalls(
  db: Database,
  tenantId: string,
  changeId: string,
): Promise<GatewayCallRow[]> {
  return (await gatewayCallsOf(db, tenantId, changeId)).filter(
    (c) => c.status === 'succeeded' || c.status === 'pending',
  );
}

/** A call's final state: declined (nothing moved), reversed, or unresolved (its reversal never confirmed). */
export async function settleGatewayCall(
  db: Database,
  tenantId: string,
  key: string,
  status: 'declined' | 'reversed' | 'unresolved',
): Promise<void> {
  await db
    .updateTable('gateway_calls')
    .set({ status, updated_at: sql`now()` })
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
