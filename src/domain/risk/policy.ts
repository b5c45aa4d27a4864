/**
 * The risk policy (issue 16 point 3): who asks for a supervisor — the fixed rules, the tenant's
 * model, or both — and which routine changes the model approves by itself.
 */
import type { Approval } from '../change/types.js';
import type { RiskSettings } from '../settings.js';
import type { RiskInput } from './features.js';
import { bandOf, scoreRisk, type RiskAssessment, type RiskModel } from './model.js';
import { unusualActor, type ActorActivity, type UnusualActor } from './unusual-actor.js';

/** What the one cached read gives a change to be scored with (app/risk-cache.ts). */
export interface RiskContext {
  model: RiskModel | null;
  activity: ReadonlyMap<string, ActorActivity>;
}

export interface RiskVerdict extends RiskAssessment {
  unusualActor: UnusualActor | null;
  /** The model approved this change itself (below autoApproveBelow): no person needed. */
  autoApproved: boolean;
  /** What was scored: kept with the change, so the trainer learns from the change as it was. */
  input: RiskInput;
}

/** The model decides only once it has learnt from enough decisions; until then the rules do. */
export const modelInCharge = (
  settings: RiskSettings,
  model: RiskModel | null,
): model is RiskModel =>
  settings.mode !== 'rules' && model !== null && model.decisions >= settings.minDecisions;

export function assessRisk(
  rules: Approval,
  input: RiskInput,
  risk: RiskContext | undefined,
  settings: RiskSettings,
  actorId: string,
): Approval {
  const activity = risk?.activity.get(actorId);
  const unusual = activity ? unusualActor(activity, settings) : null;
  const model = risk?.model ?? null;
  const scored: RiskAssessment = model
    ? scoreRisk(model, input, settings)
    : {
        score: rules.score,
        band: bandOf(rules.score, settings),
        reasons: rules.reasons.map((r) => ({ feature: r.code, effect: 0, text: r.detail })),
        modelVersion: null,
        source: 'rules',
      };
  const verdict: RiskVerdict = { ...scored, unusualActor: unusual, autoApproved: false, input };
  if (!modelInCharge(settings, model)) {
    // Rules in charge: an unusual actor is shown, and asks for a supervisor only in model/both modes.
    const required = rules.required || (settings.mode !== 'rules' && unusual !== null);
    return { ...rules, required, risk: verdict };
  }
  const high = scored.score >= settings.approvalAbove || unusual !== null;
  const low = scored.score < settings.autoApproveBelow && unusual === null;
  const required =
    settings.mode === 'model' ? high || (!low && rules.required) : high || rules.required;
  const autoApproved = !required && low;
  return { ...rules, required, risk: { ...verdict, autoApproved } };
}
