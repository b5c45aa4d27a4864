import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS, OTHER_TENANT_ADMIN } from '../support/fixture.js';

describe.each(ENGINES)('orders API on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const importOrder = (body: object, key = KEYS.integration) =>
    ctx.app.inject({ method: 'POST', url: '/v1/orders', headers: auth(key), payload: body });
  const countOrders = async () =>
    Number(
      (
        await ctx.deps.db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('imports an order: totals by the server, stock reserved, an open pick job and handover', async () => {
    const res = await importOrder(
      anImport({
        lines: [
          { sku: 'APPLE', quantity: 2 },
          { sku: 'CHEESE', quantity: 2, unitMultiplier: 0.75 },
        ],
      }),
    );
    expect(res.statusCode).toBe(201);
    const order = res.json();
    expect(res.headers.location).toBe(`/v1/orders/${order.id}`);
    expect(res.headers.etag).toBe('"0"');
    // 2 × 299 = 598 (tax 19 % → 114); 2 × 0.75 × 1299 = 1948.5 → 1948 (tax 370); shipping 495.
    expect(order.totals).toEqual({
      items: 2546,
      discounts: 0,
      increments: 0,
      shipping: 495,
      tax: 484,
      grandTotal: 3525,
    });
    expect(order.payments[0]).toMatchObject({
      method: 'credit-card',
      authorized: 3525,
      captured: 0,
    });
    expect(order.facilityId).toBe('berlin');
    expect(order.fulfilment.routing.status).toBe('routed');
    expect(order.fulfilment.pickJobs).toHaveLength(1);
    expect(order.fulfilment.pickJobs[0]).toMatchObject({ status: 'open', facilityId: 'berlin' });
    expect(order.fulfilment.handover.status).toBe('open');
    const stock = await ctx.app.inject({
      url: '/v1/stock?sku=APPLE&facilityId=berlin',
      headers: auth(),
    });
    expect(stock.json().items[0]).toMatchObject({ onHand: 10, reserved: 2, available: 8 });
  });

  it('routes to the nearest facility that has everything when the address has a location', async () => {
    const res = await importOrder(
      anImport({
        shippingAddress: {
          name: 'A',
          street: 'B 1',
          city: 'Hamburg',
          postalCode: '20095',
          country: 'DE',
          location: { lat: 53.55, lon: 10.0 },
        },
      }),
    );
    expect(res.json().facilityId).toBe('hamburg');
  });

  it('creates an unroutable order with reasons when no facility can serve', async () => {
    const res = await importOrder(anImport({ lines: [{ sku: 'WINE', quantity: 11 }] }));
    expect(res.statusCode).toBe(201);
    const order = res.json();
    expect(order.fulfilment.routing).toMatchObject({
      status: 'unroutable',
      reasons: [{ sku: 'WINE', missing: 1 }],
    });
    expect(order.fulfilment.reservations).toEqual([]);
    expect(order.fulfilment.pickJobs).toEqual([]);
    const events = await ctx.deps.db
      .selectFrom('outbox_events')
      .select('type')
      .where('order_id', '=', order.id)
      .execute();
    expect(events.map((e) => e.type)).toContain('ORDER_HAS_UNROUTABLE_ITEMS');
  });

  it('refuses the same channel reference twice with 409 ORDER_ALREADY_EXISTS', async () => {
    const body = anImport();
    expect((await importOrder(body)).statusCode).toBe(201);
    const again = await importOrder(body);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ORDER_ALREADY_EXISTS');
  });

  it('refuses an unknown sku with 422 SKU_NOT_FOUND and writes nothing', async () => {
    const before = await countOrders();
    const res = await importOrder(anImport({ lines: [{ sku: 'NOPE', quantity: 1 }] }));
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      code: 'SKU_NOT_FOUND',
      type: 'urn:amend:problem:SKU_NOT_FOUND',
      errors: [{ field: 'lines[0].sku', vtexCode: 'CHK0022' }],
    });
    expect(await countOrders()).toBe(before);
  });

  it('refuses an invalid address with one ADDRESS_INVALID entry per field', async () => {
    const res = await importOrder(
      anImport({
        shippingAddress: {
          name: '',
          street: 'x',
          city: 'Berlin',
          postalCode: '123',
          country: 'DE',
        },
      }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('ADDRESS_INVALID');
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['shippingAddress.name', 'shippingAddress.postalCode']);
  });

  it('answers 400 REQUEST_INVALID for malformed JSON, wrong types and unknown fields, writing nothing', async () => {
    const before = await countOrders();
    const malformed = await ctx.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...auth(KEYS.integration), 'content-type': 'application/json' },
      payload: '{"channel": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('REQUEST_INVALID');
    const wrongType = await importOrder({
      ...anImport(),
      lines: [{ sku: 'APPLE', quantity: '2' }],
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().errors).toContainEqual(
      expect.objectContaining({ code: 'REQUEST_INVALID', field: 'lines[0].quantity' }),
    );
    const unknown = await importOrder({ ...anImport(), colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toContainEqual(expect.objectContaining({ field: 'colour' }));
    const wrongContentType = await ctx.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...auth(KEYS.integration), 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(wrongContentType.statusCode).toBe(400);
    expect(wrongContentType.json().code).toBe('REQUEST_INVALID');
    expect(await countOrders()).toBe(before);
  });

  it('reads an order with its ETag, and answers 404 ORDER_NOT_FOUND for another tenant', async () => {
    const order = (await importOrder(anImport())).json();
    const mine = await ctx.app.inject({ url: `/v1/orders/${order.id}`, headers: auth(KEYS.agent) });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers.etag).toBe('"0"');
    expect(mine.json()).toEqual(order);
    const theirs = await ctx.app.inject({
      url: `/v1/orders/${order.id}`,
      headers: auth(OTHER_TENANT_ADMIN),
    });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().code).toBe('ORDER_NOT_FOUND');
    const listed = await ctx.app.inject({
      url: `/v1/orders?q=${order.id}`,
      headers: auth(OTHER_TENANT_ADMIN),
    });
    expect(listed.json().items).toEqual([]);
  });

  it('serves version 0 and refuses a version above the current one', async () => {
    const order = (await importOrder(anImport())).json();
    const v0 = await ctx.app.inject({ url: `/v1/orders/${order.id}?version=0`, headers: auth() });
    expect(v0.statusCode).toBe(200);
    const v5 = await ctx.app.inject({ url: `/v1/orders/${order.id}?version=5`, headers: auth() });
    expect(v5.statusCode).toBe(404);
    expect(v5.json().code).toBe('VERSION_NOT_FOUND');
    const bad = await ctx.app.inject({
      url: `/v1/orders/${order.id}?version=abc`,
      headers: auth(),
    });
    expect(bad.statusCode).toBe(400);
  });

  it('answers 401 without a key or with an unknown one, and 403 naming the missing permission', async () => {
    const none = await ctx.app.inject({ url: '/v1/orders' });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('UNAUTHENTICATED');
    expect((await ctx.app.inject({ url: '/v1/orders', headers: auth('nope') })).statusCode).toBe(
      401,
    );
    const picker = await importOrder(anImport(), KEYS.picker);
    expect(picker.statusCode).toBe(403);
    expect(picker.json()).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'ORDER_IMPORT' });
  });

  it('lists newest first with filters and a stable cursor', async () => {
    const channel = `c${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await importOrder(anImport({ channel }))).json().id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: {
        statusCode: number;
        json(): { items: { id: string }[]; nextCursor: string | null };
      } = await ctx.app.inject({
        url: `/v1/orders?channel=${channel}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: auth(KEYS.agent),
      });
      expect(page.statusCode).toBe(200);
      const body: { items: { id: string }[]; nextCursor: string | null } = page.json();
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((o: { id: string }) => o.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect(
      (await ctx.app.inject({ url: '/v1/orders?limit=201', headers: auth() })).statusCode,
    ).toBe(400);
    expect(
      (await ctx.app.inject({ url: '/v1/orders?status=lost', headers: auth() })).statusCode,
    ).toBe(400);
    const search = await ctx.app.inject({ url: '/v1/orders?q=ERIKA@EXAMPLE', headers: auth() });
    expect(search.json().items.length).toBeGreaterThan(0);
  });

  it('answers an unknown route with a 404 problem and serves the OpenAPI document', async () => {
    const res = await ctx.app.inject({ url: '/v1/nowhere', headers: auth() });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
    const openapi = await ctx.app.inject({ url: '/openapi.json' });
    expect(openapi.json().openapi).toBe('3.1.0');
    expect(Object.keys(openapi.json().paths)).toContain('/v1/orders/{id}');
  });
});

