/**
 * A tenant's risk model: the encoder, the fitted weights and what the evaluation measured. Scores
 * are the probability of a bad outcome as 0–100; every score carries the columns that moved it
 * most, each in words, as the weight × the change's distance from the average change.
 */
import type { RiskSettings } from '../settings.js';
import { encode, fitEncoder, type Encoder } from './encoder.js';
import { describeColumn } from './explain.js';
import type { RiskInput } from './features.js';
import { fitLogistic, linear, sigmoid } from './logistic.js';

export interface RiskModel {
  version: number;
  trainedAt: string;
  decisions: number;
  l2: number;
  encoder: Encoder;
  weights: number[];
  bias: number;
}

export interface LabelledDecision {
  changeId: string;
  /** When the change was requested: the hold-out is by this time. */
  at: string;
  input: RiskInput;
  /** 1: rejected or a bad outcome later; 0: approved (or applied and nothing went wrong). */
  label: 0 | 1;
  /** What the fixed rules scored the change (approval.ts). */
  rulesScore: number;
}

export const DEFAULT_L2 = 1;

export function trainRiskModel(
  decisions: readonly LabelledDecision[],
  opts: { version: number; trainedAt: string; l2?: number },
): RiskModel {
  if (decisions.length === 0) throw new Error('trainRiskModel needs at least one decision');
  const l2 = opts.l2 ?? DEFAULT_L2;
  const encoder = fitEncoder(decisions.map((d) => d.input));
  const fit = fitLogistic(
    decisions.map((d) => encode(encoder, d.input)),
    decisions.map((d) => d.label),
    { l2 },
  );
  return {
    version: opts.version,
    trainedAt: opts.trainedAt,
    decisions: decisions.length,
    l2,
    encoder,
    weights: fit.weights,
    bias: fit.bias,
  };
}

export const probabilityOf = (model: RiskModel, input: RiskInput) =>
  sigmoid(linear(model.weights, model.bias, encode(model.encoder, input)));

export type RiskBand = 'low' | 'medium' | 'high';

export interface RiskReason {
  /** The model's column, or the rule's code when the rules scored. */
  feature: string;
  /** Log-odds this column adds to the score (positive raises the risk). */
  effect: number;
  text: string;
}

export interface RiskAssessment {
  score: number;
  band: RiskBand;
  reasons: RiskReason[];
  /** null: the fixed rules scored (no model yet, or the cold start). */
  modelVersion: number | null;
  source: 'model' | 'rules';
}

export function bandOf(score: number, settings: RiskSettings): RiskBand {
  if (score >= settings.approvalAbove) return 'high';
  return score < settings.autoApproveBelow ? 'low' : 'medium';
}

const TOP_REASONS = 4;

export function scoreRisk(
  model: RiskModel,
  input: RiskInput,
  settings: RiskSettings,
): RiskAssessment {
  const x = encode(model.encoder, input);
  const score = Math.round(sigmoid(linear(model.weights, model.bias, x)) * 100);
  const reasons = x
    .map((v, j) => ({
      column: model.encoder.columns[j] as string,
      effect: (model.weights[j] as number) * v,
    }))
    .filter((c) => Math.abs(c.effect) >= 0.05)
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
    .slice(0, TOP_REASONS)
    .map((c) => ({
      feature: c.column,
      effect: Math.round(c.effect * 100) / 100,
      text: `${describeColumn(c.column, input)}: ${c.effect > 0 ? 'raises' : 'lowers'} the risk.`,
    }));
  return {
    score,
    band: bandOf(score, settings),
    reasons,
    modelVersion: model.version,
    source: 'model',
  };
}
