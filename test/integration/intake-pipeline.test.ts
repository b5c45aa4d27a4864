/** One pipeline for every order (INTAKE.md §1, §3): channel payloads in, orders or dead letters out. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntakeWorker } from '../../src/worker/intake-worker.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';
import {
  aShopifyOrder,
  aVtexOrder,
  createSources,
  postShopify,
  postVtex,
  vtexHeaders,
} from '../support/intake.js';

describe.each(ENGINES)('the intake pipeline on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
    await createSources(ctx.app);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const record = async (id: string) =>
    (await ctx.app.inject({ url: `/v1/intake/${id}`, headers: auth() })).json();
  const orderCount = async () =>
    (await ctx.deps.db.selectFrom('orders').select('id').where('tenant_id', '=', 't1').execute())
      .length;

  it('answers 202 once the payload is stored, and the worker imports it with ORDER_CREATED', async () => {
    const res = await postVtex(ctx.app, aVtexOrder());
    expect(res.statusCode).toBe(202);
    expect(res.headers.location).toBe(`/v1/intake/${res.json().id}`);
    expect(res.json()).toMatchObject({ sourceId: 'vtex-main', status: 'received', orderId: null });
    expect(await new IntakeWorker(ctx.deps).drain()).toBe(1);
    const r = await record(res.json().id);
    expect(r).toMatchObject({
      status: 'imported',
      attempts: 0,
      kind: 'vtex',
      account: 'frischemarkt',
    });
    expect(r.history.map((h: { status: string }) => h.status)).toEqual(['received', 'imported']);
    const order = (
      await ctx.app.inject({ url: `/v1/orders/${r.orderId}`, headers: auth() })
    ).json();
    expect(order).toMatchObject({
      channel: 'vtex-main',
      channelOrderRef: r.channelOrderRef,
      currency: 'EUR',
    });
    expect(order.lines.map((l: { sku: string }) => l.sku)).toEqual(['APPLE', 'CHEESE']);
    expect(order.totals.grandTotal).toBe(1831);
    expect(order.fulfilment.pickJobs).toHaveLength(1);
    const events = await ctx.deps.db
      .selectFrom('outbox_events')
      .select('type')
      .where('order_id', '=', r.orderId)
      .execute();
    expect(events.map((e) => e.type)).toContain('ORDER_CREATED');
  });

  it('with Prefer: wait answers 200 imported, and a second delivery of the order is a duplicate, never a second order', async () => {
    const payload = aVtexOrder();
    const first = await postVtex(ctx.app, payload, { wait: 10 });
    expect(first.statusCode).toBe(200);
    expect(first.headers['preference-applied']).toBe('wait=10');
    const before = await orderCount();
    const again = await postVtex(ctx.app, payload, { wait: 10 });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      status: 'imported',
      orderId: first.json().orderId,
      duplicateOf: first.json().id,
    });
    expect(await orderCount()).toBe(before);
  });

  it('refuses bad credentials 401 and stores nothing; an unknown source is 404', async () => {
    const count = async () =>
      (await ctx.deps.db.selectFrom('intake_records').select('id').execute()).length;
    const before = await count();
    const bad = await ctx.app.inject({
      method: 'POST',
      url: '/v1/intake/vtex-main',
      headers: vtexHeaders({ appKey: 'vtexappkey-frischemarkt-ABCDEF', appToken: 'wrong' }),
      payload: JSON.stringify(aVtexOrder()),
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('INTAKE_SIGNATURE_INVALID');
    const badHmac = await postShopify(ctx.app, aShopifyOrder(), {
      headers: { 'x-shopify-hmac-sha256': 'AAAA' },
    });
    expect(badHmac.json().code).toBe('INTAKE_SIGNATURE_INVALID');
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: '/v1/intake/nope',
      headers: vtexHeaders(),
      payload: '{}',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('INTAKE_SOURCE_UNKNOWN');
    expect(await count()).toBe(before);
  });

  it('keeps a body that is not JSON as a dead letter and answers 400 with its intakeId', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/intake/vtex-main',
      headers: vtexHeaders(),
      payload: '{"orderId": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('REQUEST_INVALID');
    const r = await record(res.json().intakeId);
    expect(r).toMatchObject({ status: 'dead-lettered', code: 'REQUEST_INVALID', payload: null });
    const raw = await ctx.deps.db
      .selectFrom('intake_records')
      .select('raw_body')
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(raw.raw_body).toBe('{"orderId": ');
  });

  it('answers 413 BODY_TOO_LARGE for a 10 MB body', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/intake/vtex-main',
      headers: vtexHeaders(),
      payload: JSON.stringify({ filler: 'x'.repeat(10 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('BODY_TOO_LARGE');
  });

  it('dead-letters a payload its adapter cannot read: INTAKE_PAYLOAD_INVALID with errors[].field', async () => {
    const res = await postVtex(
      ctx.app,
      aVtexOrder((o) => delete o.clientProfileData),
      { wait: 10 },
    );
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'INTAKE_PAYLOAD_INVALID',
      intakeId: expect.any(String),
    });
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['clientProfileData']);
    expect((await record(res.json().intakeId)).status).toBe('dead-lettered');
  });

  it.each([
    [
      'INTAKE_TOTAL_MISMATCH',
      (o: Record<string, unknown>) => (o.value = 9999),
      'totals.grandTotal',
    ],
    [
      'INTAKE_COUNTRY_NOT_ALLOWED',
      (o: { shippingData: { address: Record<string, unknown> } }) =>
        Object.assign(o.shippingData.address, { country: 'FRA', postalCode: '75001' }),
      'shippingAddress.country',
    ],
    [
      'INTAKE_ADDRESS_INVALID',
      (o: { shippingData: { address: Record<string, unknown> } }) =>
        (o.shippingData.address.city = ''),
      'shippingAddress.city',
    ],
    [
      'INTAKE_FIELD_INVALID',
      (o: { clientProfileData: Record<string, unknown> }) =>
        (o.clientProfileData.email = 'not-an-address'),
      'customer.email',
    ],
    [
      'INTAKE_SKU_UNMAPPED',
      (o: { items: Record<string, unknown>[] }) =>
        Object.assign(o.items[0] as object, {
          id: '777',
          refId: 'NOPE',
          sellerSku: '777',
          ean: '1',
        }),
      'lines[0].sku',
    ],
  ])('dead-letters %s at once, with its sentence, hint and field', async (code, edit, field) => {
    const res = await postVtex(ctx.app, aVtexOrder(edit as (o: Record<string, unknown>) => void), {
      wait: 10,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code, hint: expect.any(String) });
    expect(res.json().errors[0].field).toBe(field);
    const r = await record(res.json().intakeId);
    expect(r).toMatchObject({ status: 'dead-lettered', code, attempts: 0, hint: res.json().hint });
  });

  it("applies an account's override: requireEmail for one shop → INTAKE_FIELD_MISSING", async () => {
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/sources/shopify-main',
      headers: auth(),
      payload: {
        accounts: { 'kiez-kaffee.myshopify.com': { validation: { requireEmail: true } } },
        skuMap: { 'KAFFEE-ESP-1KG': 'WINE', 'ZUB-MS-01': 'PEAR' },
      },
    });
    const noMail = aShopifyOrder((o) => {
      o.email = null;
      o.contact_email = null;
      o.customer.email = null;
    });
    const res = await postShopify(ctx.app, noMail, { wait: 10 });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('INTAKE_FIELD_MISSING');
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/sources/shopify-main',
      headers: auth(),
      payload: { accounts: { 'kiez-kaffee.myshopify.com': null } },
    });
    expect(
      (
        await postShopify(
          ctx.app,
          aShopifyOrder((o) => (o.email = null)),
          { wait: 10 },
        )
      ).statusCode,
    ).toBe(200);
  });

  it('imports a Shopify webhook once per X-Shopify-Webhook-Id: a redelivery answers the first record', async () => {
    const order = aShopifyOrder();
    const first = await postShopify(ctx.app, order, {
      headers: { 'x-shopify-webhook-id': 'wh-1' },
    });
    const redelivery = await postShopify(ctx.app, order, {
      headers: { 'x-shopify-webhook-id': 'wh-1' },
    });
    expect(first.statusCode).toBe(202);
    expect(redelivery.json().id).toBe(first.json().id);
    const r = await record(first.json().id);
    expect(r).toMatchObject({ webhookId: 'wh-1', account: 'kiez-kaffee.myshopify.com' });
  });

  it('answers 409 INTAKE_SOURCE_DISABLED for a disabled source and stores nothing', async () => {
    await ctx.app.inject({ method: 'DELETE', url: '/v1/sources/vtex-main', headers: auth() });
    const res = await postVtex(ctx.app, aVtexOrder());
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('INTAKE_SOURCE_DISABLED');
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/sources/vtex-main',
      headers: auth(),
      payload: { enabled: true },
    });
  });

  it('takes the canonical body on the built-in amend source with an API key, and POST /v1/orders leaves a record', async () => {
    const body = anImport();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/intake/amend',
      headers: { ...auth(KEYS.integration), prefer: 'wait=10' },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    const bad = await ctx.app.inject({
      method: 'POST',
      url: '/v1/intake/amend',
      headers: { ...auth(KEYS.integration), prefer: 'wait=10' },
      payload: { ...anImport(), lines: [{ sku: 'APPLE' }] },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({
      code: 'INTAKE_PAYLOAD_INVALID',
      errors: [{ field: 'lines[0].quantity' }],
    });
    const viaOrders = await ctx.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: auth(KEYS.integration),
      payload: anImport(),
    });
    expect(viaOrders.statusCode).toBe(201);
    const rec = await ctx.deps.db
      .selectFrom('intake_records')
      .selectAll()
      .where('order_id', '=', viaOrders.json().id)
      .executeTakeFirstOrThrow();
    expect(rec).toMatchObject({ source_id: 'amend', status: 'imported', kind: 'amend' });
  });
});
