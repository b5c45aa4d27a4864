/**
 * Health per source (INTAKE.md §4), the same figures for /metrics, and the intake KPIs: success
 * rate, dead letters by code, time to recover (dead-lettered → imported).
 */
import { healthFacts, intakeKpiCounts } from '../db/intake-health.js';
import { listAllSources } from '../db/sources.js';
import { healthOf, type Health } from '../domain/intake/health.js';
import type { Source } from '../domain/intake/source.js';
import { percentile, ratio } from '../domain/stats.js';
import type { Deps } from './deps.js';

export async function sourceHealth(deps: Deps, tenantId: string, source: Source): Promise<Health> {
  const now = deps.clock().toISOString();
  return healthOf(
    await healthFacts(deps.db, tenantId, source.id, now),
    source.expectedIntervalSeconds,
    now,
  );
}

const STATUS_VALUE = { healthy: 0, degraded: 1, silent: 2, down: 3 } as const;
const label = (v: string) => v.replace(/["\\\n]/g, '_');

/** Prometheus lines for every source of every tenant (registered in src/http/metrics.ts). */
export async function intakeHealthMetrics(deps: Deps): Promise<string[]> {
  const sources = await listAllSources(deps.db);
  const series: Record<string, { help: string; type: 'gauge'; values: string[] }> = {
    amend_intake_source_status: {
      help: 'Source health: 0 healthy, 1 degraded, 2 silent, 3 down.',
      type: 'gauge',
      values: [],
    },
    amend_intake_received_24h: {
      help: 'Intake records received in the last 24 h.',
      type: 'gauge',
      values: [],
    },
    amend_intake_imported_24h: {
      help: 'Orders imported in the last 24 h.',
      type: 'gauge',
      values: [],
    },
    amend_intake_dead_lettered_24h: {
      help: 'Records dead-lettered in the last 24 h.',
      type: 'gauge',
      values: [],
    },
    amend_intake_open_dead_letters: {
      help: 'Dead letters waiting for a person.',
      type: 'gauge',
      values: [],
    },
    amend_intake_retrying: { help: 'Records waiting for a retry.', type: 'gauge', values: [] },
    amend_intake_error_rate_1h: {
      help: 'Share of the last hour’s records that failed.',
      type: 'gauge',
      values: [],
    },
    amend_intake_lag_p99_ms: {
      help: 'Receipt to import, 99th percentile over 24 h, in ms.',
      type: 'gauge',
      values: [],
    },
  };
  for (const { tenantId, source } of sources) {
    const h = await sourceHealth(deps, tenantId, source);
    const l = `{tenant="${label(tenantId)}",source="${label(source.id)}",kind="${source.kind}"}`;
    const put = (name: string, v: number | null) =>
      series[name]?.values.push(`${name}${l} ${v ?? 'NaN'}`);
    put('amend_intake_source_status', STATUS_VALUE[h.status]);
    put('amend_intake_received_24h', h.received24h);
    put('amend_intake_imported_24h', h.imported24h);
    put('amend_intake_dead_lettered_24h', h.deadLettered24h);
    put('amend_intake_open_dead_letters', h.openDeadLetters);
    put('amend_intake_retrying', h.retrying);
    put('amend_intake_error_rate_1h', h.errorRate1h);
    put('amend_intake_lag_p99_ms', h.lagMs.p99);
  }
  return Object.entries(series).flatMap(([name, s]) => [
    `# HELP ${name} ${s.help}`,
    `# TYPE ${name} ${s.type}`,
    ...s.values,
  ]);
}

export async function intakeKpis(deps: Deps, tenantId: string, from: Date, to: Date) {
  const c = await intakeKpiCounts(deps.db, tenantId, from, to);
  return {
    received: c.received,
    imported: c.imported,
    successRate: ratio(c.imported, c.received),
    deadLettersByCode: c.deadLettersByCode,
    timeToRecoverMs: {
      p50: percentile(c.recoverMs, 50),
      p90: percentile(c.recoverMs, 90),
      count: c.recoverMs.length,
    },
  };
}
