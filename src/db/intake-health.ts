/** The figures behind a source's health (INTAKE.md §4) and the intake KPIs, from its intake records. */
import { sql, type Kysely } from 'kysely';
import type { HealthFacts } from '../domain/intake/health.js';
import type { DB } from './schema.js';

type Executor = Kysely<DB>;
const FAILED = sql`status IN ('dead-lettered', 'retrying', 'discarded')`;
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

export async function healthFacts(
  db: Executor,
  tenantId: string,
  sourceId: string,
  now: string,
): Promise<HealthFacts> {
  const day = sql`${now}::timestamptz - interval '24 hours'`;
  const [last, counts, outcomes, lags] = await Promise.all([
    sql<{ last_received: unknown; last_imported: unknown }>`
      SELECT (SELECT received_at FROM intake_records WHERE tenant_id = ${tenantId} AND source_id = ${sourceId}
                ORDER BY received_at DESC LIMIT 1) AS last_received,
             (SELECT imported_at FROM intake_records WHERE tenant_id = ${tenantId} AND source_id = ${sourceId}
                AND imported_at IS NOT NULL ORDER BY imported_at DESC LIMIT 1) AS last_imported`.execute(
      db,
    ),
    // The last day's records and the open failures only: the index on received_at and a partial one.
    sql<Record<string, unknown>>`
      SELECT
        count(*) FILTER (WHERE received_at > ${day})::int4 AS received24,
        count(*) FILTER (WHERE status = 'imported' AND duplicate_of IS NULL AND imported_at > ${day})::int4 AS imported24,
        count(*) FILTER (WHERE dead_lettered_at > ${day})::int4 AS dead24,
        count(*) FILTER (WHERE status = 'imported' AND duplicate_of IS NOT NULL AND imported_at > ${day})::int4 AS dup24,
        count(*) FILTER (WHERE received_at > ${now}::timestamptz - interval '1 hour' AND (status = 'imported' OR ${FAILED}))::int4 AS finished1,
        count(*) FILTER (WHERE received_at > ${now}::timestamptz - interval '1 hour' AND ${FAILED})::int4 AS failed1,
        count(*) FILTER (WHERE status = 'dead-lettered')::int4 AS open_dead,
        count(*) FILTER (WHERE status = 'retrying')::int4 AS retrying
      FROM intake_records WHERE tenant_id = ${tenantId} AND source_id = ${sourceId}
        AND (received_at > ${day} OR imported_at > ${day} OR status IN ('dead-lettered', 'retrying'))`.execute(
      db,
    ),
    sql<{ ok: boolean }>`
      SELECT status = 'imported' AS ok FROM intake_records
      WHERE tenant_id = ${tenantId} AND source_id = ${sourceId} AND (status = 'imported' OR ${FAILED})
      ORDER BY seq DESC LIMIT 10`.execute(db),
    sql<{ ms: number }>`
      SELECT (extract(epoch FROM imported_at - received_at) * 1000)::float8 AS ms FROM intake_records
      WHERE tenant_id = ${tenantId} AND source_id = ${sourceId} AND status = 'imported' AND duplicate_of IS NULL
        AND imported_at > ${now}::timestamptz - interval '24 hours'`.execute(db),
  ]);
  const c = counts.rows[0] ?? {};
  const n = (k: string) => Number(c[k] ?? 0);
  return {
    lastReceivedAt: iso(last.rows[0]?.last_received),
    lastImportedAt: iso(last.rows[0]?.last_imported),
    received24h: n('received24'),
    imported24h: n('imported24'),
    deadLettered24h: n('dead24'),
    duplicates24h: n('dup24'),
    finished1h: n('finished1'),
    failed1h: n('failed1'),
    openDeadLetters: n('open_dead'),
    retrying: n('retrying'),
    lastOutcomes: outcomes.rows.map((r) => Boolean(r.ok)),
    lagsMs: lags.rows.map((r) => Number(r.ms)),
  };
}

export interface IntakeKpiCounts {
  received: number;
  imported: number;
  deadLettersByCode: Record<string, number>;
  recoverMs: number[];
}

/** Records received in [from, to): how many imported, the dead letters' codes, dead-lettered → imported times. */
export async function intakeKpiCounts(
  db: Executor,
  tenantId: string,
  from: Date,
  to: Date,
): Promise<IntakeKpiCounts> {
  const [totals, codes, recover] = await Promise.all([
    sql<{ received: number; imported: number }>`
      SELECT count(*)::int4 AS received, count(*) FILTER (WHERE status = 'imported' AND duplicate_of IS NULL)::int4 AS imported
      FROM intake_records WHERE tenant_id = ${tenantId} AND received_at >= ${from} AND received_at < ${to}
        AND (duplicate_of IS NULL)`.execute(db),
    sql<{ code: string; n: number }>`
      SELECT e->>'code' AS code, count(*)::int4 AS n
      FROM intake_records r, LATERAL (SELECT h AS e FROM jsonb_array_elements(r.history) h WHERE h->>'status' = 'dead-lettered' LIMIT 1) first
      WHERE r.tenant_id = ${tenantId} AND r.received_at >= ${from} AND r.received_at < ${to}
      GROUP BY 1`.execute(db),
    sql<{ ms: number }>`
      SELECT (extract(epoch FROM imported_at - dead_lettered_at) * 1000)::float8 AS ms FROM intake_records
      WHERE tenant_id = ${tenantId} AND received_at >= ${from} AND received_at < ${to}
        AND status = 'imported' AND dead_lettered_at IS NOT NULL`.execute(db),
  ]);
  return {
    received: Number(totals.rows[0]?.received ?? 0),
    imported: Number(totals.rows[0]?.imported ?? 0),
    deadLettersByCode: Object.fromEntries(
      codes.rows.map((r) => [r.code ?? 'UNKNOWN', Number(r.n)]),
    ),
    recoverMs: recover.rows.map((r) => Number(r.ms)).filter((ms) => Number.isFinite(ms)),
  };
}
