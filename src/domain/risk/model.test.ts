import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../settings.js';
import { atThreshold, auc, calibration } from './evaluation.js';
import type { RiskInput } from './features.js';
import { describeColumn } from './explain.js';
import { fitLogistic, sigmoid } from './logistic.js';
import { scoreRisk, trainRiskModel, type LabelledDecision } from './model.js';
import { assessRisk } from './policy.js';
import { activitiesOf, unusualActor } from './unusual-actor.js';

const settings = defaultSettings().risk;
const anInput = (over: Partial<RiskInput> = {}): RiskInput => ({
  valueDelta: 500,
  valueDeltaPct: 5,
  operations: ['setQuantity'],
  addressAfterPayment: false,
  changesSoFar: 0,
  role: 'agent',
  app: 'console',
  channel: 'web',
  origin: 'direct',
  paymentMethod: 'credit-card',
  orderAgeHours: 2,
  pickerBreaches: 0,
  actorRejectionRate: 0.05,
  actorRecent: 1,
  actorUsual: 1,
  ...over,
});

/** Price overrides go wrong, the rest does not (with a little noise so the classes overlap). */
const decisions: LabelledDecision[] = Array.from({ length: 200 }, (_, i) => {
  const price = i % 3 === 0;
  return {
    changeId: `chg_${i}`,
    at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    input: anInput({
      operations: [price ? 'setUnitPrice' : 'setQuantity'],
      valueDelta: 100 * (i % 7),
    }),
    label: (price ? i % 10 !== 0 : i % 17 === 0) ? 1 : 0,
    rulesScore: 0,
  };
});

describe('the risk model', () => {
  it('fits an L2 logistic regression that separates what it was shown', () => {
    const fit = fitLogistic([[-1], [-0.5], [0.5], [1]], [0, 0, 1, 1], { l2: 0.1 });
    expect(fit.weights[0]).toBeGreaterThan(1);
    expect(sigmoid(fit.weights[0] as number)).toBeGreaterThan(0.8);
    // A stronger penalty shrinks the weight.
    expect(
      fitLogistic([[-1], [-0.5], [0.5], [1]], [0, 0, 1, 1], { l2: 10 }).weights[0],
    ).toBeLessThan(fit.weights[0] as number);
  });

  it('scores a price override high and says why in words', () => {
    const model = trainRiskModel(decisions, { version: 3, trainedAt: '2026-01-02T00:00:00Z' });
    const risky = scoreRisk(model, anInput({ operations: ['setUnitPrice'] }), settings);
    const routine = scoreRisk(model, anInput(), settings);
    expect(risky.score).toBeGreaterThan(routine.score);
    expect(risky.modelVersion).toBe(3);
    expect(risky.reasons.map((r) => r.text)).toContain(
      'It overrides prices or discounts: raises the risk.',
    );
    expect(routine.band).toBe('low');
  });
});

describe('evaluation figures', () => {
  it('AUC is 1 for a perfect ranking, 0.5 for ties, null with one class', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(auc([0.1, 0.2], [1, 1])).toBeNull();
  });

  it('precision and recall at a threshold', () => {
    expect(atThreshold([10, 70, 80, 20], [0, 1, 0, 1], 60)).toEqual({
      threshold: 60,
      flagged: 2,
      precision: 0.5,
      recall: 0.5,
    });
  });

  it('calibration bins hold the mean prediction and the observed rate', () => {
    const bins = calibration([0.05, 0.05, 0.95], [0, 1, 1], 10);
    expect(bins[0]).toMatchObject({ count: 2, predicted: 0.05, observed: 0.5 });
    expect(bins[9]).toMatchObject({ count: 1, observed: 1 });
  });
});

describe('the risk policy', () => {
  const model = trainRiskModel(decisions, { version: 1, trainedAt: '2026-01-02T00:00:00Z' });
  const rules = { required: false, score: 0, reasons: [] };
  const ctx = { model, activity: new Map() };

  it('rules mode: the rules decide, the score is shown', () => {
    const a = assessRisk(rules, anInput({ operations: ['setUnitPrice'] }), ctx, settings, 'u1');
    expect(a.required).toBe(false);
    expect(a.risk?.modelVersion).toBe(1);
  });

  it('model mode: a high score asks a supervisor, a low one is the model’s own approval', () => {
    const model_ = { ...settings, mode: 'model' as const, minDecisions: 10 };
    const high = assessRisk(rules, anInput({ operations: ['setUnitPrice'] }), ctx, model_, 'u1');
    expect(high.required).toBe(true);
    const low = assessRisk({ ...rules, required: true, score: 40 }, anInput(), ctx, model_, 'u1');
    expect(low).toMatchObject({ required: false, risk: { autoApproved: true } });
  });

  it('cold start: below minDecisions the rules stay in charge', () => {
    const cold = { ...settings, mode: 'model' as const, minDecisions: 10_000 };
    const a = assessRisk({ ...rules, required: true, score: 40 }, anInput(), ctx, cold, 'u1');
    expect(a).toMatchObject({ required: true, risk: { autoApproved: false } });
  });

  it('flags an actor far above their usual, and in model mode asks a supervisor', () => {
    const activity = activitiesOf([
      {
        actorId: 'u1',
        role: 'agent',
        group: 'price',
        pastEvents: 20,
        pastWindows: 10,
        recent: 14,
        peak: 14,
        peakAt: null,
        rejected: 0,
        total: 34,
      },
    ]);
    const u = unusualActor(activity.get('u1')!, settings);
    expect(u?.reason).toBe("14 price overrides in 10 minutes, 7× this agent's usual.");
    const a = assessRisk(
      rules,
      anInput(),
      { model, activity },
      { ...settings, mode: 'both', minDecisions: 10 },
      'u1',
    );
    expect(a.required).toBe(true);
    expect(a.risk?.unusualActor?.count).toBe(14);
  });
});

describe('reasons in words', () => {
  it('names a category whose value holds a colon in full', () => {
    expect(describeColumn('channel:shop:eu', anInput({ channel: 'shop:eu' }))).toBe(
      'Sold on channel shop:eu',
    );
    expect(describeColumn('op:price', anInput())).toBe('It overrides no price');
  });
});
