import { describe, expect, it } from 'vitest';
import { demoDecisionHistory, RUSH_ACTOR } from '../../src/seed/risk-history.js';
import { defaultSettings } from '../../src/domain/settings.js';
import { evaluateRisk } from '../../src/domain/risk/evaluation.js';
import { GROUP_NAMES, groupOf } from '../../src/domain/risk/features.js';
import {
  activitiesOf,
  unusualActor,
  type ActivityRow,
} from '../../src/domain/risk/unusual-actor.js';

const END = new Date('2026-12-01T12:00:00Z');
const settings = defaultSettings().risk;

describe('the demo decision history', () => {
  const history = demoDecisionHistory(END);

  it('is the same on every run (fixed seed)', () => {
    expect(demoDecisionHistory(END)).toEqual(history);
    expect(history.length).toBe(2438);
  });

  it('is learnt: AUC ≥ 0.85 on the time-ordered hold-out, where the fixed rules stay ≤ 0.70', () => {
    const e = evaluateRisk(history, settings);
    expect(e).not.toBeNull();
    expect(e?.model.auc).toBeGreaterThanOrEqual(0.85);
    expect(e?.rules.auc).toBeLessThanOrEqual(0.7);
    // The hold-out is the later quarter: nothing in it trained the model.
    expect(e?.heldOut).toBe(history.length - (e?.trainedOn ?? 0));
  });

  it('plants an actor the unusual-actor check flags, with the reason in words', () => {
    // The activity as the snapshot query aggregates it (db/risk.ts), computed here from the rows.
    const now = END.getTime();
    const window = settings.unusualWindowMinutes * 60_000;
    const rows: ActivityRow[] = [];
    for (const actorId of new Set(history.map((d) => d.actorId)))
      for (const group of GROUP_NAMES) {
        const mine = history.filter((d) => d.actorId === actorId && groupOf(d.primaryOp) === group);
        if (!mine.length) continue;
        const past = mine.filter((d) => Date.parse(d.at) <= now - 86_400_000);
        const buckets = new Map<number, number>();
        for (const d of mine) {
          const b = Math.floor(Date.parse(d.at) / window);
          buckets.set(b, (buckets.get(b) ?? 0) + 1);
        }
        const pastBuckets = new Set(past.map((d) => Math.floor(Date.parse(d.at) / window)));
        rows.push({
          actorId,
          role: mine[0]?.role ?? 'agent',
          group,
          pastEvents: past.length,
          pastWindows: pastBuckets.size,
          recent: mine.filter((d) => Date.parse(d.at) > now - window).length,
          peak: Math.max(...[...buckets].filter(([b]) => !pastBuckets.has(b)).map(([, n]) => n), 0),
          peakAt: null,
          rejected: mine.filter((d) => d.outcome === 'rejected').length,
          total: mine.length,
        });
      }
    const flagged = [...activitiesOf(rows).values()]
      .map((a) => unusualActor(a, settings))
      .filter((u) => u !== null);
    expect(flagged.map((u) => u.actorId)).toEqual([RUSH_ACTOR]);
    expect(flagged[0]?.reason).toMatch(
      /^14 price overrides in 10 minutes, \d+× this agent's usual\.$/,
    );
  });
});
