import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';
import { bodyOf, expectVtexError, expectVtexShape, vtexClient } from '../support/vtex-client.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(ENGINES)('a VTEX-shaped client of the facade on %s', (engine) => {
  let ctx: TestContext;
  let vtex: ReturnType<typeof vtexClient>;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
    vtex = vtexClient(ctx, KEYS.integration);
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/settings',
      headers: auth(),
      payload: { payments: { retryBudget: 2, retryBaseMs: 5, callTimeoutMs: 500 } },
    });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const importOrder = async (over = {}): Promise<Json> =>
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(over),
      })
    ).json();
  const amendOrder = async (id: string): Promise<Json> =>
    (await ctx.app.inject({ url: `/v1/orders/${id}`, headers: auth() })).json();
  const simulate = (body: object) =>
    ctx.app.inject({
      method: 'PUT',
      url: '/v1/payment-simulator/credit-card',
      headers: auth(),
      payload: body,
    });
  const settle = async (orderId: string, id: string): Promise<Json> => {
    for (let i = 0; i < 200; i++) {
      const detail = (await vtex.detail(orderId, id)).json();
      if (!detail.inProgress || detail.logs.at(-1)?.status === 'failed') return detail;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`change ${id} did not settle`);
  };

  it('registers a v1 change, answers its receipt once per requestId, and shows it in Get order', async () => {
    const order = await importOrder();
    const body = {
      requestId: 'pp-1',
      reason: 'Customer asked for pears',
      discountValue: 100,
      incrementValue: 0,
      itemsRemoved: [{ id: 'MILK', price: 119, quantity: 1 }],
      itemsAdded: [{ id: 'PEAR', price: 349, quantity: 2 }],
    };
    const first = await vtex.registerV1(order.id, body);
    expect(first.statusCode).toBe(200);
    expectVtexShape('RegisterChange', first.json());
    const { receipt, orderId, date } = first.json();
    expect(orderId).toBe(order.id);
    const change = (
      await ctx.app.inject({ url: `/v1/changes/${receipt}`, headers: auth() })
    ).json();
    expect(change).toMatchObject({
      status: 'applied',
      createdAt: date,
      requestedBy: { app: 'api' },
    });
    expect(change.reason).toEqual({ code: 'CUSTOMER_REQUEST', text: 'Customer asked for pears' });

    const replay = await vtex.registerV1(order.id, body);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.json().receipt).toBe(receipt);
    expect((await amendOrder(order.id)).version).toBe(1);
    const reused = await vtex.registerV1(order.id, { ...body, discountValue: 5 });
    expectVtexError(reused, 422, 'IDEMPOTENCY_KEY_REUSED');

    const got = await vtex.order(order.id);
    expect(got.statusCode).toBe(200);
    expectVtexShape('GetOrder', got.json());
    const after = await amendOrder(order.id);
    expect(got.json()).toMatchObject({
      orderId: order.id,
      status: 'ready-for-handling',
      origin: 'Fulfillment',
      value: after.totals.grandTotal,
    });
    expect(got.json().totals.reduce((s: number, t: Json) => s + t.value, 0)).toBe(got.json().value);
    expect(got.json().changesAttachment).toEqual({
      id: 'changeAttachment',
      changesData: [
        {
          reason: 'Customer asked for pears',
          discountValue: 100,
          incrementValue: 0,
          itemsAdded: [
            { id: 'PEAR', name: 'Pears 1 kg', quantity: 2, price: 349, unitMultiplier: null },
          ],
          itemsRemoved: [
            { id: 'MILK', name: 'Milk 1 l', quantity: 1, price: 119, unitMultiplier: null },
          ],
          receipt: { date, orderId: order.id, receipt },
        },
      ],
    });
  });

  it('answers Get order with changesAttachment null before any change', async () => {
    const order = await importOrder();
    const got = await vtex.order(order.id);
    expectVtexShape('GetOrder', got.json());
    expect(got.json().changesAttachment).toBeNull();
    expect(got.json().items.map((i: Json) => [i.uniqueId, i.id])).toEqual(
      order.lines.map((l: Json) => [l.lineId, l.sku]),
    );
  });

  it('previews a v2 change without writing, then creates it (202) with the same totalChangeValue', async () => {
    const order = await importOrder();
    const [apple] = order.lines;
    const body = {
      reason: 'The customer wants pears instead',
      replace: [
        {
          from: { items: [{ id: 'APPLE', uniqueId: apple.lineId, quantity: 2, price: 299 }] },
          to: { items: [{ id: 'PEAR', quantity: 2 }] },
        },
      ],
      add: { items: [{ id: 'WINE', quantity: 1, measurementUnit: 'un' }] },
      manualDiscountValue: 50,
    };
    const preview = await vtex.preview(order.id, body);
    expect(preview.statusCode).toBe(200);
    expectVtexShape('PreviewChange', preview.json());
    expect(preview.json()).not.toHaveProperty('requestId');
    expect((await amendOrder(order.id)).version).toBe(0);

    const created = await vtex.create(order.id, body);
    expect(created.statusCode).toBe(202);
    expectVtexShape('Createchange', created.json());
    const change = created.json();
    expect(change.totalChangeValue).toBe(preview.json().totalChangeValue);
    expect(change.totalChangeValue).not.toBe(0);
    expect(change.totals.reduce((s: number, t: Json) => s + t.value, 0)).toBe(
      change.totalChangeValue,
    );
    expect(change.replace[0].from.items[0]).toMatchObject({ id: 'APPLE', quantity: 2 });
    expect(change.replace[0].to.items[0]).toMatchObject({ id: 'PEAR', quantity: 2 });
    expect(change.add.items.map((i: Json) => i.id)).toEqual(['WINE']);
    expect(change.manualDiscountValue).toBe(50);
    const amend = (
      await ctx.app.inject({ url: `/v1/changes/${change.requestId}`, headers: auth() })
    ).json();
    expect(change.workflowId).toBe(amend.ticket);

    const detail = await settle(order.id, change.requestId);
    expectVtexShape('GetChangeDetail', detail);
    expect(detail).toMatchObject({ status: 'done', inProgress: false, error: null });
    const after = await amendOrder(order.id);
    expect(after.totals.grandTotal - order.totals.grandTotal).toBe(change.totalChangeValue);

    const history = await vtex.history(order.id);
    expectVtexShape('GetChangeHistory', history.json());
    expect(history.json().requests.map((r: Json) => r.requestId)).toEqual([change.requestId]);
    expect(history.json().actions).toEqual([]);

    const summary = await vtex.summary(order.id);
    expect(summary.statusCode).toBe(200);
    expectVtexShape('GetChangeSummary', summary.json());
    expect(summary.json()).toMatchObject({
      totalChangeValueAggregated: change.totalChangeValue,
      manualDiscountValueAggregated: 50,
      manualIncrementValueAggregated: 0,
    });
    expect(
      summary
        .json()
        .added.map((i: Json) => i.id)
        .sort(),
    ).toEqual(['PEAR', 'WINE']);
    expect(summary.json().removed.map((i: Json) => i.id)).toEqual(['APPLE']);
    expect(summary.json().replaced.map((r: Json) => r.replaceType)).toEqual(['ItemReplacement']);
  });

  it('retries a change stopped on error (204) and cancels one (200), as VTEX documents', async () => {
    const order = await importOrder();
    await simulate({ failure: 'unavailable', times: 50 });
    const created = await vtex.create(order.id, {
      reason: 'One more milk',
      add: { items: [{ id: 'MILK', quantity: 1 }] },
    });
    const id = created.json().requestId;
    const failed = await settle(order.id, id);
    expect(failed).toMatchObject({
      status: 'waiting-confirmation',
      inProgress: true,
      error: { code: 'SalesOrderSystem017' },
    });

    await simulate({ failure: 'none' });
    const retried = await vtex.retry(order.id, id, { reason: 'again' });
    expect(retried.statusCode).toBe(204);
    expect(retried.body).toBe('');
    expectVtexShape('RetryChange', bodyOf(retried));
    expect(await settle(order.id, id)).toMatchObject({ status: 'done', inProgress: false });
    expectVtexError(await vtex.retry(order.id, id), 409, 'CHANGE_TRANSITION_INVALID');
    expectVtexError(
      await vtex.cancel(order.id, id, { reason: 'late' }),
      409,
      'CHANGE_TRANSITION_INVALID',
    );

    await simulate({ failure: 'unavailable', times: 50 });
    const second = (
      await vtex.create(order.id, {
        reason: 'Wine too',
        add: { items: [{ id: 'WINE', quantity: 1 }] },
      })
    ).json().requestId;
    await settle(order.id, second);
    await simulate({ failure: 'none' });
    const canceled = await vtex.cancel(order.id, second, { reason: 'Customer changed their mind' });
    expect(canceled.statusCode).toBe(200);
    expect(canceled.json()).toEqual({});
    expectVtexShape('CancelChangeStoppedonError', bodyOf(canceled));
    const detail = (await vtex.detail(order.id, second)).json();
    expectVtexShape('GetChangeDetail', detail);
    expect(detail).toMatchObject({ status: 'canceled', inProgress: false });
    expect(detail.logs.at(-1)).toMatchObject({
      status: 'canceled',
      cause: 'canceled: Customer changed their mind',
    });
  });

  it('answers CHK0289 for a change of another order, or none', async () => {
    const a = await importOrder();
    const b = await importOrder();
    const id = (
      await vtex.create(a.id, { reason: 'r', add: { items: [{ id: 'MILK', quantity: 1 }] } })
    ).json().requestId;
    for (const answer of [
      await vtex.detail(b.id, id),
      await vtex.retry(b.id, id),
      await vtex.cancel(b.id, id),
      await vtex.detail(a.id, 'chg_unknown'),
    ])
      expectVtexError(answer, 404, 'CHK0289', /^Change order request .+ not found\.$/);
  });

  it('takes Authorization: Bearer too, and VTEX paths under VTEX_FACADE_PREFIX when one is set', async () => {
    const order = await importOrder();
    const bearer = await ctx.app.inject({
      url: `/api/oms/pvt/orders/${order.id}`,
      headers: auth(KEYS.picker),
    });
    expect(bearer.statusCode).toBe(200);
    const prefixed = await createTestContext(engine, { vtexPrefix: '/vtex' });
    try {
      const ok = await prefixed.app.inject({ url: `/vtex/api/oms/pvt/orders/x`, headers: auth() });
      expectVtexError(ok, 404, 'CHK0201', 'Order x not found.');
      const bare = await prefixed.app.inject({ url: `/api/oms/pvt/orders/x`, headers: auth() });
      expect(bare.statusCode).toBe(404);
      expect(bare.headers['content-type']).toMatch(/problem\+json/);
    } finally {
      await prefixed.close();
    }
  });
});
