/** The simulator's rules and ledger (migrations/0005). */
import { sql } from 'kysely';
import type { Database } from './database.js';

export type SimulatedFailure = 'none' | 'decline' | 'timeout' | 'unavailable';
export interface SimulatorRule {
  method: string;
  failure: SimulatedFailure;
  remaining: number | null;
  latencyMs: number;
}
export interface LedgerEntry {
  key: string;
  outcome: 'succeeded' | 'declined';
  reference: string;
  detail: string | null;
}

export async function putRule(db: Database, tenantId: string, rule: SimulatorRule): Promise<void> {
  await db
    .insertInto('payment_simulator_rules')
    .values({
      tenant_id: tenantId,
      method: rule.method,
      failure: rule.failure,
      remaining: rule.remaining,
      latency_ms: rule.latencyMs,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'method']).doUpdateSet({
        failure: rule.failure,
        remaining: rule.remaining,
        latency_ms: rule.latencyMs,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

export async function listRules(db: Database, tenantId: string): Promise<SimulatorRule[]> {
  const rows = await db
    .selectFrom('payment_simulator_rules')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('method')
    .execute();
  return rows.map((r) => ({
    method: r.method,
    failure: r.failure as SimulatedFailure,
    remaining: r.remaining,
    latencyMs: r.latency_ms,
  }));
}

/** The latency of the method, and the failure this call meets (one of `remaining` is used up). */
export async function takeFailure(
  db: Database,
  tenantId: string,
  method: string,
): Promise<{ failure: SimulatedFailure; latencyMs: number }> {
  const taken = await sql<{ failure: SimulatedFailure; latency_ms: number }>`
    UPDATE payment_simulator_rules SET remaining = remaining - 1
    WHERE tenant_id = ${tenantId} AND method = ${method} AND failure <> 'none' AND (remaining IS NULL OR remaining > 0)
    RETURNING failure, latency_ms`.execute(db);
  const hit = taken.rows[0];
  if (hit) return { failure: hit.failure, latencyMs: hit.latency_ms };
  const rule = await db
    .selectFrom('payment_simulator_rules')
    .select('latency_ms')
    .where('tenant_id', '=', tenantId)
    .where('method', '=', method)
    .executeTakeFirst();
  return { failure: 'none', latencyMs: rule?.latency_ms ?? 0 };
}

export async function findLedger(
  db: Database,
  tenantId: string,
  key: string,
): Promise<LedgerEntry | undefined> {
  const row = await db
    .selectFrom('payment_simulator_ledger')
    .select(['key', 'outcome', 'reference', 'detail'])
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row
    ? {
        key: row.key,
        outcome: row.outcome as LedgerEntry['outcome'],
        reference: row.reference,
        detail: row.detail,
      }
    : undefined;
}

/** Records an answer; a concurrent call with the same key keeps the first one, which is returned. */
export async function recordLedger(
  db: Database,
  tenantId: string,
  entry: LedgerEntry & { paymentId: string; method: string; action: string; amount: number },
): Promise<LedgerEntry> {
  await db
    .insertInto('payment_simulator_ledger')
    .values({
      tenant_id: tenantId,
      key: entry.key,
      payment_id: entry.paymentId,
      method: entry.method,
      action: entry.action,
      amount: entry.amount,
      outcome: entry.outcome,
      reference: entry.reference,
      detail: entry.detail,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
    .execute();
  return (await findLedger(db, tenantId, entry.key)) as LedgerEntry;
}
