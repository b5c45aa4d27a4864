import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyIntegrity } from '../../src/app/verify.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

describe.each(ENGINES)('amend verify on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => { ctx = await createTestContext(engine); });
  afterAll(async () => { await ctx?.close(); });

  it('finds nothing wrong after imports and a full fulfilment walk, and reports a tampered total', async () => {
    const post = (url: string, payload?: object, key = KEYS.picker) => ctx.app.inject({ method: 'POST', url, headers: auth(key), ...(payload ? { payload } : {}) });
    const order = (await post('/v1/orders', anImport(), KEYS.integration)).json();
    await post('/v1/orders', anImport({ lines: [{ sku: 'WINE', quantity: 99 }] }), KEYS.integration);
    const job = order.fulfilment.pickJobs[0];
    await post(`/v1/pick-jobs/${job.id}/start`);
    await post(`/v1/pick-jobs/${job.id}/picks`, { lines: job.lines.map((l: { lineId: string; quantity: number }) => ({ lineId: l.lineId, quantity: l.quantity })) });
    await post(`/v1/pick-jobs/${job.id}/close`);
    const label = (await post(`/v1/orders/${order.id}/labels`)).json();
    await post(`/v1/labels/${label.id}/generate`);
    for (const step of ['pack', 'hand-over', 'invoice', 'ship']) expect((await post(`/v1/orders/${order.id}/${step}`)).statusCode).toBe(200);

    expect(await verifyIntegrity(ctx.deps)).toEqual({ orders: 2, violations: [] });

    await ctx.deps.db.updateTable('orders').set((eb) => ({ grand_total: eb('grand_total', '+', 1) })).where('id', '=', order.id).execute();
    await ctx.deps.db.updateTable('stock').set((eb) => ({ reserved: eb('reserved', '+', 1) })).where('tenant_id', '=', 't1').where('sku', '=', 'PEAR').where('facility_id', '=', 'berlin').execute();
    const { violations } = await verifyIntegrity(ctx.deps);
    expect(violations.map((v) => v.rule).sort()).toEqual(['STOCK_MISMATCH', 'TOTALS_MISMATCH']);
  });
});
