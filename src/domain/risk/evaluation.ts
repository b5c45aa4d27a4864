/**
 * Evaluation you can trust (issue 16 point 4): a time-ordered hold-out (train on the earlier
 * decisions, score the later ones), AUC, precision and recall at the policy's thresholds and
 * calibration bins — the model and the fixed rules on the same hold-out.
 */
import type { RiskSettings } from '../settings.js';
import { probabilityOf, trainRiskModel, type LabelledDecision } from './model.js';

/** Area under the ROC curve by the rank statistic (ties count half). null when one class is absent. */
export function auc(scores: readonly number[], labels: readonly number[]): number | null {
  const order = scores.map((s, i) => ({ s, y: labels[i] as number })).sort((a, b) => a.s - b.s);
  let rankSumPositive = 0;
  let positives = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && (order[j] as { s: number }).s === (order[i] as { s: number }).s) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++)
      if ((order[k] as { y: number }).y === 1) {
        rankSumPositive += midRank;
        positives++;
      }
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface ThresholdFigures {
  /** Score (0–100) at or above which a change counts as flagged. */
  threshold: number;
  flagged: number;
  precision: number | null;
  recall: number | null;
}

export function atThreshold(
  scores: readonly number[],
  labels: readonly number[],
  threshold: number,
): ThresholdFigures {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  scores.forEach((s, i) => {
    const flagged = s >= threshold;
    if (flagged && labels[i] === 1) tp++;
    else if (flagged) fp++;
    else if (labels[i] === 1) fn++;
  });
  return {
    threshold,
    flagged: tp + fp,
    precision: tp + fp ? tp / (tp + fp) : null,
    recall: tp + fn ? tp / (tp + fn) : null,
  };
}

export interface CalibrationBin {
  from: number;
  to: number;
  count: number;
  /** Mean predicted probability and the observed share of bad outcomes in the bin. */
  predicted: number | null;
  observed: number | null;
}

export function calibration(
  probabilities: readonly number[],
  labels: readonly number[],
  bins = 10,
): CalibrationBin[] {
  const out = Array.from({ length: bins }, (_, b) => ({
    from: b / bins,
    to: (b + 1) / bins,
    n: 0,
    p: 0,
    y: 0,
  }));
  probabilities.forEach((p, i) => {
    const bin = out[Math.min(bins - 1, Math.floor(p * bins))] as (typeof out)[number];
    bin.n++;
    bin.p += p;
    bin.y += labels[i] as number;
  });
  return out.map((b) => ({
    from: b.from,
    to: b.to,
    count: b.n,
    predicted: b.n ? b.p / b.n : null,
    observed: b.n ? b.y / b.n : null,
  }));
}

export interface ScorerFigures {
  auc: number | null;
  thresholds: ThresholdFigures[];
}

export interface Evaluation {
  trainedOn: number;
  heldOut: number;
  /** The first requested-at time in the hold-out: everything before it trained the model. */
  splitAt: string | null;
  positiveRate: number | null;
  model: ScorerFigures & { calibration: CalibrationBin[] };
  rules: ScorerFigures;
  /** Held-out changes the model would approve by itself (score < autoApproveBelow), and how many went bad. */
  autoApproved: { share: number; badRate: number | null };
}

/** Oldest first; the last `holdOut` share is scored by a model trained on the rest. */
export function evaluateRisk(
  decisions: readonly LabelledDecision[],
  settings: RiskSettings,
  opts: { holdOut?: number; l2?: number } = {},
): Evaluation | null {
  const sorted = [...decisions].sort(
    (a, b) => a.at.localeCompare(b.at) || a.changeId.localeCompare(b.changeId),
  );
  const cut = Math.floor(sorted.length * (1 - (opts.holdOut ?? 0.25)));
  const train = sorted.slice(0, cut);
  const test = sorted.slice(cut);
  if (train.length < 10 || test.length < 2) return null;
  const model = trainRiskModel(train, {
    version: 0,
    trainedAt: (train.at(-1) as LabelledDecision).at,
    ...(opts.l2 !== undefined ? { l2: opts.l2 } : {}),
  });
  const labels = test.map((d) => d.label);
  const probabilities = test.map((d) => probabilityOf(model, d.input));
  const modelScores = probabilities.map((p) => Math.round(p * 100));
  const rulesScores = test.map((d) => d.rulesScore);
  const thresholds = [settings.autoApproveBelow, settings.approvalAbove];
  const auto = modelScores
    .map((s, i) => ({ s, y: labels[i] as number }))
    .filter((a) => a.s < settings.autoApproveBelow);
  return {
    autoApproved: {
      share: auto.length / test.length,
      badRate: auto.length ? auto.filter((a) => a.y === 1).length / auto.length : null,
    },
    trainedOn: train.length,
    heldOut: test.length,
    splitAt: test[0]?.at ?? null,
    positiveRate: labels.reduce<number>((s, y) => s + y, 0) / labels.length,
    model: {
      auc: auc(probabilities, labels),
      thresholds: thresholds.map((t) => atThreshold(modelScores, labels, t)),
      calibration: calibration(probabilities, labels),
    },
    rules: {
      auc: auc(rulesScores, labels),
      // The rules ask for approval at any reason: a score above 0.
      thresholds: [1, ...thresholds].map((t) => atThreshold(rulesScores, labels, t)),
    },
  };
}
