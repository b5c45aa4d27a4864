/**
 * No commit failure leaves money moved or a queue stuck (issue 12 point 1), an idempotent replay
 * answers the final answer, and the applied plan is the previewed one (issue 12 point 7).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyIntegrity } from '../../src/app/verify.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS, RELAXED_APPROVAL } from '../support/fixture.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const reason = { code: 'CUSTOMER_REQUEST' };

describe.each(ENGINES)('compensation and final answers on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine, { worker: { idleMs: 20 } });
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/settings',
      headers: auth(),
      payload: {
        approval: RELAXED_APPROVAL,
        payments: { retryBudget: 3, retryBaseMs: 5, callTimeoutMs: 500 },
      },
    });
    await ctx.deps.db.updateTable('stock').set({ on_hand: 100_000 }).execute();
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const importOrder = async () =>
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(),
      })
    ).json();
  const change = (orderId: string, operations: object[], headers: Record<string, string> = {}) =>
    ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/changes`,
      headers: { ...auth(KEYS.agent), prefer: 'wait=15', ...headers },
      payload: { operations, reason },
    });
  const get = async (url: string): Promise<Json> =>
    (await ctx.app.inject({ url, headers: auth() })).json();
  const simulate = (body: object) =>
    ctx.app.inject({
      method: 'PUT',
      url: '/v1/payment-simulator/credit-card',
      headers: auth(),
      payload: body,
    });
  const calls = (changeId: string) =>
    ctx.deps.db
      .selectFrom('gateway_calls')
      .select(['key', 'status', 'amount'])
      .where('change_id', '=', changeId)
      .execute();
  const ledger = (changeId: string) =>
    ctx.deps.db
      .selectFrom('payment_simulator_ledger')
      .select(['key', 'action', 'amount', 'outcome'])
      .where('key', 'like', `${changeId}:%`)
      .orderBy('created_at')
      .execute();

  it('fails a change whose commit fails for good after the gateway call: money reversed, CHANGE_COMMIT_FAILED, the queue released', async () => {
    const order = await importOrder();
    // A constraint the commit breaks, whatever the cause (issue 12: an int4 out of range did so).
    await sql`ALTER TABLE orders ADD CONSTRAINT test_total_cap CHECK (grand_total < 50000)`.execute(
      ctx.deps.db,
    );
    try {
      const failed = await change(order.id, [{ op: 'addItem', sku: 'WINE', quantity: 60 }]);
      expect(failed.json()).toMatchObject({
        status: 'failed',
        outcome: { code: 'CHANGE_COMMIT_FAILED' },
      });
      expect(failed.json().outcome.detail).toMatch(/test_total_cap/);
      expect(failed.json().outcome.detail).toMatch(/Every payment call it made was reversed/);
      const moved = await ledger(failed.json().id);
      expect(moved.map((m) => [m.action, m.outcome])).toEqual([
        ['authorize', 'succeeded'],
        ['reduce-authorization', 'succeeded'],
      ]);
      expect(Number(moved[1]!.amount)).toBe(Number(moved[0]!.amount));
      expect(Number(moved[0]!.amount)).toBeGreaterThan(50_000);
      expect((await calls(failed.json().id)).map((c) => c.status)).toEqual(['reversed']);
    } finally {
      await sql`ALTER TABLE orders DROP CONSTRAINT test_total_cap`.execute(ctx.deps.db);
    }
    // The order is as it was, and its queue moves on: the next change applies.
    const after = await get(`/v1/orders/${order.id}`);
    expect(after).toMatchObject({ version: 0, totals: order.totals, payments: order.payments });
    const next = await change(order.id, [{ op: 'addItem', sku: 'MILK', quantity: 1 }]);
    expect(next.json()).toMatchObject({ status: 'applied', orderVersion: 1 });
    const findings = (await verifyIntegrity(ctx.deps)).violations.filter(
      (v) => v.orderId === order.id,
    );
    expect(findings).toEqual([]);
  });

  it('reverses a final gateway attempt whose answer never came, and says so', async () => {
    const order = await importOrder();
    await simulate({ failure: 'timeout', times: 4 }); // the first call and its 3 retries
    const failed = await change(order.id, [{ op: 'addItem', sku: 'MILK', quantity: 1 }]);
    await simulate({ failure: 'none' });
    expect(failed.json()).toMatchObject({
      status: 'failed',
      outcome: { code: 'CHANGE_FAILED_AFTER_RETRIES' },
    });
    expect(failed.json().outcome.detail).toMatch(/Every payment call it made was reversed/);
    const [call] = await calls(failed.json().id);
    expect(call?.status).toBe('reversed');
    // The provider never took the call, so its reversal moves nothing.
    expect((await ledger(failed.json().id)).map((m) => [m.action, Number(m.amount)])).toEqual([
      ['reduce-authorization', 0],
    ]);
  });

  it('tells the truth when a reversal never gets an answer, and verify counts it', async () => {
    const order = await importOrder();
    await simulate({ failure: 'timeout' }); // until reset: the reversals time out too
    const failed = await change(order.id, [{ op: 'addItem', sku: 'MILK', quantity: 1 }]);
    await simulate({ failure: 'none' });
    expect(failed.json().status).toBe('failed');
    expect(failed.json().outcome.detail).toMatch(/could not be confirmed/);
    expect(failed.json().outcome.detail).not.toMatch(/Every payment call/);
    expect((await calls(failed.json().id)).map((c) => c.status)).toEqual(['unresolved']);
    const findings = (await verifyIntegrity(ctx.deps)).violations.filter(
      (v) => v.orderId === order.id,
    );
    expect(findings.map((f) => f.rule)).toEqual(['REVERSAL_UNRESOLVED']);
  });

  it('replays an idempotent apply that the worker finished with its final answer, not the 202', async () => {
    const order = await importOrder();
    const key = `idem-${order.id}`;
    const body = { operations: [{ op: 'addItem', sku: 'MILK', quantity: 1 }], reason };
    const send = () =>
      ctx.app.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/changes`,
        headers: { ...auth(KEYS.agent), 'idempotency-key': key },
        payload: body,
      });
    const first = await send();
    expect(first.statusCode).toBe(202);
    for (let i = 0; i < 100; i++) {
      if ((await get(`/v1/changes/${first.json().id}`)).status === 'applied') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const replay = await send();
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.json()).toMatchObject({ id: first.json().id, status: 'applied' });
    expect((await get(`/v1/orders/${order.id}`)).version).toBe(1);
  });

  it('applies the plan it previewed on the same version, fulfilment effects and new ids included', async () => {
    const cases: ((order: Json) => object[])[] = [
      () => [{ op: 'addItem', sku: 'PEAR', quantity: 2 }],
      () => [{ op: 'assignFacility', facilityId: 'hamburg' }],
      (order) => [
        {
          op: 'rerouteTask',
          pickJobId: order.fulfilment.pickJobs[0].id,
          reasonCode: 'FACILITY_CLOSED',
        },
      ],
    ];
    for (const build of cases) {
      const order = await importOrder();
      const operations = build(await get(`/v1/orders/${order.id}`));
      const preview = (
        await ctx.app.inject({
          method: 'POST',
          url: `/v1/orders/${order.id}/changes/preview`,
          headers: auth(KEYS.supervisor),
          payload: { operations, reason },
        })
      ).json();
      expect(preview.plan, JSON.stringify(operations)).toBeDefined();
      const applied = (
        await ctx.app.inject({
          method: 'POST',
          url: `/v1/orders/${order.id}/changes`,
          headers: { ...auth(KEYS.supervisor), prefer: 'wait=15' },
          payload: { operations, reason },
        })
      ).json();
      expect(applied.status, JSON.stringify(applied)).toBe('applied');
      expect(applied.plan).toEqual(preview.plan);
      expect(JSON.stringify(preview.plan.effects)).toMatch(/pj_|ln_|PICK_JOB|REROUTE/);
    }
  });
});
