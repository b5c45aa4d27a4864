/** changePaymentMethod through HTTP, the worker and the gateway simulator; compensated when the new authorization fails. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

const reason = { code: 'CUSTOMER_REQUEST' };

describe.each(ENGINES)('changePaymentMethod on %s', (engine) => {
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
  const change = (orderId: string, operations: object[]) =>
    ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/changes`,
      headers: { ...auth(KEYS.agent), prefer: 'wait=15' },
      payload: { operations, reason },
    });
  const get = async (url: string) => (await ctx.app.inject({ url, headers: auth() })).json();
  const ledger = (changeId: string) =>
    ctx.deps.db
      .selectFrom('payment_simulator_ledger')
      .select(['action', 'amount', 'outcome'])
      .where('key', 'like', `${changeId}:%`)
      .orderBy('created_at')
      .execute();
  const simulate = (method: string, body: object) =>
    ctx.app.inject({
      method: 'PUT',
      url: `/v1/payment-simulator/${method}`,
      headers: auth(),
      payload: body,
    });

  it('voids the card authorization and authorizes the new method through the worker', async () => {
    const order = await importOrder();
    const res = await change(order.id, [{ op: 'changePaymentMethod', method: 'promissory' }]);
    expect(res.json()).toMatchObject({ status: 'applied', orderVersion: 1 });
    const after = await get(`/v1/orders/${order.id}`);
    expect(after.payments).toHaveLength(1);
    expect(after.payments[0]).toMatchObject({
      method: 'promissory',
      authorized: order.payments[0].authorized,
      captured: 0,
    });
    expect(after.totals).toEqual(order.totals);
    const moved = await ledger(res.json().id);
    expect(moved.map((m) => [m.action, Number(m.amount), m.outcome])).toEqual([
      ['reduce-authorization', order.payments[0].authorized, 'succeeded'],
      ['authorize', order.payments[0].authorized, 'succeeded'],
    ]);
  });

  it('rejects with PAYMENT_DECLINED and re-authorizes the old payment when the new one is declined', async () => {
    const order = await importOrder();
    expect((await simulate('cash', { failure: 'decline', times: 1 })).statusCode).toBeLessThan(300);
    const res = await change(order.id, [{ op: 'changePaymentMethod', method: 'cash' }]);
    expect(res.json()).toMatchObject({ status: 'rejected', outcome: { code: 'PAYMENT_DECLINED' } });
    const after = await get(`/v1/orders/${order.id}`);
    expect(after).toMatchObject({ version: 0, payments: order.payments });
    const moved = await ledger(res.json().id);
    expect(moved.map((m) => [m.action, m.outcome])).toEqual([
      ['reduce-authorization', 'succeeded'],
      ['authorize', 'declined'],
      ['authorize', 'succeeded'],
    ]);
  });

  it('hides the operation in editability once the payment was captured, with the reason', async () => {
    const order = await importOrder({ payments: [{ method: 'credit-card', captured: 500 }] });
    const view = await get(`/v1/orders/${order.id}/editability`);
    expect(view.operations.changePaymentMethod).toMatchObject({ allowed: false, visible: false });
    expect(view.operations.changePaymentMethod.refusals[0].code).toBe('PAYMENT_ALREADY_CAPTURED');
    const res = await change(order.id, [{ op: 'changePaymentMethod', method: 'cash' }]);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('PAYMENT_ALREADY_CAPTURED');
  });
});
