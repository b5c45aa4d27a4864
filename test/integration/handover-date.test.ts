import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

const reason = { code: 'CUSTOMER_REQUEST' };

describe.each(ENGINES)('setDeliveryDate with a handover date on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('stores the hand-over job date, audits it, and refuses one after the delivery day', async () => {
    const order = (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport({ preferredDeliveryDate: '2030-03-10' }),
      })
    ).json();
    const change = (operations: object[]) =>
      ctx.app.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/changes`,
        headers: { ...auth(KEYS.agent), prefer: 'wait=10' },
        payload: { operations, reason },
      });
    const res = await change([{ op: 'setDeliveryDate', handoverDate: '2030-03-09' }]);
    expect(res.statusCode).toBe(200);
    const read = (
      await ctx.app.inject({ url: `/v1/orders/${order.id}`, headers: auth(KEYS.agent) })
    ).json();
    expect(read.fulfilment.handover).toMatchObject({ status: 'open', date: '2030-03-09' });
    expect(read.preferredDeliveryDate).toBe('2030-03-10');
    expect(res.json().plan.fields).toContainEqual({
      path: 'handoverDate',
      old: null,
      new: '2030-03-09',
    });

    const late = await change([{ op: 'setDeliveryDate', handoverDate: '2030-03-11' }]);
    expect(late.statusCode).toBe(422);
    expect(late.json().errors.map((e: { code: string }) => e.code)).toEqual([
      'HANDOVER_DATE_AFTER_DELIVERY',
    ]);
  });
});