describe.each(ENGINES)('idempotent import on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });
  const post = (body: object, key: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...auth(KEYS.integration), 'idempotency-key': key },
      payload: body,
    });

  it('replays the first answer for the same key and body, once, and refuses the key with another body', async () => {
    const body = anImport();
    const first = await post(body, 'import-1');
    expect(first.statusCode).toBe(201);
    const again = await post(JSON.parse(JSON.stringify(body)), 'import-1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.json()).toEqual(first.json());
    const orders = await ctx.deps.db
      .selectFrom('orders')
      .select('id')
      .where('channel_order_ref', '=', body.channelOrderRef)
      .execute();
    expect(orders).toHaveLength(1);
    const other = await post(anImport(), 'import-1');
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('keeps 4xx answers too, and scopes keys per tenant', async () => {
    const bad = anImport({ lines: [{ sku: 'NOPE', quantity: 1 }] });
    expect((await post(bad, 'import-2')).statusCode).toBe(422);
    const replay = await post(bad, 'import-2');
    expect(replay.statusCode).toBe(422);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    const otherTenant = await ctx.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { ...auth(OTHER_TENANT_ADMIN), 'idempotency-key': 'import-1' },
      payload: anImport({ lines: [{ sku: 'APPLE', quantity: 1 }] }),
    });
    expect(otherTenant.statusCode).toBe(201);
    expect(otherTenant.headers['idempotency-replayed']).toBeUndefined();
  });
});

describe('operability', () => {
  it('counts answered requests per route and status at /metrics', async () => {
    const ctx = await createTestContext('pglite');
    try {
      await ctx.app.inject({ url: '/v1/orders', headers: auth() });
      await ctx.app.inject({ url: '/v1/orders' });
      const text = (await ctx.app.inject({ url: '/metrics' })).body;
      expect(text).toContain(
        'amend_http_requests_total{method="GET",route="/v1/orders",status="200"} 1',
      );
      expect(text).toContain(
        'amend_http_requests_total{method="GET",route="/v1/orders",status="401"} 1',
      );
      expect((await ctx.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
      expect((await ctx.app.inject({ url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
    } finally {
      await ctx.close();
    }
  });
});
