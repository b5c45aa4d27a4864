import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

describe.each(ENGINES)('rerouting unroutable orders in bulk on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const importOrder = async (lines: object[]) =>
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport({ lines } as never),
      })
    ).json();
  const run = async (body: object) => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/routing/reroute-unroutable',
      headers: auth(KEYS.supervisor),
      payload: body,
    });
    expect(res.statusCode).toBe(202);
    for (let i = 0; i < 100; i++) {
      const job = (
        await ctx.app.inject({ url: res.headers.location as string, headers: auth(KEYS.agent) })
      ).json();
      if (job.status === 'completed') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the bulk job did not complete');
  };

  it('routes what arriving stock allows, reports what still cannot be, skips routed orders, and routes nothing twice', async () => {
    // More pears than any facility has (Berlin 10, Hamburg 5): both start unroutable.
    const fits = await importOrder([{ sku: 'PEAR', quantity: 16 }]);
    const tooBig = await importOrder([{ sku: 'PEAR', quantity: 500 }]);
    const routed = await importOrder([{ sku: 'APPLE', quantity: 1 }]);
    expect([fits, tooBig].map((o) => o.fulfilment.routing.status)).toEqual([
      'unroutable',
      'unroutable',
    ]);
    // A delivery arrives in Hamburg (the inventory feed writes stock directly).
    await ctx.deps.db
      .updateTable('stock')
      .set((eb) => ({ on_hand: eb('on_hand', '+', 20) }))
      .where('tenant_id', '=', 't1')
      .where('facility_id', '=', 'hamburg')
      .where('sku', '=', 'PEAR')
      .execute();

    const job = await run({ orderIds: [fits.id, tooBig.id, routed.id] });
    expect(job).toMatchObject({ total: 3, done: 3, succeeded: 1, failed: 2 });
    const byOrder = Object.fromEntries(job.results.map((r: { orderId: string }) => [r.orderId, r]));
    expect(byOrder[fits.id]).toMatchObject({ status: 'routed', changeId: expect.any(String) });
    expect(byOrder[tooBig.id]).toMatchObject({ status: 'unroutable', code: 'ORDER_UNROUTABLE' });
    expect(byOrder[routed.id]).toMatchObject({ status: 'skipped', code: 'ORDER_NOT_UNROUTABLE' });
    const change = (
      await ctx.app.inject({ url: `/v1/changes/${byOrder[fits.id].changeId}`, headers: auth() })
    ).json();
    expect(change).toMatchObject({
      status: 'applied',
      requestedBy: { app: 'bulk' },
      operations: [{ op: 'reroute' }],
    });
    const now = (await ctx.app.inject({ url: `/v1/orders/${fits.id}`, headers: auth() })).json();
    expect(now).toMatchObject({
      facilityId: 'hamburg',
      version: 1,
      fulfilment: {
        routing: { status: 'routed' },
        reservations: [{ facilityId: 'hamburg', quantity: 16 }],
      },
    });

    // The supervisor is told once, by the job's summary, not by each order's change (issue 17).
    const inbox = (
      await ctx.app.inject({ url: '/v1/inbox', headers: auth(KEYS.supervisor) })
    ).json().items;
    expect(inbox).toEqual([
      expect.objectContaining({
        kind: 'bulk-job',
        bulkJobId: job.id,
        jobKind: 'reroute-unroutable',
        operations: [{ op: 'reroute' }],
        detail: 'Reroute of 3 unroutable orders done: 1 routed again, 1 rejected, 1 skipped.',
      }),
    ]);

    const again = await run({ orderIds: [fits.id, tooBig.id] });
    expect(again.results.map((r: { status: string }) => r.status)).toEqual([
      'skipped',
      'unroutable',
    ]);
    expect(
      (await ctx.app.inject({ url: `/v1/orders/${fits.id}`, headers: auth() })).json().version,
    ).toBe(1);
  });

  it('needs ROUTING_WRITE', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/routing/reroute-unroutable',
      headers: auth(KEYS.agent),
      payload: {},
    });
    expect(res.json()).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'ROUTING_WRITE' });
  });
});
