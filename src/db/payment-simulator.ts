/** The simulator's rules and ledger (migrations/0005). */
import { sql } from 'kysely';
import type { Database } from './database.js';
import { PREPARED } from './prepared.js';

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

export interface OpenedCall {
  /** The first answer to this key, when the key was called before (nothing else is then read). */
  known: LedgerEntry | undefined;
  /** The failure this call meets (one of the rule's `remaining` is used up), and the method's latency. */
  failure: SimulatedFailure;
  latencyMs: number;
  /** For a reversal: the outcome of the call it reverses, if that call reached the ledger. */
  reversedOutcome: LedgerEntry['outcome'] | undefined;
}

/**
 * What a simulated call needs before it answers, in one statement: its earlier answer, else the
 * failure it meets and the method's latency, and for a reversal the call it reverses.
 */
export async function openCall(
  db: Database,
  tenantId: string,
  key: string,
  method: string,
  reverses: string | null,
): Promise<OpenedCall> {
  const row = (
    await sql<{
      known: { key: string; outcome: string; reference: string; detail: string | null } | null;
      failure: SimulatedFailure | null;
      latency_ms: number | null;
      reversed: string | null;
    }>`${PREPARED}WITH known AS (
        SELECT key, outcome, reference, detail FROM payment_simulator_ledger WHERE tenant_id = ${tenantId} AND key = ${key}),
      taken AS (
        UPDATE payment_simulator_rules SET remaining = remaining - 1
        WHERE tenant_id = ${tenantId} AND method = ${method} AND failure <> 'none' AND (remaining IS NULL OR remaining > 0)
          AND NOT EXISTS (SELECT 1 FROM known)
        RETURNING failure, latency_ms)
      SELECT (SELECT row_to_json(known) FROM known) AS known, (SELECT failure FROM taken) AS failure,
        COALESCE((SELECT latency_ms FROM taken),
          (SELECT latency_ms FROM payment_simulator_rules WHERE tenant_id = ${tenantId} AND method = ${method})) AS latency_ms,
        (SELECT outcome FROM payment_simulator_ledger WHERE tenant_id = ${tenantId} AND key = ${reverses}::text) AS reversed`.execute(
      db,
    )
  ).rows[0];
  const known = row?.known;
  return {
    known: known
      ? {
          key: known.key,
          outcome: known.outcome as LedgerEntry['outcome'],
          reference: known.reference,
          detail: known.detail,
        }
      : undefined,
    failure: row?.failure ?? 'none',
    latencyMs: Number(row?.latency_ms ?? 0),
    reversedOutcome: (row?.reversed ?? undefined) as LedgerEntry['outcome'] | undefined,
  };
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
  const inserted = (
    await sql<LedgerEntry>`${PREPARED}INSERT INTO payment_simulator_ledger
        (tenant_id, key, payment_id, method, action, amount, outcome, reference, detail)
      VALUES (${tenantId}, ${entry.key}, ${entry.paymentId}, ${entry.method}, ${entry.action}, ${entry.amount},
        ${entry.outcome}, ${entry.reference}, ${entry.detail})
      ON CONFLICT (tenant_id, key) DO NOTHING
      RETURNING key, outcome, reference, detail`.execute(db)
  ).rows[0];
  // The key was taken first by a concurrent call: its answer stands.
  return inserted ?? ((await findLedger(db, tenantId, entry.key)) as LedgerEntry);
}
