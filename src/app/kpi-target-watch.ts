/**
 * KPI_TARGET_MISSED (seed 002's targets): each tenant's KPIs measured over each target's own window
 * ending now, held against the targets; a target that becomes missed raises the event once, written
 * with the status it swaps in (the outbox carries it to webhooks, SSE and NATS).
 */
import { appendEvents } from '../db/outbox.js';
import { kpiCounts } from '../db/kpis.js';
import { swapKpiTargetState } from '../db/kpi-target-states.js';
import { listTenantIds } from '../db/tenants.js';
import { latestVerifyRun } from '../db/verify-runs.js';
import { assessKpiTargets, KPI_TARGET_NAMES, type KpiTargetStatus } from '../domain/kpi-targets.js';
import { percentile, ratio } from '../domain/stats.js';
import type { Deps } from './deps.js';
import { cachedSettings } from './reference-cache.js';

const HOUR = 3_600_000;

/** The statuses of one tenant's targets, each over its own window ending at `now`. */
export async function tenantTargetStatuses(
  deps: Deps,
  tenantId: string,
  now: Date,
): Promise<KpiTargetStatus[]> {
  const settings = await cachedSettings(deps.db, tenantId);
  if (!settings) return [];
  const targets = settings.kpiTargets;
  const [run, ...counts] = await Promise.all([
    latestVerifyRun(deps.db, tenantId),
    ...KPI_TARGET_NAMES.slice(0, 2).map((k) =>
      kpiCounts(deps.db, tenantId, new Date(now.getTime() - targets[k].windowHours * HOUR), now),
    ),
  ]);
  const [rate, resolution] = counts as [
    Awaited<ReturnType<typeof kpiCounts>>,
    Awaited<ReturnType<typeof kpiCounts>>,
  ];
  // An integrity run older than its window says nothing about now.
  const runFresh =
    run !== null &&
    now.getTime() - Date.parse(run.at) <= targets.integrityErrors.windowHours * HOUR;
  return assessKpiTargets(
    {
      modificationRate: rate.ordersCreated ? ratio(rate.ordersModified, rate.ordersCreated) : null,
      resolutionMsP50: percentile(resolution.resolutionMs, 50),
      integrityErrors: runFresh ? run.findings : null,
    },
    targets,
  );
}

/** Checks every tenant; answers the events raised (for the log and the tests). */
export async function checkKpiTargets(deps: Deps): Promise<{ tenantId: string; kpi: string }[]> {
  const now = deps.clock();
  const raised: { tenantId: string; kpi: string }[] = [];
  for (const tenantId of await listTenantIds(deps.db)) {
    const statuses = await tenantTargetStatuses(deps, tenantId, now);
    await deps.db.transaction().execute(async (tx) => {
      for (const s of statuses) {
        const before = await swapKpiTargetState(tx, tenantId, s.kpi, { ...s, at: now });
        if (s.status !== 'missed' || before === 'missed') continue;
        await appendEvents(tx, tenantId, [
          {
            id: deps.ids('evt'),
            type: 'KPI_TARGET_MISSED',
            data: {
              kpi: s.kpi,
              target: s.target,
              actual: s.actual,
              windowHours: s.windowHours,
              from: new Date(now.getTime() - s.windowHours * HOUR).toISOString(),
              to: now.toISOString(),
              detail: s.detail,
            },
          },
        ]);
        raised.push({ tenantId, kpi: s.kpi });
      }
    });
  }
  return raised;
}
