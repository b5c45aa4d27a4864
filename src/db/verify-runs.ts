/** The stored integrity runs (migrations/0007): the last one per tenant, and when any last ran. */
import { sql } from 'kysely';
import type { Database } from './database.js';

export interface StoredVerifyRun {
  id: string;
  at: string;
  ordersChecked: number;
  findings: number;
  violations: { rule: string; orderId: string; detail: string }[];
}

export async function latestVerifyRun(
  db: Database,
  tenantId: string,
): Promise<StoredVerifyRun | null> {
  const row = await db
    .selectFrom('verify_runs')
    .select(['id', 'at', 'orders_checked', 'findings', 'details'])
    .where('tenant_id', '=', tenantId)
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const details = (row.details ?? []) as { rule: string; orderId: string; detail: string }[];
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    ordersChecked: row.orders_checked,
    findings: row.findings,
    violations: details.map(({ rule, orderId, detail }) => ({ rule, orderId, detail })),
  };
}

/** Seconds since any process last recorded a run, or null when none ever did. */
export async function secondsSinceLastVerify(db: Database): Promise<number | null> {
  const r = await sql<{ s: number | null }>`
    SELECT extract(epoch FROM now() - max(at))::float8 AS s FROM verify_runs`.execute(db);
  const s = r.rows[0]?.s;
  return s === null || s === undefined ? null : Number(s);
}
