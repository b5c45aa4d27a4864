/** Small statistics for the KPIs. */

/**
 * Nearest-rank percentile (the smallest value with at least p % of the values at or below it);
 * null for no values. `values` need not be sorted.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** a ÷ b, 0 when b is 0, rounded to four decimals. */
export const ratio = (a: number, b: number): number =>
  b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000;
