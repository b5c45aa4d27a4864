/**
 * The order cache (src/app/order-cache.ts) holds an order exactly as a load reads it back: after
 * every change of random sequences over every kind of operation, through the request path and the
 * worker, the cached order, revision, line positions and counts equal a fresh read. And a write the
 * cache does not see (another process) costs a re-read, never a change planned on a stale order.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadForChange } from '../../src/app/change-context.js';
import { loadAndPlan } from '../../src/app/commit-path.js';
import { resolveActor } from '../../src/app/identity.js';
import { cachedOrder } from '../../src/app/order-cache.js';
import { createDatabase } from '../../src/db/database.js';
import { findOrderForChange } from '../../src/db/orders.js';
import { makeDeps } from '../../src/app/deps.js';
import { buildApp } from '../../src/http/app.js';
import { auth, createTestContext, importAnOrder, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { KEYS } from '../support/fixture.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const RUNS = Number(process.env.AMEND_CACHE_RUNS ?? 6);

/** A request for the order as it stands; undefined when it has nothing to act on. */
type Step = (order: Json) => Json | false | undefined;
const line = (order: Json, i: number) => order.lines[i % Math.max(1, order.lines.length)];
const STEPS: Record<string, Step> = {
  setQuantity: (o) =>
    line(o, 0) && { op: 'setQuantity', lineId: line(o, 0).lineId, quantity: 1 + (o.version % 3) },
  addItem: () => ({ op: 'addItem', sku: 'PEAR', quantity: 1 }),
  addService: () => ({ op: 'addItem', sku: 'WRAP', quantity: 1 }),
  removeItem: (o) => o.lines.length > 1 && { op: 'removeItem', lineId: line(o, 1).lineId },
  replaceItem: (o) =>
    o.lines.some((l: Json) => l.sku === 'APPLE') && {
      op: 'replaceItem',
      fromSku: 'APPLE',
      sku: 'PEAR',
      quantity: 1,
    },
  setUnitPrice: (o) =>
    line(o, 0) && {
      op: 'setUnitPrice',
      lineId: line(o, 0).lineId,
      unitPrice: 250 + o.version,
      priceChangeReason: 'PRICE_MATCH',
    },
  adjustTotal: (o) => ({ op: 'adjustTotal', discount: 10 + o.version }),
  applyPromotion: () => ({ op: 'applyPromotion', code: 'SAVE10' }),
  setShippingAddress: (o) => ({
    op: 'setShippingAddress',
    address: { street: `Nebenstr. ${o.version}` },
  }),
  setDeliveryDate: (o) => ({
    op: 'setDeliveryDate',
    date: `2031-01-${String(10 + (o.version % 9)).padStart(2, '0')}`,
  }),
  setCustomAttributes: (o) => ({
    op: 'setCustomAttributes',
    set: { gift: o.version % 2 === 0, note: 'x' },
  }),
  changeCarrier: (o) => ({ op: 'changeCarrier', carrier: o.version % 2 ? 'dhl' : 'ups' }),
  assignFacility: (o) => ({
    op: 'assignFacility',
    facilityId: o.version % 2 ? 'hamburg' : 'berlin',
  }),
  reroute: () => ({ op: 'reroute' }),
  changePaymentMethod: () => ({ op: 'changePaymentMethod', method: 'paypal' }),
};
const NAMES = Object.keys(STEPS);

async function compare(ctx: TestContext, orderId: string) {
  const cached = cachedOrder(ctx.deps.db, 't1', orderId);
  if (!cached) return false;
  const fresh = (await findOrderForChange(ctx.deps.db, 't1', orderId, { ticket: false }))!;
  expect(cached.order).toEqual(fresh.order);
  // Shared by the plans of many changes: frozen all the way down.
  expect(Object.isFrozen(cached.order.lines[0] ?? cached.order)).toBe(true);
  expect(Object.isFrozen(cached.order.fulfilment.reservations)).toBe(true);
  expect(cached.revision).toBe(fresh.revision);
  expect([...cached.linePositions]).toEqual([...fresh.linePositions]);
  expect(cached.counts).toEqual({ changes: fresh.changeCount, applied: fresh.appliedCount });
  // The stock a routing change plans on, the order's own reservations added back, is the same too.
  const actor = (await resolveActor(ctx.deps, KEYS.agent))!;
  const routing = { operations: [{ op: 'addItem' as const, sku: 'PEAR', quantity: 1 }] };
  const viaCache = await loadForChange(ctx.deps.db, ctx.deps, actor, orderId, routing, {
    cached: true,
  });
  const viaLoad = await loadForChange(ctx.deps.db, ctx.deps, actor, orderId, routing);
  expect(viaCache.fromCache).toBe(true);
  expect(viaCache.ctx.candidates).toEqual(viaLoad.ctx.candidates);
  return true;
}

