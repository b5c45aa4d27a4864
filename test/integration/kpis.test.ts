/** GET /v1/kpis: every number checked against changes made through HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordVerifyRun, verifyIntegrity } from '../../src/app/verify.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS, OTHER_TENANT_ADMIN } from '../support/fixture.js';
import { IntegrityChecker } from '../../src/worker/integrity-checker.js';

describe.each(ENGINES)('KPIs on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const importOrder = async (over = {}) =>
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(over),
      })
    ).json();
  const change = (orderId: string, operations: object[], app = 'console', key = KEYS.agent) =>
    ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/changes`,
      headers: auth(key),
      payload: { operations, reason: { code: 'CUSTOMER_REQUEST' }, app },
    });
  const kpis = async (query = '', key = KEYS.supervisor) =>
    ctx.app.inject({ url: `/v1/kpis${query}`, headers: auth(key) });

  it('counts the modification rate, rejections by code, changes by app and channel, resolution time and integrity', async () => {
    const since = new Date().toISOString();
    const a = await importOrder({ channel: 'web' });
    const b = await importOrder({ channel: 'app' });
    await importOrder({ channel: 'web' });
    expect((await change(a.id, [{ op: 'setCustomAttributes', set: { x: 1 } }])).statusCode).toBe(
      200,
    );
    expect(
      (await change(a.id, [{ op: 'setCustomAttributes', set: { x: 2 } }], 'api')).statusCode,
    ).toBe(200);
    expect(
      (
        await change(
          b.id,
          [{ op: 'setQuantity', lineId: b.lines[0].lineId, quantity: 0 }],
          'picker',
          KEYS.picker,
        )
      ).json().code,
    ).toBe('QUANTITY_INVALID');
    expect((await change(b.id, [{ op: 'addItem', sku: 'NOPE', quantity: 1 }])).json().code).toBe(
      'SKU_NOT_FOUND',
    );

    const answer = await kpis(`?from=${encodeURIComponent(since)}`);
    expect(answer.statusCode).toBe(200);
    const k = answer.json();
    expect(k).toMatchObject({
      ordersCreated: 3,
      ordersModified: 1,
      modificationRate: 0.3333,
      rejectionsByCode: { QUANTITY_INVALID: 1, SKU_NOT_FOUND: 1 },
      changesByApp: { console: 2, api: 1, picker: 1 },
      changesByChannel: { web: 2, app: 2 },
      changesByStatus: { applied: 2, rejected: 2 },
      // Never null: with no run recorded yet the server checked integrity itself.
      integrityErrors: 0,
      lastVerify: { findings: 0 },
      unacknowledgedRejections: 2,
    });
    expect(k.lastVerify.ordersChecked).toBeGreaterThanOrEqual(3);
    expect(k.resolutionMs.count).toBe(4);
    expect(k.resolutionMs.p50).toBeGreaterThanOrEqual(0);
    expect(k.resolutionMs.p90).toBeGreaterThanOrEqual(k.resolutionMs.p50);
    expect(k.daily).toEqual([{ date: since.slice(0, 10), changes: 4, rejected: 2 }]);

    // By app: bulk apart (as the console's KPI page asks by default), or one app only.
    const range = `?from=${encodeURIComponent(since)}`;
    const notConsole = (await kpis(`${range}&excludeApp=console`)).json();
    expect(notConsole).toMatchObject({
      ordersModified: 1,
      changesByApp: { api: 1, picker: 1 },
      rejectionsByCode: { QUANTITY_INVALID: 1 },
    });
    expect(notConsole.changesByApp.console).toBeUndefined();
    expect(notConsole.resolutionMs.count).toBe(2);
    const picker = (await kpis(`${range}&app=picker`)).json();
    expect(picker).toMatchObject({ ordersModified: 0, changesByApp: { picker: 1 } });
    expect(picker.resolutionMs.count).toBe(1);
    expect((await kpis(`${range}&app=console,api`)).json().changesByApp).toEqual({
      console: 2,
      api: 1,
    });
    const bad = await kpis(`${range}&app=Not%20an%20app`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('REQUEST_INVALID');

    // The last `amend verify` run's findings for this tenant.
    await recordVerifyRun(ctx.deps, await verifyIntegrity(ctx.deps));
    expect((await kpis(`?from=${encodeURIComponent(since)}`)).json()).toMatchObject({
      integrityErrors: 0,
      lastVerify: { findings: 0 },
    });
    await ctx.deps.db
      .updateTable('orders')
      .set({ grand_total: 1 })
      .where('id', '=', a.id)
      .execute();
    await recordVerifyRun(ctx.deps, await verifyIntegrity(ctx.deps));
    expect((await kpis()).json().integrityErrors).toBeGreaterThan(0);
  });

  it('runs the integrity checks in the server on demand and answers the last run', async () => {
    const order = await importOrder();
    await ctx.deps.db
      .updateTable('orders')
      .set({ grand_total: 7 })
      .where('id', '=', order.id)
      .execute();
    const run = await ctx.app.inject({
      method: 'POST',
      url: '/v1/integrity-checks',
      headers: auth(KEYS.supervisor),
    });
    expect(run.statusCode).toBe(200);
    const found = run.json();
    expect(found.findings).toBeGreaterThan(0);
    expect(found.violations.some((v: { orderId: string }) => v.orderId === order.id)).toBe(true);
    const latest = await ctx.app.inject({
      url: '/v1/integrity-checks/latest',
      headers: auth(KEYS.supervisor),
    });
    expect(latest.json()).toEqual(found);
    expect((await kpis()).json()).toMatchObject({
      integrityErrors: found.findings,
      lastVerify: { at: found.at, findings: found.findings },
    });
    // Another tenant sees its own run only.
    const theirs = await ctx.app.inject({
      url: '/v1/integrity-checks/latest',
      headers: auth(OTHER_TENANT_ADMIN),
    });
    expect(theirs.json().violations).toEqual([]);
    const agent = await ctx.app.inject({
      method: 'POST',
      url: '/v1/integrity-checks',
      headers: auth(KEYS.agent),
    });
    expect(agent.json()).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'KPI_READ' });
  });

  it('keeps the figure fresh on a schedule (the integrity checker service)', async () => {
    const before = (await kpis()).json().lastVerify.at;
    const checker = new IntegrityChecker(ctx.deps, 1000).start();
    try {
      const end = Date.now() + 15_000;
      let at = before;
      while (at === before && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        at = (await kpis()).json().lastVerify.at;
      }
      expect(Date.parse(at)).toBeGreaterThan(Date.parse(before));
    } finally {
      await checker.stop();
    }
  });

  it('filters by the range, refuses a bad one, and needs KPI_READ', async () => {
    const past = await kpis('?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z');
    expect(past.json()).toMatchObject({
      ordersCreated: 0,
      modificationRate: 0,
      changesByApp: {},
      resolutionMs: { p50: null, p90: null },
    });
    const bad = await kpis('?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('REQUEST_INVALID');
    const backwards = await kpis('?from=2021-01-01T00:00:00Z&to=2020-01-01T00:00:00Z');
    expect(backwards.statusCode).toBe(400);
    const agent = await kpis('', KEYS.agent);
    expect(agent.statusCode).toBe(403);
    expect(agent.json()).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'KPI_READ' });
  });
});
