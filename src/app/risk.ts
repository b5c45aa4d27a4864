/**
 * Training and evaluating a tenant's risk model (issue 16 points 1 and 4): harvest the finished
 * changes as labelled decisions, evaluate on a time-ordered hold-out, train on all, store the
 * next version; and what the KPI page shows of it.
 */
import {
  countDecisions,
  harvestDecisions,
  insertModel,
  latestModel,
  listDecisions,
  nextModelVersion,
} from '../db/risk.js';
import { evaluateRisk, type Evaluation } from '../domain/risk/evaluation.js';
import { trainRiskModel } from '../domain/risk/model.js';
import { modelInCharge } from '../domain/risk/policy.js';
import { unusualActor, type UnusualActor } from '../domain/risk/unusual-actor.js';
import type { RiskSettings } from '../domain/settings.js';
import type { Actor, Deps } from './deps.js';
import { cachedSettings } from './reference-cache.js';
import { refuse } from './refused-error.js';
import { cachedRiskContext, forgetRiskContext } from './risk-cache.js';

/** Fewer decisions than this, or only one kind of label: nothing to learn yet. */
export const MIN_TO_TRAIN = 20;

export type TrainResult =
  | {
      trained: true;
      version: number;
      decisions: number;
      harvested: number;
      evaluation: Evaluation | null;
    }
  | { trained: false; decisions: number; harvested: number; reason: string };

async function riskSettingsOf(deps: Deps, tenantId: string): Promise<RiskSettings> {
  const settings = await cachedSettings(deps.db, tenantId);
  if (!settings) refuse('NOT_FOUND', `Tenant ${tenantId} does not exist.`);
  return settings.risk;
}

export async function trainTenant(deps: Deps, tenantId: string): Promise<TrainResult> {
  const settings = await riskSettingsOf(deps, tenantId);
  const harvested = await harvestDecisions(deps.db, tenantId, deps.clock());
  const decisions = await listDecisions(deps.db, tenantId);
  const labels = new Set(decisions.map((d) => d.label));
  if (decisions.length < MIN_TO_TRAIN || labels.size < 2)
    return {
      trained: false,
      decisions: decisions.length,
      harvested,
      reason: `${decisions.length} decisions (${labels.size} kinds of outcome); at least ${MIN_TO_TRAIN} of both kinds are needed.`,
    };
  const evaluation = evaluateRisk(decisions, settings);
  const version = await nextModelVersion(deps.db, tenantId);
  const model = trainRiskModel(decisions, { version, trainedAt: deps.clock().toISOString() });
  await insertModel(deps.db, tenantId, { model, evaluation });
  forgetRiskContext(deps.db, tenantId);
  return { trained: true, version, decisions: decisions.length, harvested, evaluation };
}

/** The hold-out evaluation on the tenant's decisions as they are now (nothing stored). */
export async function evaluateTenant(deps: Deps, tenantId: string) {
  const settings = await riskSettingsOf(deps, tenantId);
  const decisions = await listDecisions(deps.db, tenantId);
  return { decisions: decisions.length, evaluation: evaluateRisk(decisions, settings), settings };
}

export interface RiskSummary {
  mode: RiskSettings['mode'];
  /** The model decides (mode not rules, and trained on at least minDecisions). */
  modelInCharge: boolean;
  decisions: number;
  model: { version: number; trainedAt: string; decisions: number } | null;
  evaluation: Evaluation | null;
  /** Actors whose busiest window of the last 24 h was unusual. */
  unusualActors: UnusualActor[];
}

export async function riskSummary(deps: Deps, actor: Actor): Promise<RiskSummary> {
  const settings = actor.settings.risk;
  const [stored, decisions, context] = await Promise.all([
    latestModel(deps.db, actor.tenantId),
    countDecisions(deps.db, actor.tenantId),
    cachedRiskContext(deps.db, actor.tenantId, {
      now: deps.clock(),
      windowMinutes: settings.unusualWindowMinutes,
    }),
  ]);
  const unusualActors = [...context.activity.values()]
    .map((a) => unusualActor(a, settings, 'peak'))
    .filter((u): u is UnusualActor => u !== null)
    .sort((a, b) => b.factor - a.factor);
  const model = stored?.model ?? null;
  return {
    mode: settings.mode,
    modelInCharge: modelInCharge(settings, model),
    decisions,
    model: model
      ? { version: model.version, trainedAt: model.trainedAt, decisions: model.decisions }
      : null,
    evaluation: stored?.evaluation ?? null,
    unusualActors,
  };
}
