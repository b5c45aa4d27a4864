/**
 * Demo mode's decision history (issue 16 point 4; structure in docs/risk.md): labelled decisions
 * over 60 days from a fixed seed, drawn from a hidden truth the fixed rules barely see (price
 * overrides, marketplace orders, gift cards, careless requesters, old orders, bursts) and one
 * planted unusual actor — Rex Rush, 14 price overrides in the last 10 minutes, ~1 usually.
 */
import { approvalOfFacts } from '../domain/change/approval.js';
import { OPERATION_GROUPS, type OperationGroup, type RiskInput } from '../domain/risk/features.js';
import { sigmoid } from '../domain/risk/logistic.js';
import { defaultSettings } from '../domain/settings.js';
import { insertDecisions, type DecisionOutcome, type DecisionRow } from '../db/risk.js';
import type { Deps } from '../app/deps.js';
import { trainTenant, type TrainResult } from '../app/risk.js';

export const HISTORY_SEED = 2002;
export const HISTORY_SIZE = 2400;
export const RUSH_ACTOR = 'usr_demo_rush';
const DAY = 86_400_000;
const MINUTE = 60_000;

/** mulberry32: a small, fixed PRNG, so every machine generates the same history. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Requester {
  id: string;
  role: 'agent' | 'picker' | 'integration' | 'supervisor';
  /** The hidden share of this requester's changes that go wrong. */
  carelessness: number;
}

const REQUESTERS: Requester[] = [
  { id: 'usr_demo_agent', role: 'agent', carelessness: 0.08 },
  { id: 'usr_demo_supervisor', role: 'supervisor', carelessness: 0.04 },
  { id: 'usr_demo_picker', role: 'picker', carelessness: 0.1 },
  { id: 'usr_demo_integration', role: 'integration', carelessness: 0.06 },
  ...Array.from({ length: 8 }, (_, i) => ({
    id: `usr_demo_agent_${i + 2}`,
    role: 'agent' as const,
    carelessness: [0.05, 0.06, 0.08, 0.1, 0.12, 0.4, 0.45, 0.07][i] as number,
  })),
  { id: 'usr_demo_picker_2', role: 'picker', carelessness: 0.35 },
];

const pick = <T>(r: () => number, items: readonly (readonly [T, number])[]): T => {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of items) if ((x -= w) < 0) return v;
  return (items.at(-1) as readonly [T, number])[0];
};

const GROUP_MIX: [OperationGroup, number][] = [
  ['line', 40],
  ['price', 15],
  ['address', 12],
  ['delivery', 14],
  ['attributes', 10],
  ['cancel', 5],
  ['routing', 4],
];
const appOf = (role: Requester['role']) =>
  role === 'picker' ? 'picker' : role === 'integration' ? 'api' : 'console';

/** The hidden truth's log-odds of a bad outcome: what the model has to learn. */
function truth(i: RiskInput, group: OperationGroup): number {
  return (
    -7.2 +
    3.6 * (group === 'price' ? 1 : 0) +
    1.6 * (group === 'cancel' ? 1 : 0) +
    2.6 * (i.channel === 'marketplace' ? 1 : 0) +
    2.4 * (i.paymentMethod === 'gift-card' ? 1 : 0) +
    2.8 * (i.addressAfterPayment ? 1 : 0) +
    10 * i.actorRejectionRate +
    0.7 * Math.log1p(i.orderAgeHours) +
    2 * Math.log((i.actorRecent + 1) / (Math.max(i.actorUsual, 1) + 1)) +
    0.2 * Math.log1p(i.valueDelta / 100)
  );
}

function outcomeOf(r: () => number, bad: boolean, approvalAsked: boolean): DecisionOutcome {
  if (!bad) return approvalAsked || r() < 0.35 ? 'approved' : 'clean';
  return pick(r, [
    ['rejected', 55],
    ['payment-failed', 20],
    ['seller-refused', 10],
    ['undone', 15],
  ] as const);
}

