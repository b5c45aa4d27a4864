/**
 * The figures /metrics reads from the database (docs/operations.md), one statement each, across
 * tenants. Each is an aggregate over a partial index or a small table, cheap enough to run every
 * few seconds (the caller caches them).
 */
import { sql } from 'kysely';
import type { Database } from './database.js';

export async function changeCountsByStatus(
  db: Database,
): Promise<{ status: string; code: string; n: number }[]> {
  const r = await sql<{ status: string; code: string | null; n: number }>`
    SELECT status, outcome->>'code' AS code, count(*)::int8 AS n
    FROM change_requests GROUP BY 1, 2`.execute(db);
  return r.rows.map((row) => ({ status: row.status, code: row.code ?? '', n: Number(row.n) }));
}

/** Changes waiting for a worker: how many, and how long the oldest due one has waited. */
export async function changeQueueFigures(
  db: Database,
): Promise<{ depth: number; due: number; lagSeconds: number }> {
  const r = await sql<{ depth: number; due: number; lag: number | null }>`
    SELECT count(*)::int8 AS depth,
           count(*) FILTER (WHERE COALESCE(next_attempt_at, created_at) <= now())::int8 AS due,
           extract(epoch FROM now() - min(COALESCE(next_attempt_at, created_at))
                   FILTER (WHERE COALESCE(next_attempt_at, created_at) <= now()))::float8 AS lag
    FROM change_requests WHERE status IN ('validated', 'applying')`.execute(db);
  const row = r.rows[0];
  return {
    depth: Number(row?.depth ?? 0),
    due: Number(row?.due ?? 0),
    lagSeconds: Math.max(0, Number(row?.lag ?? 0)),
  };
}

/** Events not yet published to NATS: how many, and the age of the oldest. */
export async function outboxFigures(
  db: Database,
): Promise<{ unpublished: number; lagSeconds: number }> {
  const r = await sql<{ n: number; lag: number | null }>`
    SELECT count(*)::int8 AS n, extract(epoch FROM now() - min(created_at))::float8 AS lag
    FROM outbox_events WHERE published_at IS NULL`.execute(db);
  const row = r.rows[0];
  return { unpublished: Number(row?.n ?? 0), lagSeconds: Math.max(0, Number(row?.lag ?? 0)) };
}

/** Deliveries by status, and how long the oldest due one has waited for its attempt. */
export async function webhookDeliveryFigures(
  db: Database,
): Promise<{ byStatus: Record<string, number>; lagSeconds: number }> {
  const r = await sql<{ status: string; n: number; lag: number | null }>`
    SELECT status, count(*)::int8 AS n,
           extract(epoch FROM now() - min(next_attempt_at)
                   FILTER (WHERE status IN ('pending', 'retrying') AND next_attempt_at <= now()))::float8 AS lag
    FROM webhook_deliveries GROUP BY status`.execute(db);
  const byStatus: Record<string, number> = {};
  let lag = 0;
  for (const row of r.rows) {
    byStatus[row.status] = Number(row.n);
    lag = Math.max(lag, Number(row.lag ?? 0));
  }
  return { byStatus, lagSeconds: lag };
}
