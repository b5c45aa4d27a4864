/**
 * The supervisors' numbers (API.md §5, PRODUCT.md §6): modification rate, edit resolution time,
 * rejections by code, changes by app and channel, integrity errors, unacknowledged rejections.
 */
import { kpiCounts } from '../db/kpis.js';
import { intakeKpis } from './intake-health.js';
import { lastIntegrityRun } from './integrity.js';
import { assessKpiTargets } from '../domain/kpi-targets.js';
import { percentile, ratio } from '../domain/stats.js';
import { readSettings } from './settings.js';
import type { Actor, Deps } from './deps.js';
import { refuse } from './refused-error.js';

const DAY = 86_400_000;

const tally = <T>(rows: T[], key: (r: T) => string | null, n: (r: T) => number) => {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const k = key(r);
    if (k !== null) out[k] = (out[k] ?? 0) + n(r);
  }
  return out;
};

/** `apps` / `excludeApps`: only the changes these apps asked for, or all but theirs (bulk apart). */
export async function kpis(
  deps: Deps,
  actor: Actor,
  range: { from?: string; to?: string; apps?: string[]; excludeApps?: string[] },
) {
  const to = range.to ? new Date(range.to) : deps.clock();
  const from = range.from ? new Date(range.from) : new Date(to.getTime() - 30 * DAY);
  if (from.getTime() > to.getTime())
    refuse('REQUEST_INVALID', `from (${from.toISOString()}) is after to (${to.toISOString()}).`, {
      errors: [{ field: 'from', code: 'REQUEST_INVALID', detail: 'from must not be after to.' }],
    });
  const [c, intake, settings] = await Promise.all([
    kpiCounts(deps.db, actor.tenantId, from, to, {
      ...(range.apps ? { include: range.apps } : {}),
      ...(range.excludeApps ? { exclude: range.excludeApps } : {}),
    }),
    intakeKpis(deps, actor.tenantId, from, to),
    readSettings(deps, actor),
  ]);
  // Never null: the server checks integrity itself when no run was recorded yet (app/integrity.ts).
  let integrity = c.integrity;
  if (!integrity) {
    const run = await lastIntegrityRun(deps, actor);
    integrity = { findings: run.findings, at: run.at, ordersChecked: run.ordersChecked };
  }
  const n = (r: { n: number }) => r.n;
  const p50 = percentile(c.resolutionMs, 50);
  const days = tally(c.changes, (r) => r.day, n);
  const rejectedDays = tally(
    c.changes.filter((r) => r.status === 'rejected'),
    (r) => r.day,
    n,
  );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    modificationRate: ratio(c.ordersModified, c.ordersCreated),
    ordersCreated: c.ordersCreated,
    ordersModified: c.ordersModified,
    resolutionMs: {
      p50,
      p90: percentile(c.resolutionMs, 90),
      count: c.resolutionMs.length,
    },
    rejectionsByCode: tally(
      c.changes.filter((r) => r.status === 'rejected'),
      (r) => r.code ?? 'UNKNOWN',
      n,
    ),
    changesByApp: tally(c.changes, (r) => r.app, n),
    changesByChannel: tally(c.changes, (r) => r.channel, n),
    changesByStatus: tally(c.changes, (r) => r.status, n),
    integrityErrors: integrity.findings,
    lastVerify: integrity,
    unacknowledgedRejections: c.unacknowledgedRejections,
    intake,
    // The page's range is the targets' window here; KPI_TARGET_MISSED uses each target's own.
    targets: assessKpiTargets(
      {
        modificationRate: c.ordersCreated ? ratio(c.ordersModified, c.ordersCreated) : null,
        resolutionMsP50: p50,
        integrityErrors: integrity.findings,
      },
      settings.kpiTargets,
    ),
    daily: Object.keys(days)
      .sort()
      .map((date) => ({ date, changes: days[date] ?? 0, rejected: rejectedDays[date] ?? 0 })),
  };
}
