/**
 * KPI targets (seed 002: "< 5% of total orders" modified, "2 minutes" edit resolution, "0 (zero
 * tolerance)" data-integrity errors after edits), held against the actuals. Pure: the KPI page and
 * the background watcher that raises KPI_TARGET_MISSED ask the same function.
 */
export const KPI_TARGET_NAMES = ['modificationRate', 'resolutionMsP50', 'integrityErrors'] as const;
export type KpiTargetName = (typeof KPI_TARGET_NAMES)[number];

export interface KpiTarget {
  /** The actual must stay at or below this (a rate as a fraction, a time in ms, a count). */
  max: number;
  /** The watcher measures over the last `windowHours` (the KPI page over the range it shows). */
  windowHours: number;
}
export type KpiTargets = Record<KpiTargetName, KpiTarget>;

export function defaultKpiTargets(): KpiTargets {
  return {
    // seed 002 "< 5%": a strict bound, so the target is met below 0.05 (see `isMet`).
    modificationRate: { max: 0.05, windowHours: 24 * 30 },
    resolutionMsP50: { max: 120_000, windowHours: 24 },
    integrityErrors: { max: 0, windowHours: 24 },
  };
}

/** The actuals a target is held against; null where the window has nothing to measure. */
export interface KpiActuals {
  modificationRate: number | null;
  resolutionMsP50: number | null;
  integrityErrors: number | null;
}

export type KpiTargetState = 'met' | 'missed' | 'no-data';
export interface KpiTargetStatus {
  kpi: KpiTargetName;
  target: number;
  actual: number | null;
  status: KpiTargetState;
  windowHours: number;
  detail: string;
}

// The modification rate's target is "below 5 %"; the others are "at most".
const isMet = (kpi: KpiTargetName, actual: number, max: number) =>
  kpi === 'modificationRate' ? actual < max : actual <= max;

const show = (kpi: KpiTargetName, v: number) =>
  kpi === 'modificationRate'
    ? `${(v * 100).toFixed(2)} %`
    : kpi === 'resolutionMsP50'
      ? `${(v / 1000).toFixed(1)} s`
      : String(v);
const LABEL: Record<KpiTargetName, string> = {
  modificationRate: 'Modification rate',
  resolutionMsP50: 'Median edit resolution time',
  integrityErrors: 'Data-integrity errors',
};
const BOUND: Record<KpiTargetName, string> = {
  modificationRate: 'below',
  resolutionMsP50: 'at most',
  integrityErrors: 'at most',
};

export function assessKpiTargets(actuals: KpiActuals, targets: KpiTargets): KpiTargetStatus[] {
  return KPI_TARGET_NAMES.map((kpi) => {
    const { max, windowHours } = targets[kpi];
    const actual = actuals[kpi];
    const goal = `${BOUND[kpi]} ${show(kpi, max)}`;
    if (actual === null)
      return {
        kpi,
        target: max,
        actual,
        status: 'no-data',
        windowHours,
        detail: `${LABEL[kpi]}: nothing to measure yet (target ${goal}).`,
      };
    const met = isMet(kpi, actual, max);
    return {
      kpi,
      target: max,
      actual,
      status: met ? 'met' : 'missed',
      windowHours,
      detail: `${LABEL[kpi]} ${show(kpi, actual)}, target ${goal}${met ? '' : ': missed'}.`,
    };
  });
}
