import { describe, expect, it } from 'vitest';
import { assessKpiTargets, defaultKpiTargets } from './kpi-targets.js';

describe('KPI targets (seed 002)', () => {
  const targets = defaultKpiTargets();

  it('defaults to < 5 % modification rate, 2 min median resolution, 0 integrity errors', () => {
    expect(targets.modificationRate.max).toBe(0.05);
    expect(targets.resolutionMsP50.max).toBe(120_000);
    expect(targets.integrityErrors.max).toBe(0);
  });

  it('meets each target at or below its bound, and misses 5 % exactly (the seed says "< 5 %")', () => {
    const at = assessKpiTargets(
      { modificationRate: 0.05, resolutionMsP50: 120_000, integrityErrors: 0 },
      targets,
    );
    expect(at.map((s) => [s.kpi, s.status])).toEqual([
      ['modificationRate', 'missed'],
      ['resolutionMsP50', 'met'],
      ['integrityErrors', 'met'],
    ]);
    expect(at[0]?.detail).toBe('Modification rate 5.00 %, target below 5.00 %: missed.');
  });

  it('misses a slow median and one integrity error, and says no-data where nothing was measured', () => {
    const result = assessKpiTargets(
      { modificationRate: null, resolutionMsP50: 180_500, integrityErrors: 1 },
      targets,
    );
    expect(result.map((s) => s.status)).toEqual(['no-data', 'missed', 'missed']);
    expect(result[1]?.detail).toBe(
      'Median edit resolution time 180.5 s, target at most 120.0 s: missed.',
    );
  });
});