function decision(
  r: () => number,
  n: number,
  at: number,
  who: Requester,
  over: { group?: OperationGroup; recent?: number; usual?: number } = {},
): DecisionRow {
  const group = over.group ?? pick(r, GROUP_MIX);
  const ops = OPERATION_GROUPS[group];
  const op = ops[Math.floor(r() * ops.length)] as string;
  const total = 2000 + Math.floor(r() * 30000);
  const moves = group === 'line' || group === 'price' || group === 'cancel';
  const valueDelta = moves ? Math.floor(total * (group === 'cancel' ? 1 : r() * 0.8)) : 0;
  const paid = r() < 0.7;
  const input: RiskInput = {
    valueDelta,
    valueDeltaPct: Math.round((valueDelta / total) * 1000) / 10,
    operations: [op],
    addressAfterPayment: group === 'address' && paid,
    changesSoFar: Math.floor(-Math.log(1 - r()) * 2),
    role: who.role,
    app: appOf(who.role),
    channel: pick(r, [
      ['web', 50],
      ['app', 25],
      ['marketplace', 15],
      ['phone', 10],
    ] as const),
    origin: pick(r, [
      ['direct', 70],
      ['marketplace', 20],
      ['chain', 10],
    ] as const),
    paymentMethod: pick(r, [
      ['credit-card', 60],
      ['gift-card', 10],
      ['bank-slip', 10],
      ['instant-transfer', 12],
      ['cash', 8],
    ] as const),
    orderAgeHours: -Math.log(1 - r()) * 30,
    pickerBreaches: who.role === 'picker' && r() < 0.15 ? 1 : 0,
    // What the requester's history showed then: their carelessness, seen through noise.
    actorRejectionRate: Math.max(0, Math.min(1, who.carelessness + (r() - 0.5) * 0.08)),
    actorRecent: over.recent ?? 1 + Math.floor(r() * 2),
    actorUsual: over.usual ?? 1.5,
  };
  const rules = approvalOfFacts(
    {
      delta: input.valueDelta,
      deltaPct: input.valueDeltaPct,
      addressAfterPayment: input.addressAfterPayment,
      appliedBefore: input.changesSoFar,
      breaches: Array.from({ length: input.pickerBreaches }, () => ({
        limit: 'maxTotalChangePct' as const,
        detail: 'The total moves beyond the picker limit.',
        threshold: 20,
        actual: 30,
      })),
    },
    defaultSettings(),
  );
  const bad = r() < sigmoid(truth(input, group));
  const outcome = outcomeOf(r, bad, rules.required);
  return {
    changeId: `chg_hist_${String(n).padStart(5, '0')}`,
    at: new Date(at).toISOString(),
    input,
    label: bad ? 1 : 0,
    rulesScore: rules.score,
    actorId: who.id,
    role: who.role,
    primaryOp: op,
    decidedAt: new Date(at + 5 * MINUTE).toISOString(),
    outcome,
    modelVersion: null,
    source: 'demo',
  };
}

/** The history, oldest first, ending at `end`. The same `end` and seed give the same rows. */
export function demoDecisionHistory(
  end: Date,
  size = HISTORY_SIZE,
  seed = HISTORY_SEED,
): DecisionRow[] {
  const r = prng(seed);
  const endMs = end.getTime();
  const start = endMs - 60 * DAY;
  // Ordinary decisions until an hour before the end.
  const times = Array.from(
    { length: size },
    () => start + r() * (endMs - start - 60 * MINUTE),
  ).sort((a, b) => a - b);
  const rows = times.map((at, n) =>
    decision(r, n, at, REQUESTERS[Math.floor(r() * REQUESTERS.length)] as Requester),
  );
  // Rex Rush: one price override now and then for 20 days …
  const rush: Requester = { id: RUSH_ACTOR, role: 'agent', carelessness: 0.1 };
  for (let k = 0; k < 24; k++)
    rows.push(
      decision(r, size + k, endMs - 25 * DAY + k * 0.8 * DAY, rush, { group: 'price', recent: 1 }),
    );
  // … then 14 in the last 10 minutes.
  for (let k = 0; k < 14; k++)
    rows.push(
      decision(r, size + 24 + k, endMs - 9.5 * MINUTE + k * 40_000, rush, {
        group: 'price',
        recent: k + 1,
        usual: 1,
      }),
    );
  return rows;
}

/** Demo mode: the history stored for the demo tenant, and model v1 trained on it. */
export async function seedRiskHistory(deps: Deps): Promise<TrainResult> {
  await insertDecisions(deps.db, 'demo', demoDecisionHistory(deps.clock()));
  return trainTenant(deps, 'demo');
}
