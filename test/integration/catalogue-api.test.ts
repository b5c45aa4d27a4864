/** Catalogue and stock writes (INTAKE.md §5): audited, evented, all or nothing in a batch. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

describe.each(ENGINES)('the catalogue API on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });
  const put = (url: string, payload: object, key = KEYS.integration) =>
    ctx.app.inject({ method: 'PUT', url, headers: auth(key), payload });
  const events = async (type: string) =>
    (
      await ctx.deps.db.selectFrom('outbox_events').selectAll().where('type', '=', type).execute()
    ).map((e) => e.data);

  it('creates (201) and replaces (200) a product, audited and announced as PRODUCT_UPDATED', async () => {
    const body = { name: 'Honey 500 g', unitPrice: 649, currency: 'EUR', taxRate: 700 };
    const created = await put('/v1/products/HONEY', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      sku: 'HONEY',
      measurementUnit: 'un',
      unitMultiplier: 1,
      kind: 'item',
    });
    const replaced = await put('/v1/products/HONEY', { ...body, unitPrice: 699 });
    expect(replaced.statusCode).toBe(200);
    const listed = (await ctx.app.inject({ url: '/v1/products', headers: auth() })).json().items;
    expect(listed.find((p: { sku: string }) => p.sku === 'HONEY').unitPrice).toBe(699);
    const updates = await events('PRODUCT_UPDATED');
    expect(updates.at(-1)).toMatchObject({
      sku: 'HONEY',
      product: { unitPrice: 699 },
      previous: { unitPrice: 649 },
    });
    const audit = await ctx.deps.db
      .selectFrom('catalogue_audit')
      .selectAll()
      .where('entity_id', '=', 'HONEY')
      .orderBy('seq')
      .execute();
    expect(
      audit.map((a) => [a.actor_id, (a.new_value as { unitPrice: number }).unitPrice]),
    ).toEqual([
      ['u-integration', 649],
      ['u-integration', 699],
    ]);
  });

  it('refuses a negative price (VALUE_NEGATIVE) and writes nothing', async () => {
    const res = await put('/v1/products/BAD', {
      name: 'Bad',
      unitPrice: -1,
      currency: 'EUR',
      taxRate: 0,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'VALUE_NEGATIVE', errors: [{ field: 'unitPrice' }] });
  });

  it('sets stock on hand with STOCK_UPDATED, and never below what orders reserved (STOCK_BELOW_RESERVED)', async () => {
    await put('/v1/facilities/kiosk', { name: 'Kiosk', shipFromStore: true, priority: 9 });
    const set = await put('/v1/stock/kiosk/HONEY', { onHand: 12 });
    expect(set.statusCode).toBe(201);
    expect(set.json()).toEqual({
      facilityId: 'kiosk',
      sku: 'HONEY',
      onHand: 12,
      reserved: 0,
      available: 12,
    });
    const order = await ctx.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: auth(KEYS.integration),
      payload: anImport({ lines: [{ sku: 'HONEY', quantity: 5 }], facilityId: 'kiosk' }),
    });
    expect(order.json().fulfilment.reservations[0]).toMatchObject({
      facilityId: 'kiosk',
      quantity: 5,
    });
    const below = await put('/v1/stock/kiosk/HONEY', { onHand: 4 });
    expect(below.statusCode).toBe(409);
    expect(below.json()).toMatchObject({ code: 'STOCK_BELOW_RESERVED', reserved: 5 });
    expect((await put('/v1/stock/kiosk/HONEY', { onHand: 5 })).json()).toMatchObject({
      onHand: 5,
      reserved: 5,
      available: 0,
    });
    expect((await events('STOCK_UPDATED')).at(-1)).toMatchObject({
      facilityId: 'kiosk',
      sku: 'HONEY',
      onHand: 5,
      previousOnHand: 12,
    });
  });

  it('refuses stock of an unknown facility or sku', async () => {
    const res = await put('/v1/stock/nowhere/NOTHING', { onHand: 1 });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { code: string }) => e.code)).toEqual([
      'FACILITY_NOT_FOUND',
      'SKU_NOT_FOUND',
    ]);
  });

  it('loads products, facilities and stock in one batch, all or nothing', async () => {
    const batch = {
      products: [{ sku: 'OATS', name: 'Oats 1 kg', unitPrice: 199, currency: 'EUR', taxRate: 700 }],
      facilities: [{ id: 'north', name: 'North store', location: { lat: 53.6, lon: 10.0 } }],
      stock: [{ facilityId: 'north', sku: 'OATS', onHand: 40 }],
    };
    const bad = await ctx.app.inject({
      method: 'POST',
      url: '/v1/catalogue/batch',
      headers: auth(),
      payload: {
        ...batch,
        stock: [...batch.stock, { facilityId: 'north', sku: 'GHOST', onHand: 1 }],
      },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0]).toMatchObject({ code: 'SKU_NOT_FOUND', field: 'stock[1].sku' });
    expect(
      (await ctx.app.inject({ url: '/v1/stock?sku=OATS', headers: auth() })).json().items,
    ).toEqual([]);
    const ok = await ctx.app.inject({
      method: 'POST',
      url: '/v1/catalogue/batch',
      headers: auth(),
      payload: batch,
    });
    expect(ok.json()).toEqual({ products: 1, facilities: 1, stock: 1 });
    expect(
      (await ctx.app.inject({ url: '/v1/stock?sku=OATS', headers: auth() })).json().items,
    ).toEqual([{ facilityId: 'north', sku: 'OATS', onHand: 40, reserved: 0, available: 40 }]);
  });

  it('needs CATALOGUE_WRITE', async () => {
    const res = await put(
      '/v1/products/X',
      { name: 'X', unitPrice: 1, currency: 'EUR', taxRate: 0 },
      KEYS.agent,
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().permission).toBe('CATALOGUE_WRITE');
  });
});
