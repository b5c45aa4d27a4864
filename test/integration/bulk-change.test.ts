import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

describe.each(ENGINES)('bulk changes on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const start = (body: object, key: string = KEYS.supervisor) =>
    ctx.app.inject({ method: 'POST', url: '/v1/bulk-changes', headers: auth(key), payload: body });
  const finished = async (location: string) => {
    for (let i = 0; i < 100; i++) {
      const job = (await ctx.app.inject({ url: location, headers: auth(KEYS.agent) })).json();
      if (job.status === 'completed') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the bulk job did not complete');
  };

  it('previews with dryRun, then applies to the orders a filter selects, each as its own change', async () => {
    const channel = `bulk-${Date.now()}`;
    const a = (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport({ channel }),
      })
    ).json();
    const b = (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport({ channel, origin: 'chain' }),
      })
    ).json();
    const body = {
      filter: { channel },
      operations: [{ op: 'adjustTotal', discount: 100 }],
      reason: { code: 'CUSTOMER_REQUEST' },
    };

    const dry = await start({ ...body, dryRun: true });
    expect(dry.statusCode).toBe(202);
    const preview = await finished(dry.headers.location as string);
    type Result = { orderId: string; changeId?: string; status: string; code?: string };
    const byOrder = (job: { results: Result[] }): Record<string, Result> =>
      Object.fromEntries(job.results.map((r) => [r.orderId, r]));
    expect(byOrder(preview)[a.id]).toMatchObject({ status: 'would-apply' });
    expect(byOrder(preview)[b.id]).toMatchObject({ status: 'would-refuse', code: 'CHAIN_ORDER' });
    expect(
      (await ctx.app.inject({ url: `/v1/orders/${a.id}`, headers: auth() })).json().version,
    ).toBe(0);
    // 500 off an order of about 13 € is a drop above a 30 % approval threshold.
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/settings',
      headers: auth(),
      payload: { approval: { valueDeltaPctAbove: 30 } },
    });
    const risky = await finished(
      (
        await start({
          ...body,
          operations: [{ op: 'applyPromotion', code: 'FIVEOFF' }],
          dryRun: true,
        })
      ).headers.location as string,
    );
    expect(byOrder(risky)[a.id]).toMatchObject({ status: 'would-need-approval' });

    const real = await finished((await start(body)).headers.location as string);
    expect(real).toMatchObject({ total: 2, done: 2, succeeded: 1, failed: 1 });
    const change = (
      await ctx.app.inject({ url: `/v1/changes/${byOrder(real)[a.id]?.changeId}`, headers: auth() })
    ).json();
    expect(change).toMatchObject({ status: 'applied', requestedBy: { app: 'bulk' } });
    expect(
      (await ctx.app.inject({ url: `/v1/orders/${a.id}`, headers: auth() })).json().adjustments
        .discount,
    ).toBe(100);
  });

  it('needs exactly one of orderIds and filter, and BULK_WRITE', async () => {
    const ops = {
      operations: [{ op: 'adjustTotal', discount: 1 }],
      reason: { code: 'CUSTOMER_REQUEST' },
    };
    expect((await start(ops)).json().code).toBe('REQUEST_INVALID');
    expect((await start({ ...ops, orderIds: ['x'], filter: {} })).json().code).toBe(
      'REQUEST_INVALID',
    );
    expect((await start({ ...ops, orderIds: ['x'] }, KEYS.agent)).json()).toMatchObject({
      code: 'PERMISSION_DENIED',
      permission: 'BULK_WRITE',
    });
  });
});
