/**
 * Concurrency on the real PostgreSQL only: PGlite has one connection, so nothing there runs at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyIntegrity } from '../../src/app/verify.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

describe.runIf(ENGINES.includes('postgres'))('concurrent changes on postgres', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext('postgres');
    // Many changes to one order, or doubling a line, would otherwise go to a supervisor (the approval policy).
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/settings',
      headers: auth(),
      payload: { approval: { changesPerOrderAbove: 1000, valueDeltaPctAbove: 1000 } },
    });
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
      headers: { ...auth(KEYS.agent), prefer: 'wait=30' },
      payload: { operations, reason: { code: 'CUSTOMER_REQUEST' } },
    });

  it('serializes 24 concurrent changes to one order without losing one', async () => {
    const order = await importOrder({
      lines: [
        { sku: 'APPLE', quantity: 1 },
        { sku: 'MILK', quantity: 1 },
      ],
    });
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        change(order.id, [{ op: 'setCustomAttributes', set: { [`k${i}`]: i } }]),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(24).fill(200));
    const after = (await ctx.app.inject({ url: `/v1/orders/${order.id}`, headers: auth() })).json();
    expect(after.version).toBe(24);
    expect(Object.keys(after.customAttributes)).toHaveLength(24);
    const versions = answers.map((a) => a.json().orderVersion).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const history = (
      await ctx.app.inject({
        url: `/v1/orders/${order.id}/history?path=customAttributes`,
        headers: auth(),
      })
    ).json().items;
    expect(history).toHaveLength(24);
  });

  it('leaves exactly 50 of 70 concurrent changes on a fresh order not rejected (counted under the lock)', async () => {
    await ctx.deps.db
      .updateTable('stock')
      .set({ on_hand: 100_000 })
      .where('sku', '=', 'PEAR')
      .execute();
    const order = await importOrder({ lines: [{ sku: 'PEAR', quantity: 1 }] });
    // Half apply in the request, half move money and go through the queue and the worker.
    const answers = await Promise.all(
      Array.from({ length: 70 }, (_, i) =>
        change(
          order.id,
          i % 2 === 0
            ? [{ op: 'setCustomAttributes', set: { [`k${i}`]: i } }]
            : [{ op: 'addItem', sku: 'PEAR', quantity: 1 }],
        ),
      ),
    );
    const changes = (
      await ctx.app.inject({ url: `/v1/orders/${order.id}/changes`, headers: auth() })
    ).json().items as { status: string; outcome: { code: string } | null }[];
    expect(changes).toHaveLength(70);
    expect(changes.filter((c) => c.status !== 'rejected')).toHaveLength(50);
    const rejected = changes.filter((c) => c.status === 'rejected');
    expect(new Set(rejected.map((c) => c.outcome?.code))).toEqual(
      new Set(['MAX_CHANGES_EXCEEDED']),
    );
    // Every queued change was worked once its turn came: none counted itself when dequeued.
    expect(changes.filter((c) => c.status === 'applied')).toHaveLength(50);
    expect(answers.every((a) => a.statusCode < 500)).toBe(true);
  }, 120_000);

  it('keeps the result equal to applying the accepted quantity changes one after another', async () => {
    const order = await importOrder({ lines: [{ sku: 'APPLE', quantity: 1 }] });
    const lineId = order.lines[0].lineId;
    // Each asks for +1 on top of what it read; the engine re-plans on conflict, so every accepted one counts.
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        change(order.id, [{ op: 'addItem', sku: 'MILK', quantity: 1 }]),
      ),
    );
    const accepted = answers.filter(
      (a) => a.statusCode === 200 && a.json().status === 'applied',
    ).length;
    const after = (await ctx.app.inject({ url: `/v1/orders/${order.id}`, headers: auth() })).json();
    expect(after.version).toBe(accepted);
    expect(after.lines.filter((l: { sku: string }) => l.sku === 'MILK')).toHaveLength(accepted);
    expect(after.lines.find((l: { lineId: string }) => l.lineId === lineId).quantity).toBe(1);
    const { violations } = await verifyIntegrity(ctx.deps);
    expect(violations).toEqual([]);
  });

  it('conserves inventory while many orders compete for little stock', async () => {
    // WINE: 10 at berlin, 5 at hamburg. 30 orders each try to go from 1 to 2 bottles.
    const orders = [];
    for (let i = 0; i < 12; i++)
      orders.push(await importOrder({ lines: [{ sku: 'WINE', quantity: 1 }] }));
    const answers = await Promise.all(
      orders.map((o) =>
        change(o.id, [{ op: 'setQuantity', lineId: o.lines[0].lineId, quantity: 2 }]),
      ),
    );
    // Money moves, so the worker applies them; a refusal is a 422 on receipt or an outcome once planned again.
    const codes = answers.map((a) =>
      a.statusCode === 200
        ? a.json().status === 'applied'
          ? 'ok'
          : a.json().outcome.code
        : a.json().code,
    );
    expect(new Set(codes)).toEqual(new Set(['ok', 'INSUFFICIENT_STOCK']));
    // Every refusal is on record as a rejected change.
    for (const a of answers.filter((x) => x.statusCode === 422 || x.json().status === 'rejected')) {
      const rejected = await ctx.app.inject({
        url: `/v1/changes/${a.json().changeId ?? a.json().id}`,
        headers: auth(),
      });
      expect(rejected.json()).toMatchObject({
        status: 'rejected',
        outcome: { code: 'INSUFFICIENT_STOCK' },
      });
    }
    const stock = (await ctx.app.inject({ url: '/v1/stock?sku=WINE', headers: auth() })).json()
      .items;
    for (const s of stock) expect(s.reserved).toBeLessThanOrEqual(s.onHand);
    expect(stock.reduce((n: number, s: { reserved: number }) => n + s.reserved, 0)).toBe(
      12 + codes.filter((c) => c === 'ok').length,
    );
    expect((await verifyIntegrity(ctx.deps)).violations).toEqual([]);
  });
});
