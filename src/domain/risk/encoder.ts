/**
 * From a RiskInput to the model's columns: numbers transformed to a comparable scale, operation
 * groups and the categories the tenant actually uses (a vocabulary learned at training) as 0/1,
 * every column standardised with the training set's mean and spread.
 */
import { GROUP_NAMES, groupOf, type RiskInput } from './features.js';

export const CATEGORIES = ['role', 'app', 'channel', 'origin', 'paymentMethod'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The numeric columns: how each is read off the input. */
export const NUMERIC: Record<string, (i: RiskInput) => number> = {
  valueDelta: (i) => Math.log1p(i.valueDelta / 100),
  valueDeltaPct: (i) => Math.min(i.valueDeltaPct, 500) / 100,
  addressAfterPayment: (i) => (i.addressAfterPayment ? 1 : 0),
  changesSoFar: (i) => Math.log1p(i.changesSoFar),
  orderAge: (i) => Math.log1p(i.orderAgeHours),
  pickerBreaches: (i) => i.pickerBreaches,
  actorRejectionRate: (i) => i.actorRejectionRate,
  actorRateRatio: (i) => Math.log((i.actorRecent + 1) / (Math.max(i.actorUsual, 1) + 1)),
};

/** A value seen fewer times than this in training joins "other" (no column of its own). */
const MIN_SEEN = 5;

export interface Encoder {
  columns: string[];
  vocabulary: Record<Category, string[]>;
  mean: number[];
  std: number[];
}

function raw(
  vocabulary: Encoder['vocabulary'],
  input: RiskInput,
): { name: string; value: number }[] {
  const out = Object.entries(NUMERIC).map(([name, f]) => ({ name, value: f(input) }));
  const groups = new Set(input.operations.map(groupOf));
  for (const g of GROUP_NAMES) out.push({ name: `op:${g}`, value: groups.has(g) ? 1 : 0 });
  for (const c of CATEGORIES)
    for (const v of vocabulary[c]) out.push({ name: `${c}:${v}`, value: input[c] === v ? 1 : 0 });
  return out;
}

export function fitEncoder(inputs: readonly RiskInput[]): Encoder {
  const vocabulary = Object.fromEntries(
    CATEGORIES.map((c) => {
      const seen = new Map<string, number>();
      for (const i of inputs) seen.set(i[c], (seen.get(i[c]) ?? 0) + 1);
      return [
        c,
        [...seen]
          .filter(([, n]) => n >= MIN_SEEN)
          .map(([v]) => v)
          .sort(),
      ];
    }),
  ) as Encoder['vocabulary'];
  const matrix = inputs.map((i) => raw(vocabulary, i).map((c) => c.value));
  const columns = raw(vocabulary, inputs[0] as RiskInput).map((c) => c.name);
  const n = Math.max(matrix.length, 1);
  const mean = columns.map((_, j) => matrix.reduce((s, r) => s + (r[j] as number), 0) / n);
  const std = columns.map((_, j) => {
    const v = matrix.reduce((s, r) => s + ((r[j] as number) - (mean[j] as number)) ** 2, 0) / n;
    return v > 1e-12 ? Math.sqrt(v) : 1;
  });
  return { columns, vocabulary, mean, std };
}

/** The standardised columns of one input (0 = the training set's average change). */
export function encode(encoder: Encoder, input: RiskInput): number[] {
  return raw(encoder.vocabulary, input).map(
    (c, j) => (c.value - (encoder.mean[j] as number)) / (encoder.std[j] as number),
  );
}
