/**
 * VTEX's request errors through the facade (seeds 003, 004; VTEX-FACADE.md §3.9): each answers
 * VTEX's code and message in VTEX's envelope, v1 messages on v1, v2 on v2, and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';
import { expectVtexError, vtexClient, vtexHeaders } from '../support/vtex-client.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.each(ENGINES)("VTEX's errors through the facade on %s", (engine) => {
  let ctx: TestContext;
  let vtex: ReturnType<typeof vtexClient>;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
    vtex = vtexClient(ctx, KEYS.integration);
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/settings',
      headers: auth(),
      payload: { payments: { retryBudget: 1, retryBaseMs: 5, callTimeoutMs: 500 } },
    });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const importOrder = async (over: object = {}): Promise<Json> =>
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(over),
      })
    ).json();
  /** The simulator's next `times` credit-card calls meet `failure`; 'none' resets (it takes no count). */
  const simulate = async (failure: string, times?: number) => {
    const set = await ctx.app.inject({
      method: 'PUT',
      url: '/v1/payment-simulator/credit-card',
      headers: auth(),
      payload: { failure, ...(times === undefined ? {} : { times }) },
    });
    expect(set.statusCode).toBe(200); // a refused reset would leave the failure to the next tests
  };
  const versionOf = async (id: string) =>
    (await ctx.app.inject({ url: `/v1/orders/${id}`, headers: auth() })).json().version;
  const v1 = (over: object = {}) => ({
    requestId: `r-${Math.random()}`,
    reason: 'Customer called',
    discountValue: 0,
    incrementValue: 0,
    ...over,
  });
  // The central warehouse, where orders go once the stores run out of apples, stocks only apples and milk.
  const add = (id: string, quantity = 1, extra = {}) => ({
    reason: 'r',
    add: { items: [{ id, quantity, ...extra }] },
  });

  describe('v2 (Create, Preview)', () => {
    it.each([
      ['CHK0022', 'Invalid id for item.', 422, add('NOPE')],
      ['CHK0022', 'Invalid id for item.', 400, add(' ')],
      ['CHK0023', 'Invalid quantity for item.', 422, add('MILK', 0)],
      [
        'CHK0034',
        "The value of the change exceed the order's price.",
        422,
        { reason: 'r', manualDiscountValue: 9_999_999 },
      ],
      [
        'CHK0098',
        'The change value needs to be greater or equal than zero.',
        422,
        { reason: 'r', manualDiscountValue: -1 },
      ],
      ['CHK0124', 'Invalid change for order.', 422, { reason: 'r' }],
      ['REASON_REQUIRED', 'Field reason not set', 422, { reason: ' ', add: add('MILK').add }],
      [
        'SalesOrderSystem055',
        'Item modification is not allowed when the measurement unit differs from the original.',
        422,
        add('MILK', 1, { measurementUnit: 'kg' }),
      ],
    ])('answers %s "%s"', async (code, message, status, body) => {
      const order = await importOrder();
      expectVtexError(await vtex.preview(order.id, body), status, code, message);
      expectVtexError(await vtex.create(order.id, body), status, code, message);
      expect(await versionOf(order.id)).toBe(0);
    });

    it('names the item and the operation it could not remove (SalesOrderSystem010, 011)', async () => {
      const order = await importOrder();
      const missing = { reason: 'r', remove: { items: [{ id: 'WINE', quantity: 1 }] } };
      expectVtexError(
        await vtex.create(order.id, missing),
        422,
        'SalesOrderSystem010',
        "It's not possible to remove the item of ID WINE from the original order. Validate your remove operation items IDs.",
      );
      const tooMany = { reason: 'r', remove: { items: [{ id: 'APPLE', quantity: 5 }] } };
      expectVtexError(
        await vtex.create(order.id, tooMany),
        422,
        'SalesOrderSystem011',
        /^It's not possible to remove more than 2 quantities of the item of ID APPLE/,
      );
    });

    it('asks for the uniqueId of a sku on several lines (SalesOrderSystem026)', async () => {
      const order = await importOrder({
        lines: [
          { sku: 'APPLE', quantity: 1 },
          { sku: 'APPLE', quantity: 2 },
        ],
      });
      const body = { reason: 'r', remove: { items: [{ id: 'APPLE', quantity: 1 }] } };
      expectVtexError(await vtex.create(order.id, body), 422, 'SalesOrderSystem026');
      const named = {
        reason: 'r',
        remove: { items: [{ id: 'APPLE', uniqueId: order.lines[1].lineId, quantity: 1 }] },
      };
      expect((await vtex.create(order.id, named)).statusCode).toBe(202);
    });

    it('answers the order gates and the payment rules with their codes', async () => {
      const chain = await importOrder({ origin: 'chain' });
      expectVtexError(
        await vtex.create(chain.id, add('MILK')),
        422,
        'CHK0095',
        'Changes in chain orders are not allowed.',
      );
      const slip = await importOrder({ payments: [{ method: 'bank-slip' }] });
      expectVtexError(
        await vtex.create(slip.id, add('MILK')),
        422,
        'CHK00342',
        'Change order cannot increase the value for this payment method.',
      );
      const settled = await importOrder({
        payments: [{ method: 'credit-card', settledByApi: true }],
      });
      const removal = { reason: 'r', remove: { items: [{ id: 'MILK', quantity: 1 }] } };
      expectVtexError(
        await vtex.create(settled.id, removal),
        422,
        'CHK0096',
        'Change cannot be done. Possible reason: settlement directly done by API.',
      );
      const unpaid = await importOrder({ payments: [] });
      expectVtexError(
        await vtex.create(unpaid.id, add('MILK')),
        422,
        'CHK0196',
        `Cannot cancel order ${unpaid.id} - Payment not found.`,
      );
      expectVtexError(
        await vtex.create('v123-01', add('MILK')),
        404,
        'CHK0201',
        'Order v123-01 not found.',
      );
    });

    it('refuses a change after the invoice (SalesOrderSystem046)', async () => {
      const order = await importOrder();
      const step = (url: string, payload?: object) =>
        ctx.app.inject({
          method: 'POST',
          url,
          headers: auth(KEYS.admin),
          ...(payload ? { payload } : {}),
        });
      const job = order.fulfilment.pickJobs[0];
      await step(`/v1/pick-jobs/${job.id}/start`);
      await step(`/v1/pick-jobs/${job.id}/picks`, {
        lines: job.lines.map((l: Json) => ({ lineId: l.lineId, quantity: l.quantity })),
      });
      await step(`/v1/pick-jobs/${job.id}/close`);
      const label = (await step(`/v1/orders/${order.id}/labels`, {})).json();
      await step(`/v1/labels/${label.id}/generate`);
      await step(`/v1/orders/${order.id}/pack`);
      await step(`/v1/orders/${order.id}/hand-over`);
      expect((await step(`/v1/orders/${order.id}/invoice`)).statusCode).toBe(200);
      expectVtexError(
        await vtex.create(order.id, add('MILK')),
        422,
        'SalesOrderSystem046',
        'The order change is not allowed after the item invoice has been issued.',
      );
    });

    it("shows the gateway's unavailability while Amend retries (SalesOrderSystem018)", async () => {
      const settings = (payments: object) =>
        ctx.app.inject({
          method: 'PATCH',
          url: '/v1/settings',
          headers: auth(),
          payload: { payments },
        });
      const detailOf = async (orderId: string, id: string): Promise<Json> =>
        (await vtex.detail(orderId, id)).json();
      await settings({ retryBudget: 3, retryBaseMs: 2000 });
      await simulate('unavailable', 50);
      const order = await importOrder();
      let id: string | undefined;
      let detail: Json = {};
      try {
        id = (await vtex.create(order.id, add('MILK'))).json().requestId as string;
        for (let i = 0; i < 200 && !detail.error; i++) {
          detail = await detailOf(order.id, id);
          await new Promise((r) => setTimeout(r, 25));
        }
        expect(detail).toMatchObject({
          status: 'waiting-confirmation',
          inProgress: true,
          error: {
            code: 'SalesOrderSystem018',
            message: 'Unable to communicate with Participants Client.',
          },
        });
      } finally {
        await simulate('none');
        await settings({ retryBudget: 1, retryBaseMs: 5 });
        // The change is still retrying (its next attempt is 1-3 s away). Left behind, that attempt
        // would take the one failure a later test arms for its own change (CI: the decline meant for
        // v1's change went to this one, and v1's change was applied): it ends here.
        for (let i = 0; id && i < 600 && detail.inProgress !== false; i++) {
          await new Promise((r) => setTimeout(r, 50));
          detail = await detailOf(order.id, id);
        }
      }
      // Once the gateway answers again, Amend's next attempt applies the change.
      expect(detail).toMatchObject({ status: 'done', inProgress: false, error: null });
    });
  });

  describe('v1 (Register modifications)', () => {
    it.each([
      [
        'CHK0098',
        'The modification value needs to be greater or equal than zero',
        422,
        { discountValue: -1 },
      ],
      [
        'CHK0124',
        'Invalid modification for order',
        422,
        { discountValue: 300, incrementValue: 300 },
      ],
      ['CHK0022', 'Invalid id for item', 400, { itemsAdded: [{ id: '', price: 1, quantity: 1 }] }],
      ['REASON_REQUIRED', 'Field reason not set', 422, { reason: '', discountValue: 10 }],
      [
        'CHK0034',
        "The value of the modification exceeds the order's price",
        422,
        { discountValue: 9_999_999 },
      ],
      [
        'SalesOrderSystem011',
        'Invalid quantity to remove from item APPLE',
        422,
        { itemsRemoved: [{ id: 'APPLE', price: 299, quantity: 9 }] },
      ],
    ])('answers %s "%s"', async (code, message, status, over) => {
      const order = await importOrder();
      expectVtexError(await vtex.registerV1(order.id, v1(over)), status, code, message);
      expect(await versionOf(order.id)).toBe(0);
    });

    it('answers 404 for an item not on the order or not in the catalog (seed 003)', async () => {
      const order = await importOrder();
      const removed = await vtex.registerV1(
        order.id,
        v1({ itemsRemoved: [{ id: 'WINE', price: 1, quantity: 1 }] }),
      );
      expectVtexError(removed, 404, 'SalesOrderSystem010', /WINE does not exist in the order/);
      const added = await vtex.registerV1(
        order.id,
        v1({ itemsAdded: [{ id: 'NOPE', price: 1, quantity: 1 }] }),
      );
      expectVtexError(added, 404, 'CHK0022', /NOPE does not exist in the catalog/);
      expectVtexError(
        await vtex.registerV1('v9-01', v1({ discountValue: 1 })),
        404,
        'CHK0201',
        'Order v9-01 not found.',
      );
    });

    it("answers the status, origin and payment restrictions with seed 003's messages", async () => {
      const pending = await importOrder({ status: 'payment-pending' });
      expectVtexError(
        await vtex.registerV1(pending.id, v1({ discountValue: 1 })),
        422,
        'ORDER_STATUS_NOT_EDITABLE',
        /^It is only allowed to register an order modification when the order is in handling/,
      );
      const market = await importOrder({ status: 'payment-pending', origin: 'marketplace' });
      expectVtexError(
        await vtex.registerV1(market.id, v1({ discountValue: 1 })),
        422,
        'MARKETPLACE_PAYMENT_NOT_APPROVED',
        /when the payment is approved - status = payment-approved$/,
      );
      const chain = await importOrder({ origin: 'chain' });
      expectVtexError(
        await vtex.registerV1(chain.id, v1({ discountValue: 1 })),
        422,
        'CHK0095',
        'It is not allowed to make modifications to chain orders',
      );
      const slip = await importOrder({ payments: [{ method: 'bank-slip' }] });
      expectVtexError(
        await vtex.registerV1(slip.id, v1({ incrementValue: 100 })),
        422,
        'CHK00342',
        /^It's not allowed to make modifications in orders without a credit card payment/,
      );
      const settled = await importOrder({
        payments: [{ method: 'credit-card', settledByApi: true }],
      });
      expectVtexError(
        await vtex.registerV1(settled.id, v1({ discountValue: 100 })),
        422,
        'CHK0096',
        'Modification cannot be done. Possible reason: settlement directly done by API',
      );
      const unpaid = await importOrder({ payments: [] });
      expectVtexError(
        await vtex.registerV1(unpaid.id, v1({ incrementValue: 100 })),
        422,
        'CHK0196',
        `Impossible cancel order ${unpaid.id} - Payment not found`,
      );
    });

    it('answers MAX_CHANGES_EXCEEDED after 50 changes', async () => {
      const order = await importOrder();
      for (let i = 0; i < 50; i++)
        await ctx.app.inject({
          method: 'POST',
          url: `/v1/orders/${order.id}/changes`,
          headers: auth(),
          payload: {
            operations: [{ op: 'setCustomAttributes', set: { n: i } }],
            reason: { code: 'CUSTOMER_REQUEST' },
          },
        });
      expectVtexError(
        await vtex.registerV1(order.id, v1({ discountValue: 1 })),
        422,
        'MAX_CHANGES_EXCEEDED',
        'Max allowed modifications for order exceeded: 50',
      );
    });

    it("answers a refused outcome it waited for with the outcome's code", async () => {
      const order = await importOrder();
      await simulate('decline', 1);
      expectVtexError(
        await vtex.registerV1(order.id, v1({ incrementValue: 100 })),
        422,
        'PAYMENT_DECLINED',
      );
      await simulate('unavailable', 50);
      try {
        expectVtexError(
          await vtex.registerV1(order.id, v1({ incrementValue: 100 })),
          422,
          'SalesOrderSystem017',
          'Change process was automatically canceled after failed retries.',
        );
      } finally {
        await simulate('none');
      }
      expect(await versionOf(order.id)).toBe(0);
    });
  });

  describe('edges', () => {
    it('answers 401 without a key or with an unknown one, and 403 for what the role may not do', async () => {
      const order = await importOrder();
      const none = await ctx.app.inject({ url: `/api/oms/pvt/orders/${order.id}` });
      expectVtexError(none, 401, 'UNAUTHENTICATED');
      const unknown = await vtexClient(ctx, 'nope').order(order.id);
      expectVtexError(unknown, 401, 'UNAUTHENTICATED');
      const id = (await vtex.create(order.id, add('MILK'))).json().requestId;
      const picker = vtexClient(ctx, KEYS.picker);
      expectVtexError(await picker.cancel(order.id, id, { reason: 'x' }), 403, 'PERMISSION_DENIED');
    });

    it('answers malformed JSON and wrong types with 400 in the envelope, never a 5xx', async () => {
      const order = await importOrder();
      const broken = await ctx.app.inject({
        method: 'PATCH',
        url: `/api/order-system/orders/${order.id}/changes`,
        headers: { ...vtexHeaders(KEYS.integration), 'content-type': 'application/json' },
        payload: '{"reason": ',
      });
      expectVtexError(broken, 400, 'REQUEST_INVALID');
      const typed = await vtex.create(order.id, {
        reason: 'r',
        add: { items: [{ id: 'PEAR', quantity: '1' }] },
      });
      expectVtexError(typed, 400, 'REQUEST_INVALID');
      expect(typed.json().error.amend.errors[0].field).toBe('add.items[0].quantity');
      const v1Broken = await vtex.registerV1(order.id, {
        requestId: 'x',
        discountValue: 'a',
        incrementValue: 0,
      });
      expectVtexError(v1Broken, 400, 'REQUEST_INVALID');
      expect(await versionOf(order.id)).toBe(0);
    });

    it('answers unknown /api/ paths with a 404 problem, not the console', async () => {
      const answer = await ctx.app.inject({ url: '/api/oms/pvt/nothing-here', headers: auth() });
      expect(answer.statusCode).toBe(404);
      expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it('documents every facade operation in /openapi.json under the tag vtex, and /docs shows them', async () => {
      const doc = (await ctx.app.inject({ url: '/openapi.json' })).json();
      const ops = Object.values(doc.paths as Json).flatMap((p: Json) =>
        Object.values(p).filter((o: Json) => o.tags?.includes('vtex')),
      ) as Json[];
      expect(ops.map((o) => o.operationId).sort()).toEqual([
        'CancelChangeStoppedonError',
        'Createchange',
        'GetChangeDetail',
        'GetChangeHistory',
        'GetChangeSummary',
        'GetOrder',
        'PreviewChange',
        'RegisterChange',
        'RetryChange',
      ]);
      expect(Object.keys(doc.components.schemas)).toEqual(
        expect.arrayContaining([
          'VtexChange',
          'VtexChangeDetail',
          'VtexOrder',
          'VtexChangeRequest',
          'VtexError',
        ]),
      );
      const create = doc.paths['/api/order-system/orders/{changeOrderId}/changes'].patch;
      expect(create.responses['202'].content['application/json'].schema.$ref).toBe(
        '#/components/schemas/VtexChange',
      );
      expect((await ctx.app.inject({ url: '/docs/' })).statusCode).toBe(200);
    });
  });
});
