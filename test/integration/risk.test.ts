/**
 * The risk model end to end on the demo tenant (issue 16 points 1–4): the seeded history trains
 * model v1, preview and apply carry the risk, the model approves routine changes by itself in
 * model mode, the approvals queue puts the riskiest first, and the planted unusual actor shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDeps, type Deps } from '../../src/app/deps.js';
import { trainTenant } from '../../src/app/risk.js';
import { buildApp, type App } from '../../src/http/app.js';
import { seedDemo } from '../../src/seed/demo.js';
import { RUSH_ACTOR } from '../../src/seed/risk-history.js';
import { latestModel } from '../../src/db/risk.js';
import { RiskTrainer } from '../../src/worker/risk-trainer.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { ENGINES } from '../support/engines.js';

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const reason = { code: 'CUSTOMER_REQUEST' };

describe.each(ENGINES)('the risk model on %s', (engine) => {
  let database: TestDatabase;
  let deps: Deps;
  let app: App;
  beforeAll(async () => {
    database = await freshDatabase(engine);
    deps = makeDeps({ db: database.db, engine, demoMode: true });
    await seedDemo(deps);
    app = await buildApp(deps);
    await app.ready();
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('trains v1 from the demo history: AUC ≥ 0.85 where the rules stay ≤ 0.70; flags Rex Rush', async () => {
    const res = await app.inject({ url: '/v1/risk', headers: auth('demo-supervisor') });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.model).toMatchObject({ version: 1 });
    expect(body.decisions).toBeGreaterThanOrEqual(2400);
    expect(body.evaluation.model.auc).toBeGreaterThanOrEqual(0.85);
    expect(body.evaluation.rules.auc).toBeLessThanOrEqual(0.7);
    expect(body.evaluation.model.calibration).toHaveLength(10);
    expect(body.unusualActors[0]).toMatchObject({ actorId: RUSH_ACTOR, count: 14, group: 'price' });
    expect(body.unusualActors[0].reason).toMatch(
      /^14 price overrides in 10 minutes, \d+× this agent's usual\.$/,
    );
  });

  it('preview returns the risk with the model version and reasons in words', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/orders/ord_demo_001/changes/preview',
      headers: auth('demo-agent'),
      payload: { operations: [{ op: 'setCustomAttributes', set: { gate: 'B' } }], reason },
    });
    expect(res.statusCode, res.body).toBe(200);
    const risk = res.json().approval.risk;
    expect(risk).toMatchObject({ modelVersion: 1, source: 'model', autoApproved: false });
    expect(risk.score).toBeGreaterThanOrEqual(0);
    expect(['low', 'medium', 'high']).toContain(risk.band);
    expect(risk.reasons.length).toBeGreaterThan(0);
    expect(risk.reasons[0].text).toMatch(/(raises|lowers) the risk\.$/);
  });

  it('editability gives each operation its risk before a value is typed', async () => {
    const res = await app.inject({
      url: '/v1/orders/ord_demo_001/editability',
      headers: auth('demo-agent'),
    });
    expect(res.statusCode, res.body).toBe(200);
    const risk = res.json().risk;
    expect(risk.modelVersion).toBe(1);
    // The demo history makes price overrides risky, attribute edits routine.
    expect(risk.operations.setUnitPrice.score).toBeGreaterThan(
      risk.operations.setCustomAttributes.score,
    );
    expect(risk.operations.setUnitPrice.reasons.map((r: { text: string }) => r.text)).toContain(
      'It overrides prices or discounts: raises the risk.',
    );
  });

  it('in model mode a routine change is approved by the model, recorded with its reasons', async () => {
    const patch = await app.inject({
      method: 'PATCH',
      url: '/v1/settings',
      headers: auth('demo-admin'),
      payload: { risk: { mode: 'model', autoApproveBelow: 100, approvalAbove: 101 } },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/orders/ord_demo_001/changes',
      headers: auth('demo-agent'),
      payload: { operations: [{ op: 'setCustomAttributes', set: { gate: 'C' } }], reason },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    expect(res.json().approval).toMatchObject({
      decision: 'approved',
      decidedBy: 'model:v1',
      risk: { autoApproved: true, modelVersion: 1 },
    });
    expect(res.json().approval.note.length).toBeGreaterThan(0);
  });

  it('a high score asks a supervisor; the queue lists the riskiest first', async () => {
    await app.inject({
      method: 'PATCH',
      url: '/v1/settings',
      headers: auth('demo-admin'),
      payload: { risk: { autoApproveBelow: 0, approvalAbove: 0 } },
    });
    const ids: string[] = [];
    for (const [order, gate] of [
      ['ord_demo_002', 'D'],
      ['ord_demo_003', 'E'],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url: `/v1/orders/${order}/changes`,
        headers: auth('demo-agent'),
        payload: { operations: [{ op: 'setCustomAttributes', set: { gate } }], reason },
      });
      expect(res.json().status, res.body).toBe('awaiting-approval');
      ids.push(res.json().id);
    }
    const queue = await app.inject({ url: '/v1/approvals', headers: auth('demo-supervisor') });
    const scores = queue
      .json()
      .items.map(
        (c: { approval: { risk?: { score: number }; score: number } }) =>
          c.approval.risk?.score ?? c.approval.score,
      );
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    expect(queue.json().items.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(ids),
    );
  });

  it('training again stores the next version, and the scores name it', async () => {
    const result = await trainTenant(deps, 'demo');
    expect(result).toMatchObject({ trained: true, version: 2 });
    const res = await app.inject({
      method: 'POST',
      url: '/v1/orders/ord_demo_004/changes/preview',
      headers: auth('demo-agent'),
      payload: { operations: [{ op: 'setCustomAttributes', set: { gate: 'F' } }], reason },
    });
    expect(res.json().approval.risk.modelVersion).toBe(2);
  });

  it('the scheduled trainer retrains a tenant whose model is older than its interval', async () => {
    await new Promise((r) => setTimeout(r, 5));
    // 'other' has no decisions: it waits; 'demo' gets v3.
    expect(await new RiskTrainer(deps, 1).runOnce()).toBe(1);
    expect((await latestModel(deps.db, 'demo'))?.model.version).toBe(3);
  });
});
