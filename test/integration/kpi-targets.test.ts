/** KPI targets: shown beside the actuals, and KPI_TARGET_MISSED raised once when one becomes missed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkKpiTargets } from '../../src/app/kpi-target-watch.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

describe.each(ENGINES)('KPI targets on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const settings = (patch: object) =>
    ctx.app.inject({ method: 'PATCH', url: '/v1/settings', headers: auth(), payload: patch });
  const missedEvents = async () =>
    (
      await ctx.deps.db
        .selectFrom('outbox_events')
        .select(['data'])
        .where('tenant_id', '=', 't1')
        .where('type', '=', 'KPI_TARGET_MISSED')
        .execute()
    ).map((e) => (typeof e.data === 'string' ? JSON.parse(e.data) : e.data));

  it('shows each target beside its actual and raises KPI_TARGET_MISSED once per miss', async () => {
    const since = new Date().toISOString();
    const imported = [];
    for (let i = 0; i < 2; i++)
      imported.push(
        (
          await ctx.app.inject({
            method: 'POST',
            url: '/v1/orders',
            headers: auth(KEYS.integration),
            payload: anImport(),
          })
        ).json(),
      );
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${imported[0].id}/changes`,
      headers: auth(KEYS.agent),
      payload: {
        operations: [{ op: 'setCustomAttributes', set: { gift: true } }],
        reason: { code: 'CUSTOMER_REQUEST' },
      },
    });
    expect(res.statusCode).toBe(200);

    const kpis = (
      await ctx.app.inject({ url: `/v1/kpis?from=${since}`, headers: auth(KEYS.supervisor) })
    ).json();
    expect(kpis.targets).toContainEqual(
      expect.objectContaining({
        kpi: 'modificationRate',
        target: 0.05,
        actual: 0.5,
        status: 'missed',
      }),
    );
    expect(kpis.targets.find((t: { kpi: string }) => t.kpi === 'resolutionMsP50')).toMatchObject({
      target: 120_000,
      status: 'met',
    });

    const first = await checkKpiTargets(ctx.deps);
    expect(first).toContainEqual({ tenantId: 't1', kpi: 'modificationRate' });
    expect(await checkKpiTargets(ctx.deps)).not.toContainEqual({
      tenantId: 't1',
      kpi: 'modificationRate',
    });
    const events = await missedEvents();
    expect(events.filter((e) => e.kpi === 'modificationRate')).toHaveLength(1);
    expect(events[0]).toMatchObject({ kpi: 'modificationRate', target: 0.05, windowHours: 720 });

    // Met again under a looser target, then missed again: a second event.
    expect((await settings({ kpiTargets: { modificationRate: { max: 1 } } })).statusCode).toBe(200);
    await checkKpiTargets(ctx.deps);
    expect((await settings({ kpiTargets: { modificationRate: { max: 0.05 } } })).statusCode).toBe(
      200,
    );
    await checkKpiTargets(ctx.deps);
    expect((await missedEvents()).filter((e) => e.kpi === 'modificationRate')).toHaveLength(2);
  });

  it('refuses a target that is not a number with 400 and changes nothing', async () => {
    const res = await settings({ kpiTargets: { modificationRate: { max: 'low' } } });
    expect(res.statusCode).toBe(400);
    const bad = await settings({ kpiTargets: { speed: { max: 1 } } });
    expect(bad.statusCode).toBe(400);
  });
});
