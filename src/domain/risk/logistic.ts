/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
 * squares). Hand-written on purpose (docs/risk.md): the registry's `ml-logistic-regression` has no
 * L2 penalty, no types and a fixed-step gradient descent; with ~40 standardised columns a Newton
 * step is one 40×40 Cholesky solve and converges in about ten steps, deterministically.
 */

export interface LogisticFit {
  weights: number[];
  bias: number;
  iterations: number;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-Math.max(-35, Math.min(35, z))));

export function linear(weights: readonly number[], bias: number, x: readonly number[]): number {
  let z = bias;
  for (let j = 0; j < weights.length; j++) z += (weights[j] as number) * (x[j] as number);
  return z;
}

/** Solves A·x = b for a symmetric positive-definite A (Cholesky); A is overwritten. */
function solveSpd(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let i = 0; i < n; i++) {
    const row = a[i] as number[];
    for (let j = 0; j <= i; j++) {
      const rj = a[j] as number[];
      let s = row[j] as number;
      for (let k = 0; k < j; k++) s -= (row[k] as number) * (rj[k] as number);
      row[j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / (rj[j] as number);
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (a[i] as number[])[k]! * y[k]!;
    y[i] = s / (a[i] as number[])[i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < n; k++) s -= (a[k] as number[])[i]! * x[k]!;
    x[i] = s / (a[i] as number[])[i]!;
  }
  return x;
}

/**
 * Minimises Σ log-loss + (l2 / 2)·|w|² (the bias unpenalised). Rows are standardised columns.
 */
export function fitLogistic(
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  opts: { l2: number; maxIterations?: number; tolerance?: number },
): LogisticFit {
  const d = rows[0]?.length ?? 0;
  const p = d + 1; // the bias is the last parameter
  let theta = new Array<number>(p).fill(0);
  const max = opts.maxIterations ?? 25;
  let it = 0;
  for (; it < max; it++) {
    const grad = new Array<number>(p).fill(0);
    const hess = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    rows.forEach((x, i) => {
      const mu = sigmoid(linear(theta.slice(0, d), theta[d] as number, x));
      const r = mu - (labels[i] as number);
      const w = Math.max(mu * (1 - mu), 1e-9);
      for (let j = 0; j < p; j++) {
        const xj = j === d ? 1 : (x[j] as number);
        grad[j] = (grad[j] as number) + r * xj;
        const hj = hess[j] as number[];
        for (let k = 0; k <= j; k++)
          hj[k] = (hj[k] as number) + w * xj * (k === d ? 1 : (x[k] as number));
      }
    });
    for (let j = 0; j < d; j++) {
      grad[j] = (grad[j] as number) + opts.l2 * (theta[j] as number);
      (hess[j] as number[])[j] = ((hess[j] as number[])[j] as number) + opts.l2;
    }
    for (let j = 0; j < p; j++)
      for (let k = j + 1; k < p; k++) (hess[j] as number[])[k] = (hess[k] as number[])[j] as number;
    const step = solveSpd(hess, grad);
    theta = theta.map((t, j) => t - (step[j] as number));
    if (Math.max(...step.map(Math.abs)) < (opts.tolerance ?? 1e-6)) {
      it++;
      break;
    }
  }
  return { weights: theta.slice(0, d), bias: theta[d] as number, iterations: it };
}
