/**
 * A source's health (INTAKE.md §4) from its recent records: `down` when the last 10 in a row
 * failed, `silent` when nothing arrived within `expectedIntervalSeconds`, `degraded` when over 5 %
 * failed in the last hour or dead letters are open, `healthy` otherwise.
 */
import { percentile, ratio } from '../stats.js';

export type HealthStatus = 'healthy' | 'degraded' | 'down' | 'silent';

export interface HealthFacts {
  lastReceivedAt: string | null;
  lastImportedAt: string | null;
  received24h: number;
  imported24h: number;
  deadLettered24h: number;
  duplicates24h: number;
  /** Records received in the last hour that reached an outcome, and those of them that failed. */
  finished1h: number;
  failed1h: number;
  openDeadLetters: number;
  retrying: number;
  /** Outcomes of the last records, newest first: true = imported. */
  lastOutcomes: boolean[];
  /** Receipt → import, in ms, of the last day's imports. */
  lagsMs: number[];
}

export interface Health extends Omit<
  HealthFacts,
  'finished1h' | 'failed1h' | 'lastOutcomes' | 'lagsMs'
> {
  status: HealthStatus;
  errorRate1h: number;
  lagMs: { p50: number | null; p99: number | null };
}

export function healthOf(
  facts: HealthFacts,
  expectedIntervalSeconds: number | null,
  now: string,
): Health {
  const errorRate1h = ratio(facts.failed1h, facts.finished1h);
  const last10 = facts.lastOutcomes.slice(0, 10);
  const silentFor = facts.lastReceivedAt
    ? Date.parse(now) - Date.parse(facts.lastReceivedAt)
    : Infinity;
  const status: HealthStatus =
    last10.length === 10 && last10.every((ok) => !ok)
      ? 'down'
      : expectedIntervalSeconds !== null && silentFor > expectedIntervalSeconds * 1000
        ? 'silent'
        : errorRate1h > 0.05 || facts.openDeadLetters > 0
          ? 'degraded'
          : 'healthy';
  const { finished1h: _f, failed1h: _x, lastOutcomes: _o, lagsMs, ...rest } = facts;
  return {
    status,
    ...rest,
    errorRate1h,
    lagMs: { p50: percentile(lagsMs, 50), p99: percentile(lagsMs, 99) },
  };
}
