/**
 * The contract breaches of issue 12 (point 7), one test each: lists page with limit 1..200 and a
 * cursor that is checked, unknown API paths are 404 problems, an address's country is a domain
 * refusal, null switches an approval threshold off, previews carry the approval's decision
 * fields, a manual reroute won by the same facility routes anew, and a canceled order's handover
 * says `canceled` (documented in the README's contract changelog).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/http/schemas/cursor.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS, PRODUCTS } from '../support/fixture.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const reason = { code: 'CUSTOMER_REQUEST' };

describe.each(ENGINES)('the contract on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine, { worker: { idleMs: 20 } });
  });
  afterAll(async () => {
    await ctx?.close();
  });
  const get = (url: string, key: string = KEYS.admin) =>
    ctx.app.inject({ url, headers: auth(key) });
  const importOrder = async (overrides: Json = {}): Promise<Json> =>
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(overrides),
      })
    ).json();
  const change = (orderId: string, operations: object[], key: string = KEYS.agent, path = '') =>
    ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/changes${path}`,
      headers: { ...auth(key), prefer: 'wait=15' },
      payload: { operations, reason },
    });

  it('pages /v1/products with limit and cursor, every product once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/v1/products?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((p: Json) => p.sku));
      cursor = page.nextCursor;
    } while (cursor);
    // By name then sku; every product exactly once.
    expect([...seen].sort()).toEqual(PRODUCTS.map((p) => p.sku).sort());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it.each(['-1', '0', '201', 'x'])('refuses /v1/products?limit=%s with 400', async (limit) => {
    const res = await get(`/v1/products?limit=${limit}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('REQUEST_INVALID');
  });

  it('accepts limit and cursor on /v1/stock, /v1/facilities and /v1/promotions', async () => {
    for (const list of ['/v1/stock', '/v1/facilities', '/v1/promotions']) {
      const first = await get(`${list}?limit=1`);
      expect(first.statusCode, list).toBe(200);
      const page = first.json();
      expect(page.items.length, list).toBeLessThanOrEqual(1);
      if (page.nextCursor) {
        const second = (await get(`${list}?limit=1&cursor=${page.nextCursor}`)).json();
        expect(second.items[0], list).not.toEqual(page.items[0]);
      }
    }
    expect((await get('/v1/stock?limit=1')).json().nextCursor).not.toBeNull();
  });

  const crafted: [string, string][] = [
    ['/v1/orders', encodeCursor({ c: '2026-01-01T00:00:00.000Z', s: 1.5 })],
    ['/v1/orders', encodeCursor({ c: '2026-02-31T00:00:00.000Z', s: 1 })],
    ['/v1/orders', encodeCursor({ c: 'yesterday', s: 1 })],
    ['/v1/orders', 'not base64!'],
    ['/v1/webhooks/wh_none/deliveries', encodeCursor([])],
    ['/v1/webhooks/wh_none/deliveries', encodeCursor(-1)],
    ['/v1/products', encodeCursor({ n: 'Apples', k: { $gt: '' } })],
    ['/v1/stock', encodeCursor({ f: 'berlin' })],
    ['/v1/pick-jobs', encodeCursor({ s: '1', i: 'x' })],
    ['/v1/inbox', encodeCursor({ s: 1e300 })],
  ];
  it.each(crafted)(
    'refuses a crafted cursor on %s (%s) with 400 on the field cursor',
    async (list, c) => {
      const res = await get(`${list}?cursor=${encodeURIComponent(c)}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'REQUEST_INVALID',
        errors: [{ field: 'cursor' }],
      });
    },
  );

  it.each(['/v1/nothing-here', '/api/nothing-here', '/api/oms/x/y'])(
    'answers GET %s with a 404 problem, not the console',
    async (url) => {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    },
  );

  it('refuses a country that is not two letters as ADDRESS_INVALID 422 on its field', async () => {
    const address = {
      name: 'Erika',
      street: 'Hauptstr. 1',
      city: 'Berlin',
      postalCode: '10115',
      country: 'DEU',
    };
    const imported = await ctx.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: auth(KEYS.integration),
      payload: anImport({ shippingAddress: address }),
    });
    expect(imported.statusCode).toBe(422);
    expect(imported.json()).toMatchObject({
      code: 'ADDRESS_INVALID',
      errors: [{ field: 'shippingAddress.country' }],
    });
    const order = await importOrder();
    const res = await change(
      order.id,
      [{ op: 'setShippingAddress', address }],
      KEYS.agent,
      '/preview',
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('ADDRESS_INVALID');
    expect(res.json().errors[0].field).toMatch(/country$/);
  });

  it('switches an approval threshold off with null, and keeps it off', async () => {
    const patch = (approval: Json) =>
      ctx.app.inject({
        method: 'PATCH',
        url: '/v1/settings',
        headers: auth(KEYS.admin),
        payload: { approval },
      });
    const order = await importOrder();
    const needsApproval = async () =>
      (
        await change(
          order.id,
          [{ op: 'addItem', sku: 'MILK', quantity: 1 }],
          KEYS.agent,
          '/preview',
        )
      ).json().approval.required as boolean;
    await patch({ valueDeltaAbove: 1 });
    expect(await needsApproval()).toBe(true);
    expect((await patch({ valueDeltaAbove: null })).json().approval.valueDeltaAbove).toBeNull();
    expect((await get('/v1/settings')).json().approval.valueDeltaAbove).toBeNull();
    await patch({ changesPerOrderAbove: 999 }); // another key: the null stays
    expect((await get('/v1/settings')).json().approval.valueDeltaAbove).toBeNull();
    // Off means off (the default, 200.00, would not have come back either way for 1.19).
    await patch({ valueDeltaPctAbove: null });
    expect(await needsApproval()).toBe(false);
    await patch({
      valueDeltaAbove: 10_000_000,
      valueDeltaPctAbove: 10_000,
      changesPerOrderAbove: 1000,
    });
  });

  it('gives a preview the approval fields of a change: decision, decidedBy, decidedAt, note (null)', async () => {
    const order = await importOrder();
    const preview = (
      await change(order.id, [{ op: 'addItem', sku: 'MILK', quantity: 1 }], KEYS.agent, '/preview')
    ).json();
    expect(preview.approval).toMatchObject({
      decision: null,
      decidedBy: null,
      decidedAt: null,
      note: null,
    });
    expect(typeof preview.approval.required).toBe('boolean');
  });

  it('routes anew on a manual reroute won by the same facility: the open pick job is replaced', async () => {
    const order = await importOrder();
    const before = (order.fulfilment.pickJobs as Json[]).find((j) => j.status === 'open')!;
    const res = await change(order.id, [{ op: 'reroute' }], KEYS.supervisor);
    expect(res.json().status).toBe('applied');
    const after = (await get(`/v1/orders/${order.id}`)).json();
    expect(after.facilityId).toBe(order.facilityId);
    const jobs = after.fulfilment.pickJobs as Json[];
    expect(jobs.find((j) => j.id === before.id)?.status).toBe('canceled');
    const open = jobs.filter((j) => j.status === 'open');
    expect(open).toHaveLength(1);
    expect(open[0]!.id).not.toBe(before.id);
  });

  it("gives a canceled order's handover the documented status canceled", async () => {
    const order = await importOrder();
    expect(order.fulfilment.handover.status).toBe('open');
    const res = await change(order.id, [{ op: 'cancelOrder', reasonCode: 'CUSTOMER_REQUEST' }]);
    expect(res.json().status).toBe('applied');
    const after = (await get(`/v1/orders/${order.id}`)).json();
    expect(after.status).toBe('canceled');
    // README "Changelog of the API contract": open | handed-over | canceled.
    expect(after.fulfilment.handover.status).toBe('canceled');
  });
});
