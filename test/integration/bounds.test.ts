/**
 * Bounds on every number (issue 12 point 1): the repro — a weight of 3,000,000 and a
 * quantity of 2,147,483,648 that once moved the money and then failed the commit for ever — is
 * refused before any change exists; a value the planner computes beyond the bounds is refused
 * with 422 before any gateway call; the order stays editable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS } from '../../src/domain/bounds.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const reason = { code: 'CUSTOMER_REQUEST' };

describe.each(ENGINES)('bounds on every number on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine, { worker: { idleMs: 20 } });
    await ctx.deps.db.updateTable('stock').set({ on_hand: 1_000_000 }).execute();
    // Every change needs a supervisor, as in the repro.
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/settings',
      headers: auth(),
      payload: { approval: { valueDeltaAbove: 0 } },
    });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const importOrder = async (): Promise<Json> =>
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport({
          lines: [
            { sku: 'CHEESE', quantity: 1 },
            { sku: 'MILK', quantity: 1 },
          ],
        }),
      })
    ).json();
  const send = (orderId: string, operations: object[], preview = false) =>
    ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/changes${preview ? '/preview' : ''}`,
      headers: { ...auth(KEYS.agent), prefer: 'wait=15' },
      payload: { operations, reason },
    });
  const footprint = async (orderId: string) => ({
    changes: (
      await ctx.deps.db
        .selectFrom('change_requests')
        .select('status')
        .where('order_id', '=', orderId)
        .execute()
    ).map((c) => c.status),
    gatewayCalls: (
      await ctx.deps.db
        .selectFrom('gateway_calls')
        .innerJoin('change_requests', 'change_requests.id', 'gateway_calls.change_id')
        .select('gateway_calls.key')
        .where('change_requests.order_id', '=', orderId)
        .execute()
    ).length,
  });
  const cheeseLine = (order: Json) =>
    (order.lines as Json[]).find((l) => l.sku === 'CHEESE')!.lineId as string;

  it.each([
    ['changeWeight', 'unitMultiplier', { unitMultiplier: 3_000_000 }],
    ['setQuantity', 'quantity', { quantity: 2_147_483_648 }],
  ])(
    'refuses the issue repro %s with 400 naming %s; no change, no money moved',
    async (op, field, values) => {
      const order = await importOrder();
      const res = await send(order.id, [{ op, lineId: cheeseLine(order), ...values }]);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('REQUEST_INVALID');
      expect(JSON.stringify(res.json().errors)).toContain(field);
      expect(await footprint(order.id)).toEqual({ changes: [], gatewayCalls: 0 });
    },
  );

  it('refuses a line value beyond the bound with ORDER_TOTAL_TOO_LARGE before any gateway call; the order stays editable', async () => {
    const order = await importOrder();
    const lineId = cheeseLine(order);
    const operations = [
      { op: 'setQuantity', lineId, quantity: BOUNDS.quantity },
      { op: 'changeWeight', lineId, unitMultiplier: BOUNDS.unitMultiplier },
    ];
    const preview = await send(order.id, operations, true);
    expect(preview.statusCode).toBe(422);
    expect(preview.json()).toMatchObject({ code: 'ORDER_TOTAL_TOO_LARGE' });
    expect(preview.json().detail).toMatch(/at most 1,000,000,000,000/);
    const res = await send(order.id, operations);
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('ORDER_TOTAL_TOO_LARGE');
    // The refusal is recorded as such; nothing reached a gateway.
    expect(await footprint(order.id)).toEqual({ changes: ['rejected'], gatewayCalls: 0 });
    // Still editable: a change within the bounds goes to its supervisor as usual.
    const next = await send(order.id, [{ op: 'setQuantity', lineId, quantity: 2 }]);
    expect(next.statusCode).toBeLessThan(300);
    expect(next.json().status).toBe('awaiting-approval');
  });

  it('refuses an adjustment beyond the bound at the edge', async () => {
    const order = await importOrder();
    const res = await send(order.id, [
      { op: 'adjustTotal', increment: BOUNDS.adjustmentMinor + 1 },
    ]);
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().errors)).toContain('increment');
  });

  it('refuses a catalogue price, weight and tax rate beyond the bounds', async () => {
    const res = await ctx.app.inject({
      method: 'PUT',
      url: '/v1/products/HUGE',
      headers: auth(),
      payload: {
        name: 'Huge',
        unitPrice: BOUNDS.unitPriceMinor + 1,
        currency: 'EUR',
        unitMultiplier: 3_000_000,
        taxRate: 2_147_483_648,
      },
    });
    expect(res.statusCode).toBe(400);
    const fields = JSON.stringify(res.json().errors);
    expect(fields).toContain('unitPrice');
  });
});
