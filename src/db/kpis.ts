/** The counts behind GET /v1/kpis (API.md §5), one tenant, one time range [from, to). */
import { sql } from 'kysely';
import type { Database } from './database.js';
import { unacknowledgedOutcomes } from './inbox.js';

export interface KpiCounts {
  ordersCreated: number;
  ordersModified: number;
  changes: {
    status: string;
    code: string | null;
    app: string;
    channel: string;
    day: string;
    n: number;
  }[];
  resolutionMs: number[];
  integrity: { findings: number; at: string; ordersChecked: number } | null;
  unacknowledgedRejections: number;
}

/** Which requesting apps count (`bulk` apart, for instance): none given → every app. */
export interface AppFilter {
  include?: readonly string[];
  exclude?: readonly string[];
}

const byApp = (apps: AppFilter) =>
  sql.join(
    [
      sql`true`,
      ...(apps.include?.length
        ? [sql`c.requested_by->>'app' IN (${sql.join([...apps.include])})`]
        : []),
      ...(apps.exclude?.length
        ? [sql`c.requested_by->>'app' NOT IN (${sql.join([...apps.exclude])})`]
        : []),
    ],
    sql` AND `,
  );

export async function kpiCounts(
  db: Database,
  tenantId: string,
  from: Date,
  to: Date,
  apps: AppFilter = {},
): Promise<KpiCounts> {
  const appMatches = byApp(apps);
  const [orders, changes, resolution, integrity, unacked] = await Promise.all([
    sql<{ created: number; modified: number }>`
      SELECT count(*)::int4 AS created,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM change_requests c WHERE c.tenant_id = o.tenant_id AND c.order_id = o.id AND c.status = 'applied' AND ${appMatches}))::int4 AS modified
      FROM orders o WHERE o.tenant_id = ${tenantId} AND o.created_at >= ${from} AND o.created_at < ${to}`.execute(
      db,
    ),
    sql<{
      status: string;
      code: string | null;
      app: string;
      channel: string;
      day: string;
      n: number;
    }>`
      SELECT c.status, c.outcome->>'code' AS code, c.requested_by->>'app' AS app, o.channel,
             to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int4 AS n
      FROM change_requests c JOIN orders o ON o.tenant_id = c.tenant_id AND o.id = c.order_id
      WHERE c.tenant_id = ${tenantId} AND c.created_at >= ${from} AND c.created_at < ${to} AND ${appMatches}
      GROUP BY 1, 2, 3, 4, 5`.execute(db),
    // Final transition − first received, for changes that reached a final status.
    sql<{ ms: number }>`
      SELECT (extract(epoch FROM (SELECT max((t->>'at')::timestamptz) FROM jsonb_array_elements(c.transitions) t
                                   WHERE t->>'status' IN ('applied', 'rejected', 'failed', 'canceled'))
                               - (SELECT min((t->>'at')::timestamptz) FROM jsonb_array_elements(c.transitions) t
                                   WHERE t->>'status' = 'received')) * 1000)::float8 AS ms
      FROM change_requests c
      WHERE c.tenant_id = ${tenantId} AND c.created_at >= ${from} AND c.created_at < ${to}
        AND c.status IN ('applied', 'rejected', 'failed', 'canceled') AND ${appMatches}`.execute(
      db,
    ),
    db
      .selectFrom('verify_runs')
      .select(['findings', 'at', 'orders_checked'])
      .where('tenant_id', '=', tenantId)
      .orderBy('at', 'desc')
      .limit(1)
      .executeTakeFirst(),
    sql<{ n: number | string }>`
      SELECT ${unacknowledgedOutcomes(['rejected'])} AS n
      FROM inbox_entries WHERE tenant_id = ${tenantId} AND acknowledged_at IS NULL`.execute(db),
  ]);
  const o = orders.rows[0] ?? { created: 0, modified: 0 };
  return {
    ordersCreated: Number(o.created),
    ordersModified: Number(o.modified),
    changes: changes.rows.map((r) => ({ ...r, n: Number(r.n) })),
    resolutionMs: resolution.rows.map((r) => Number(r.ms)).filter((ms) => Number.isFinite(ms)),
    integrity: integrity
      ? {
          findings: integrity.findings,
          at: new Date(integrity.at).toISOString(),
          ordersChecked: integrity.orders_checked,
        }
      : null,
    unacknowledgedRejections: Number(unacked.rows[0]?.n ?? 0),
  };
}