describe.each(ENGINES)('the order cache on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const apply = async (orderId: string, operation: Json) =>
    ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/changes`,
      headers: { ...auth(KEYS.agent), prefer: 'wait=15' },
      payload: { operations: [operation], reason: { code: 'CUSTOMER_REQUEST' } },
    });

  it('holds what a fresh read gives, after random sequences of every operation', async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...NAMES), { minLength: 4, maxLength: 10 }),
        async (names) => {
          let order = await importAnOrder(ctx);
          for (const name of names) {
            const operation = STEPS[name]!(order);
            if (!operation) continue;
            const res = await apply(order.id, operation);
            expect(res.statusCode, res.body).toBeLessThan(500);
            if (await compare(ctx, order.id)) compared++;
            order = (
              await ctx.app.inject({
                method: 'GET',
                url: `/v1/orders/${order.id}`,
                headers: auth(KEYS.agent),
              })
            ).json();
          }
        },
      ),
      { numRuns: RUNS },
    );
    // Most steps commit the order and leave it cached; the comparison must have happened.
    expect(compared).toBeGreaterThan(RUNS * 2);
  });

  it('plans a line change on the stock of its own skus as on the full read, and falls back for a refusal', async () => {
    const actor = (await resolveActor(ctx.deps, KEYS.agent))!;
    // The order stays where it is: the rest of its lines keep their reservations (stock-scope.ts).
    const staying = { ...actor, settings: { ...actor.settings, rerouteOnModification: false } };
    // Stock the earlier random sequences did not use up: only the last quantity is beyond it.
    await ctx.deps.db
      .updateTable('stock')
      .set({ on_hand: 1_000 })
      .where('tenant_id', '=', 't1')
      .execute();
    const order = await importAnOrder(ctx);
    expect((await apply(order.id, { op: 'setCustomAttributes', set: { k: 1 } })).statusCode).toBe(
      200,
    );
    const lineId = order.lines[0].lineId as string;
    // The clock aside (each plan reads it: timestamps, the order's age), the two plans are the same.
    const timeless = (x: unknown) =>
      JSON.parse(
        JSON.stringify(x)
          .replace(/"\d{4}-\d\d-\d\dT[^"]+Z"/g, '"T"')
          .replace(/"orderAgeHours":[\d.e-]+/g, '"orderAgeHours":0'),
      );
    for (const quantity of [3, 1, 5_000]) {
      const request = {
        operations: [{ op: 'setQuantity' as const, lineId, quantity }],
        reason: { code: 'CUSTOMER_REQUEST' },
      };
      const narrow = await loadAndPlan(ctx.deps.db, ctx.deps, staying, order.id, request, {
        cached: true,
      });
      const full = await loadAndPlan(ctx.deps.db, ctx.deps, staying, order.id, request);
      expect(narrow.loaded.fromCache).toBe(true);
      expect(full.loaded.stockScope).toBeNull();
      // A plan the narrow read cannot vouch for (here: not enough stock) is made on the full read.
      expect(narrow.loaded.stockScope === null).toBe(quantity === 5_000);
      expect(timeless(narrow.planned)).toEqual(timeless(full.planned));
      if (quantity === 5_000)
        expect(narrow.planned.ok ? [] : narrow.planned.refusals.map((r) => r.code)).toEqual([
          'INSUFFICIENT_STOCK',
        ]);
    }
  });

  // Two pools on one server stand for two processes; PGlite has one process by design.
  it.runIf(engine === 'postgres')(
    'a change made by another process is seen: the next change re-reads and plans on it',
    async () => {
      const order = await importAnOrder(ctx);
      // Custom attributes move no money: each change applies in the request.
      const tag = (value: string, expectedVersion?: number) => ({
        operations: [{ op: 'setCustomAttributes', set: { tag: value } }],
        reason: { code: 'CUSTOMER_REQUEST' },
        ...(expectedVersion === undefined ? {} : { expectedVersion }),
      });
      const post = (app: typeof ctx.app, body: Json) =>
        app.inject({
          method: 'POST',
          url: `/v1/orders/${order.id}/changes`,
          headers: auth(KEYS.agent),
          payload: body,
        });
      expect((await post(ctx.app, tag('a'))).statusCode).toBe(200);
      expect(cachedOrder(ctx.deps.db, 't1', order.id)?.order.customAttributes).toMatchObject({
        tag: 'a',
      });
      // A second pool over the same database stands for a second process with its own cache.
      const other = await createDatabase({ databaseUrl: ctx.database.url, poolSize: 2 });
      try {
        const otherApp = await buildApp(makeDeps({ db: other.db, engine: ctx.deps.engine }), {
          vtexPrefix: '',
        });
        await otherApp.ready();
        const moved = await post(otherApp, tag('b'));
        expect(moved.statusCode, moved.body).toBe(200);
        await otherApp.close();
      } finally {
        await other.close();
      }
      // This process still holds version 1 (tag a): a change expecting version 1 is refused, not applied on it.
      const stale = await post(ctx.app, tag('c', 1));
      expect(stale.statusCode, stale.body).toBe(412);
      const next = await post(ctx.app, tag('c'));
      expect(next.statusCode, next.body).toBe(200);
      const change = next.json();
      expect(change.baseVersion).toBe(2);
      expect(change.plan.auditEntries).toContainEqual({
        path: 'customAttributes.tag',
        old: 'b',
        new: 'c',
      });
      expect(await compare(ctx, order.id)).toBe(true);
    },
  );
});
