import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyIntegrity } from '../../src/app/verify.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

describe.each(ENGINES)('amend verify on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('finds nothing wrong after imports and a full fulfilment walk, and reports a tampered total', async () => {
    const post = (url: string, payload?: object, key = KEYS.picker) =>
      ctx.app.inject({ method: 'POST', url, headers: auth(key), ...(payload ? { payload } : {}) });
    const order = (await post('/v1/orders', anImport(), KEYS.integration)).json();
    await post(
      '/v1/orders',
      anImport({ lines: [{ sku: 'WINE', quantity: 99 }] }),
      KEYS.integration,
    );
    const job = order.fulfilment.pickJobs[0];
    await post(`/v1/pick-jobs/${job.id}/start`);
    await post(`/v1/pick-jobs/${job.id}/picks`, {
      lines: job.lines.map((l: { lineId: string; quantity: number }) => ({
        lineId: l.lineId,
        quantity: l.quantity,
      })),
    });
    await post(`/v1/pick-jobs/${job.id}/close`);
    const label = (await post(`/v1/orders/${order.id}/labels`)).json();
    await post(`/v1/labels/${label.id}/generate`);
    for (const step of ['pack', 'hand-over', 'invoice', 'ship'])
      expect((await post(`/v1/orders/${order.id}/${step}`)).statusCode).toBe(200);

    expect(await verifyIntegrity(ctx.deps)).toMatchObject({ orders: 2, violations: [] });

    await ctx.deps.db
      .updateTable('orders')
      .set((eb) => ({ grand_total: eb('grand_total', '+', 1) }))
      .where('id', '=', order.id)
      .execute();
    await ctx.deps.db
      .updateTable('stock')
      .set((eb) => ({ reserved: eb('reserved', '+', 1) }))
      .where('tenant_id', '=', 't1')
      .where('sku', '=', 'PEAR')
      .where('facility_id', '=', 'berlin')
      .execute();
    const { violations } = await verifyIntegrity(ctx.deps);
    // The tampered total no longer matches the lines, nor what the payments hold.
    expect(violations.map((v) => v.rule).sort()).toEqual([
      'PAYMENT_MISMATCH',
      'STOCK_MISMATCH',
      'TOTALS_MISMATCH',
    ]);
  });

  it('replays the audit of applied changes onto the imported order and reports an edit made behind its back', async () => {
    const order = (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(),
      })
    ).json();
    const change = async (operations: object[]) =>
      (
        await ctx.app.inject({
          method: 'POST',
          url: `/v1/orders/${order.id}/changes`,
          headers: { ...auth(KEYS.agent), prefer: 'wait=10' },
          payload: { operations, reason: { code: 'CUSTOMER_REQUEST' } },
        })
      ).json();
    const [apple, milk] = order.lines;
    await change([
      { op: 'setQuantity', lineId: apple.lineId, quantity: 4 },
      { op: 'addItem', sku: 'WINE', quantity: 1 },
    ]);
    await change([{ op: 'removeItem', lineId: milk.lineId }]);
    await change([
      { op: 'setShippingAddress', address: { city: 'Potsdam', postalCode: '14467' } },
      { op: 'setCustomAttributes', set: { gate: 'B' } },
    ]);
    await change([
      { op: 'applyPromotion', code: 'SAVE10' },
      { op: 'adjustTotal', increment: 200 },
    ]);
    const last = await change([
      { op: 'replaceItem', lineId: apple.lineId, fromQuantity: 1, sku: 'PEAR', quantity: 1 },
    ]);
    await ctx.app.inject({
      method: 'POST',
      url: `/v1/changes/${last.id}/undo`,
      headers: { ...auth(KEYS.agent), prefer: 'wait=10' },
      payload: { reason: { code: 'CUSTOMER_REQUEST' } },
    });
    expect(
      (await ctx.app.inject({ url: `/v1/orders/${order.id}`, headers: auth() })).json().version,
    ).toBe(6);

    const clean = await verifyIntegrity(ctx.deps);
    expect(clean.violations.filter((v) => v.orderId === order.id)).toEqual([]);

    await ctx.deps.db
      .updateTable('orders')
      .set({ custom_attributes: JSON.stringify({ gate: 'C' }) })
      .where('id', '=', order.id)
      .execute();
    const { violations } = await verifyIntegrity(ctx.deps);
    expect(violations.filter((v) => v.orderId === order.id).map((v) => v.rule)).toEqual([
      'AUDIT_REPLAY_MISMATCH',
    ]);
  });
});
