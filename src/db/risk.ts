/**
 * The risk model's storage (docs/risk.md): versioned models, labelled decisions, the harvest of
 * decisions from finished changes, and the one read a change is scored with (model + activity).
 */
import { sql } from 'kysely';
import type { LabelledDecision, RiskModel } from '../domain/risk/model.js';
import type { Evaluation } from '../domain/risk/evaluation.js';
import type { RiskInput, OperationGroup } from '../domain/risk/features.js';
import { OPERATION_GROUPS } from '../domain/risk/features.js';
import type { ActivityRow } from '../domain/risk/unusual-actor.js';
import type { Database } from './database.js';

export interface StoredModel {
  model: RiskModel;
  evaluation: Evaluation | null;
}

export type DecisionOutcome =
  'approved' | 'rejected' | 'payment-failed' | 'seller-refused' | 'undone' | 'clean';

export interface DecisionRow extends LabelledDecision {
  actorId: string;
  role: string;
  primaryOp: string;
  decidedAt: string;
  outcome: DecisionOutcome;
  modelVersion: number | null;
  source: 'change' | 'demo';
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

export async function insertModel(
  db: Database,
  tenantId: string,
  stored: StoredModel,
): Promise<void> {
  await db
    .insertInto('risk_models')
    .values({
      tenant_id: tenantId,
      version: stored.model.version,
      trained_at: stored.model.trainedAt,
      decisions: stored.model.decisions,
      model: JSON.stringify(stored.model),
      evaluation: stored.evaluation ? JSON.stringify(stored.evaluation) : null,
    })
    .execute();
}

export async function latestModel(db: Database, tenantId: string): Promise<StoredModel | null> {
  const row = await db
    .selectFrom('risk_models')
    .select(['model', 'evaluation'])
    .where('tenant_id', '=', tenantId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row
    ? { model: row.model as RiskModel, evaluation: (row.evaluation as Evaluation | null) ?? null }
    : null;
}

export async function nextModelVersion(db: Database, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('risk_models')
    .select(sql<number>`coalesce(max(version), 0) + 1`.as('next'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.next);
}

export async function insertDecisions(
  db: Database,
  tenantId: string,
  rows: readonly DecisionRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('risk_decisions')
      .values(
        rows.slice(i, i + 500).map((d) => ({
          tenant_id: tenantId,
          change_id: d.changeId,
          actor_id: d.actorId,
          role: d.role,
          primary_op: d.primaryOp,
          requested_at: d.at,
          decided_at: d.decidedAt,
          outcome: d.outcome,
          label: d.label,
          input: JSON.stringify(d.input),
          rules_score: d.rulesScore,
          model_version: d.modelVersion,
          source: d.source,
        })),
      )
      .onConflict((oc) => oc.columns(['tenant_id', 'change_id']).doNothing())
      .execute();
  }
}

export async function listDecisions(db: Database, tenantId: string): Promise<DecisionRow[]> {
  const rows = await db
    .selectFrom('risk_decisions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('requested_at')
    .orderBy('change_id')
    .execute();
  return rows.map((r) => ({
    changeId: r.change_id,
    at: iso(r.requested_at),
    input: r.input as RiskInput,
    label: r.label === 1 ? 1 : 0,
    rulesScore: r.rules_score,
    actorId: r.actor_id,
    role: r.role,
    primaryOp: r.primary_op,
    decidedAt: iso(r.decided_at),
    outcome: r.outcome as DecisionOutcome,
    modelVersion: r.model_version,
    source: r.source as DecisionRow['source'],
  }));
}

export async function countDecisions(db: Database, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('risk_decisions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Finished changes that were scored and are not stored as decisions yet, with their label: a
 * supervisor's rejection, a declined or failed payment, a seller's refusal, an undo within 24 h
 * (bad); a supervisor's approval, or an applied change 24 h old and not undone (good).
 */
export async function harvestDecisions(db: Database, tenantId: string, now: Date): Promise<number> {
  const result = await sql`
    INSERT INTO risk_decisions (tenant_id, change_id, actor_id, role, primary_op, requested_at, decided_at,
      outcome, label, input, rules_score, model_version, source)
    SELECT tenant_id, id, actor_id, role, primary_op, created_at, updated_at, outcome,
      CASE WHEN outcome IN ('approved', 'clean') THEN 0 ELSE 1 END, input, rules_score, model_version, 'change'
    FROM (
      SELECT c.tenant_id, c.id, c.requested_by->>'actorId' AS actor_id, c.requested_by->>'role' AS role,
        c.operations->0->>'op' AS primary_op, c.created_at, c.updated_at,
        c.approval->'risk'->'input' AS input, (c.approval->>'score')::int4 AS rules_score,
        (c.approval->'risk'->>'modelVersion')::int4 AS model_version,
        CASE
          WHEN c.outcome->>'code' = 'APPROVAL_REJECTED' THEN 'rejected'
          WHEN c.outcome->>'code' = 'SELLER_REFUSED' THEN 'seller-refused'
          WHEN c.status = 'failed' OR c.outcome->>'code' = 'PAYMENT_DECLINED' THEN 'payment-failed'
          WHEN c.status = 'applied' AND EXISTS (SELECT 1 FROM change_requests u
            WHERE u.tenant_id = c.tenant_id AND u.undo_of = c.id AND u.status = 'applied'
              AND u.created_at <= c.updated_at + interval '24 hours') THEN 'undone'
          -- The model's own approvals are no label (it would learn from itself): they wait to be 'clean'.
          WHEN c.status = 'applied' AND c.approval->>'decision' = 'approved'
            AND c.approval->>'decidedBy' NOT LIKE 'model:%' THEN 'approved'
          WHEN c.status = 'applied' AND c.updated_at <= ${now.toISOString()}::timestamptz - interval '24 hours' THEN 'clean'
        END AS outcome
      FROM change_requests c
      WHERE c.tenant_id = ${tenantId} AND c.approval->'risk'->'input' IS NOT NULL
        AND c.status IN ('applied', 'rejected', 'failed')
        AND NOT EXISTS (SELECT 1 FROM risk_decisions d WHERE d.tenant_id = c.tenant_id AND d.change_id = c.id)
    ) labelled
    WHERE outcome IS NOT NULL
    ON CONFLICT DO NOTHING`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** The SQL CASE that names an operation's group (features.ts is the one list). */
const groupCase = (column: string) =>
  sql.raw(
    `CASE ${Object.entries(OPERATION_GROUPS)
      .map(([g, ops]) => `WHEN ${column} IN (${ops.map((o) => `'${o}'`).join(', ')}) THEN '${g}'`)
      .join(' ')} ELSE 'attributes' END`,
  );

export interface RiskSnapshot {
  model: RiskModel | null;
  activity: ActivityRow[];
}

/**
 * The one read a change is scored with: the tenant's latest model and every requester's activity
 * per operation group over 30 days (changes, and the demo history), in a single statement.
 */
export async function readRiskSnapshot(
  db: Database,
  tenantId: string,
  opts: { now: Date; windowMinutes: number },
): Promise<RiskSnapshot> {
  const now = opts.now.toISOString();
  const windowSeconds = opts.windowMinutes * 60;
  const row = (
    await sql<{ model: RiskModel | null; activity: ActivityRow[] | null }>`
    WITH ev AS (
      SELECT requested_by->>'actorId' AS actor, requested_by->>'role' AS role,
        ${groupCase("operations->0->>'op'")} AS grp, created_at AS at, (status = 'rejected') AS rejected
      FROM change_requests
      WHERE tenant_id = ${tenantId} AND created_at > ${now}::timestamptz - interval '30 days'
      UNION ALL
      SELECT actor_id, role, ${groupCase('primary_op')}, requested_at, outcome = 'rejected'
      FROM risk_decisions
      WHERE tenant_id = ${tenantId} AND source = 'demo' AND requested_at > ${now}::timestamptz - interval '30 days'
    ), buckets AS (
      SELECT actor, grp, floor(extract(epoch FROM at) / ${windowSeconds}) AS bucket, count(*) AS n,
        min(at) AS first_at, bool_or(at > ${now}::timestamptz - interval '24 hours') AS today
      FROM ev GROUP BY actor, grp, bucket
    ), per_group AS (
      SELECT actor, grp,
        coalesce(sum(n) FILTER (WHERE NOT today), 0)::int4 AS past_events,
        count(*) FILTER (WHERE NOT today)::int4 AS past_windows,
        coalesce(max(n) FILTER (WHERE today), 0)::int4 AS peak
      FROM buckets GROUP BY actor, grp
    ), counts AS (
      SELECT actor, grp, min(role) AS role, count(*)::int4 AS total,
        count(*) FILTER (WHERE rejected)::int4 AS rejected,
        count(*) FILTER (WHERE at > ${now}::timestamptz - make_interval(secs => ${windowSeconds}))::int4 AS recent
      FROM ev GROUP BY actor, grp
    )
    SELECT
      (SELECT model FROM risk_models WHERE tenant_id = ${tenantId} ORDER BY version DESC LIMIT 1) AS model,
      (SELECT json_agg(json_build_object('actorId', c.actor, 'role', c.role, 'group', c.grp,
          'pastEvents', p.past_events, 'pastWindows', p.past_windows, 'recent', c.recent,
          'peak', p.peak, 'peakAt', (SELECT to_char(min(b.first_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
             FROM buckets b WHERE b.actor = c.actor AND b.grp = c.grp AND b.today AND b.n = p.peak),
          'rejected', c.rejected, 'total', c.total))
        FROM counts c JOIN per_group p ON p.actor = c.actor AND p.grp = c.grp) AS activity`.execute(
      db,
    )
  ).rows[0];
  return {
    model: row?.model ?? null,
    activity: (row?.activity ?? []).map((a) => ({ ...a, group: a.group as OperationGroup })),
  };
}

/** Tenants whose latest model is older than `olderThanMs` (or who have none): due for training. */
export async function tenantsDueForTraining(
  db: Database,
  now: Date,
  olderThanMs: number,
): Promise<string[]> {
  const cutoff = new Date(now.getTime() - olderThanMs).toISOString();
  const rows = await sql<{ id: string }>`
    SELECT t.id FROM tenants t
    WHERE coalesce((SELECT max(m.trained_at) FROM risk_models m WHERE m.tenant_id = t.id),
      '-infinity'::timestamptz) < ${cutoff}::timestamptz
    ORDER BY t.id`.execute(db);
  return rows.rows.map((r) => r.id);
}
