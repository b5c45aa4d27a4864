/** Dead letters worked by people (INTAKE.md §3–4): replay (corrected), discard, bulk replay, impact order, health, KPIs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { KEYS } from '../support/fixture.js';
import {
  aShopifyOrder,
  aVtexOrder,
  createSources,
  postShopify,
  postVtex,
} from '../support/intake.js';

describe.each(ENGINES)('dead letters on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
    await createSources(ctx.app);
  });
  afterAll(async () => {
    await ctx?.close();
  });
  const get = async (url: string, key?: string) =>
    (await ctx.app.inject({ url, headers: auth(key) })).json();
  const unmapped = () => aShopifyOrder(); // shopify-main maps only VTEX's 1234: its skus are unmapped

  it('replays a dead letter after the sku map is fixed, and the order appears', async () => {
    const dead = await postShopify(ctx.app, unmapped(), { wait: 10 });
    expect(dead.json().code).toBe('INTAKE_SKU_UNMAPPED');
    const id = dead.json().intakeId;
    const r = await get(`/v1/intake/${id}`);
    expect(r.canonical.lines.map((l: { sku: string }) => l.sku)).toEqual([
      'KAFFEE-ESP-1KG',
      'ZUB-MS-01',
    ]);
    expect(r.errors.map((e: { field: string }) => e.field)).toEqual([
      'lines[0].sku',
      'lines[1].sku',
    ]);
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/sources/shopify-main',
      headers: auth(),
      payload: { skuMap: { 'KAFFEE-ESP-1KG': 'WINE', 'ZUB-MS-01': 'PEAR' } },
    });
    const replayed = await ctx.app.inject({
      method: 'POST',
      url: `/v1/intake/${id}/replay`,
      headers: { ...auth(KEYS.integration), prefer: 'wait=10' },
    });
    expect(replayed.statusCode).toBe(200);
    const after = await get(`/v1/intake/${id}`);
    expect(after).toMatchObject({ status: 'imported', deadLetteredAt: expect.any(String) });
    expect(after.history.map((h: { status: string }) => h.status)).toEqual([
      'received',
      'dead-lettered',
      'replayed',
      'imported',
    ]);
    expect((await get(`/v1/orders/${after.orderId}`)).totals.grandTotal).toBe(8870);
    const again = await ctx.app.inject({
      method: 'POST',
      url: `/v1/intake/${id}/replay`,
      headers: auth(),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('INTAKE_NOT_REPLAYABLE');
  });

  it('replays with a corrected payload and keeps the original in the history', async () => {
    const dead = await postVtex(
      ctx.app,
      aVtexOrder((o) => (o.shippingData.address.postalCode = '')),
      { wait: 10 },
    );
    const id = dead.json().intakeId;
    const original = (await get(`/v1/intake/${id}`)).payload;
    const fixed = structuredClone(original);
    fixed.shippingData.address.postalCode = '10119';
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/intake/${id}/replay`,
      headers: { ...auth(), prefer: 'wait=10' },
      payload: { payload: fixed },
    });
    expect(res.statusCode).toBe(200);
    const r = await get(`/v1/intake/${id}`);
    expect(r.payload.shippingData.address.postalCode).toBe('10119');
    const replay = r.history.find((h: { status: string }) => h.status === 'replayed');
    expect(replay.previousPayload.shippingData.address.postalCode).toBe('');
  });

  it('discards a dead letter with a reason, and it cannot be replayed then', async () => {
    const dead = await postVtex(
      ctx.app,
      aVtexOrder((o) => (o.value = 1)),
      { wait: 10 },
    );
    const id = dead.json().intakeId;
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/intake/${id}/discard`,
      headers: auth(),
      payload: { reason: 'test order from the shop owner' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('discarded');
    expect(res.json().history.at(-1)).toMatchObject({
      status: 'discarded',
      detail: 'test order from the shop owner',
      actorId: 'u-admin',
    });
    expect(
      (await ctx.app.inject({ method: 'POST', url: `/v1/intake/${id}/replay`, headers: auth() }))
        .statusCode,
    ).toBe(409);
    expect(
      (
        await ctx.app.inject({
          method: 'POST',
          url: `/v1/intake/${id}/discard`,
          headers: auth(),
          payload: { reason: 'x' },
        })
      ).statusCode,
    ).toBe(409);
  });

  it('lists open failures by impact: a marketplace order due today before a small one', async () => {
    const urgent = await postVtex(
      ctx.app,
      aVtexOrder((o) => {
        o.affiliateId = 'AMZ';
        o.value = 99_999;
        o.shippingData.logisticsInfo[0].deliveryWindow.endDateUtc = new Date(
          Date.now() + 3_600_000,
        ).toISOString();
      }),
      { wait: 10 },
    );
    const small = await postVtex(
      ctx.app,
      aVtexOrder((o) => (o.value = 1)),
      { wait: 10 },
    );
    const page = await get('/v1/intake?sort=impact&sourceId=vtex-main&code=INTAKE_TOTAL_MISMATCH');
    const ids = page.items.map((i: { id: string }) => i.id);
    expect(ids.indexOf(urgent.json().intakeId)).toBeLessThan(ids.indexOf(small.json().intakeId));
    const top = page.items[0];
    expect(top.impact.reasons.map((r: { factor: string }) => r.factor)).toEqual(
      expect.arrayContaining(['orderValue', 'promisedDelivery', 'marketplaceSla']),
    );
    expect(page.items.every((i: { status: string }) => i.status === 'dead-lettered')).toBe(true);
  });

  it('replays the dead letters of a source and code as a bulk job with per-record results', async () => {
    const a = await postShopify(
      ctx.app,
      aShopifyOrder((o) => (o.line_items[0].sku = 'UNKNOWN-1')),
      { wait: 10 },
    );
    const b = await postShopify(
      ctx.app,
      aShopifyOrder((o) => (o.line_items[0].sku = 'UNKNOWN-1')),
      { wait: 10 },
    );
    expect(a.json().code).toBe('INTAKE_SKU_UNMAPPED');
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/sources/shopify-main',
      headers: auth(),
      payload: { skuMap: { 'UNKNOWN-1': 'WINE' } },
    });
    const job = await ctx.app.inject({
      method: 'POST',
      url: '/v1/intake/replay',
      headers: auth(KEYS.integration),
      payload: { sourceId: 'shopify-main', code: 'INTAKE_SKU_UNMAPPED' },
    });
    expect(job.statusCode).toBe(202);
    expect(job.json()).toMatchObject({ kind: 'intake-replay', total: 2 });
    let state = job.json();
    for (let i = 0; i < 100 && state.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await get(job.headers.location as string);
    }
    expect(state).toMatchObject({ status: 'completed', done: 2, succeeded: 2, failed: 0 });
    expect(state.results.map((r: { intakeId: string }) => r.intakeId).sort()).toEqual(
      [a.json().intakeId, b.json().intakeId].sort(),
    );
  });

  it("reports a source's health and the intake KPIs", async () => {
    const health = await get('/v1/sources/vtex-main/health', KEYS.supervisor);
    expect(health).toMatchObject({
      status: 'degraded',
      openDeadLetters: expect.any(Number),
      retrying: 0,
    });
    expect(health.received24h).toBeGreaterThanOrEqual(4);
    expect(health.errorRate1h).toBeGreaterThan(0.05);
    const shop = await get('/v1/sources/shopify-main/health', KEYS.supervisor);
    expect(shop.imported24h).toBeGreaterThanOrEqual(3);
    expect(shop.lagMs.p50).toEqual(expect.any(Number));
    const kpis = await get('/v1/kpis', KEYS.supervisor);
    expect(kpis.intake).toMatchObject({
      deadLettersByCode: expect.objectContaining({ INTAKE_SKU_UNMAPPED: 3 }),
    });
    expect(kpis.intake.timeToRecoverMs.count).toBeGreaterThanOrEqual(3);
    expect(kpis.intake.successRate).toBeGreaterThan(0);
    const metrics = (await ctx.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(
      /amend_intake_source_status\{tenant="t1",source="vtex-main",kind="vtex"\} 1/,
    );
    expect(metrics).toMatch(
      /amend_intake_imported_24h\{tenant="t1",source="shopify-main",kind="shopify"\} \d+/,
    );
  });
});
