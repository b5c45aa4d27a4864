/**
 * The asynchronous lifecycle (issue 5): the queue, the worker, the payment gateway with its failures,
 * approvals, the seller, retry and cancel — through HTTP, on both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeWorker } from '../../src/worker/change-worker.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const reason = { code: 'CUSTOMER_REQUEST', text: 'Customer called' };

describe.each(ENGINES)('change lifecycle on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine, { worker: { idleMs: 20 } });
    // Fast retries for the tests: 3 retries after the first call, 5 ms apart and doubling.
    await settings({ payments: { retryBudget: 3, retryBaseMs: 5, callTimeoutMs: 500 } });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const settings = (patch: object) =>
    ctx.app.inject({ method: 'PATCH', url: '/v1/settings', headers: auth(), payload: patch });
  const importOrder = async (over = {}) =>
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(over),
      })
    ).json();
  const post = (
    url: string,
    body: object = {},
    key: string = KEYS.agent,
    headers: Record<string, string> = {},
  ) =>
    ctx.app.inject({ method: 'POST', url, headers: { ...auth(key), ...headers }, payload: body });
  const change = (
    orderId: string,
    operations: object[],
    key: string = KEYS.agent,
    headers: Record<string, string> = {},
    extra: object = {},
  ) => post(`/v1/orders/${orderId}/changes`, { operations, reason, ...extra }, key, headers);
  const get = async (url: string, key: string = KEYS.admin): Promise<Json> =>
    (await ctx.app.inject({ url, headers: auth(key) })).json();
  const simulate = (method: string, body: object) =>
    ctx.app.inject({
      method: 'PUT',
      url: `/v1/payment-simulator/${method}`,
      headers: auth(),
      payload: body,
    });
  const ledger = async (key: string) =>
    ctx.deps.db
      .selectFrom('payment_simulator_ledger')
      .selectAll()
      .where('tenant_id', '=', 't1')
      .where('key', 'like', `${key}%`)
      .execute();
  const inboxOf = async (key: string): Promise<Json[]> => (await get('/v1/inbox', key)).items;
  const addMilk = (orderId: string, headers: Record<string, string> = { prefer: 'wait=10' }) =>
    change(orderId, [{ op: 'addItem', sku: 'MILK', quantity: 1 }], KEYS.agent, headers);

  it('applies a change with no external effect in the request (200), and one that moves money through the worker (202, then applied)', async () => {
    const order = await importOrder();
    const quick = await change(order.id, [{ op: 'setCustomAttributes', set: { gate: 'B' } }]);
    expect(quick.statusCode).toBe(200);
    expect(quick.json()).toMatchObject({ status: 'applied', orderVersion: 1 });

    const queued = await addMilk(order.id, {});
    expect(queued.statusCode).toBe(202);
    expect(queued.headers.location).toBe(`/v1/changes/${queued.json().id}`);
    expect(queued.json().status).toMatch(/validated|applying|applied/);
    const waited = await ctx.app.inject({
      url: queued.headers.location as string,
      headers: auth(),
    });
    expect(waited.statusCode).toBe(200);

    const final = await addMilk(order.id);
    expect(final.statusCode).toBe(200);
    expect(final.headers['preference-applied']).toBe('wait=10');
    expect(final.json()).toMatchObject({ status: 'applied', outcome: { code: 'APPLIED' } });
    expect(final.json().transitions.map((t: Json) => t.status)).toEqual([
      'received',
      'validated',
      'applying',
      'applied',
    ]);
    const calls = await ledger(final.json().id);
    expect(calls).toHaveLength(1);
    const after = await get(`/v1/orders/${order.id}`);
    expect(after.version).toBe(3);
    expect(calls[0]).toMatchObject({ action: 'authorize', outcome: 'succeeded' });
    expect(Number(calls[0]?.amount)).toBe(final.json().plan.payments[0].amount);
    expect(after.payments[0].authorized).toBe(after.totals.grandTotal);
  });

  it('retries an unreachable gateway and applies the change once when it comes back', async () => {
    const order = await importOrder();
    await simulate('credit-card', { failure: 'unavailable', times: 3 });
    const answer = await addMilk(order.id);
    expect(answer.json()).toMatchObject({ status: 'applied' });
    const calls = await ledger(answer.json().id);
    expect(calls.filter((c) => c.outcome === 'succeeded')).toHaveLength(1);
    const after = await get(`/v1/orders/${order.id}`);
    expect(after.payments[0].authorized).toBe(after.totals.grandTotal);
    expect(after.version).toBe(1);
  });

  it('fails the change when the gateway stays down: order untouched, the requester told', async () => {
    const order = await importOrder();
    await simulate('credit-card', { failure: 'timeout', times: 10 });
    const answer = await addMilk(order.id);
    await simulate('credit-card', { failure: 'none' });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({
      status: 'failed',
      outcome: { code: 'CHANGE_FAILED_AFTER_RETRIES' },
    });
    expect(answer.json().outcome.detail).toMatch(/4 attempts/);
    const after = await get(`/v1/orders/${order.id}`);
    expect(after).toMatchObject({
      version: 0,
      totals: order.totals,
      payments: order.payments,
      lines: order.lines,
    });
    const told = (await inboxOf(KEYS.agent)).find((e) => e.changeId === answer.json().id);
    expect(told).toMatchObject({
      outcome: 'failed',
      code: 'CHANGE_FAILED_AFTER_RETRIES',
      acknowledgedAt: null,
    });
    expect(told?.nextStep).toMatch(/order stays as it was/);
    const events = await ctx.deps.db
      .selectFrom('outbox_events')
      .select('type')
      .where('change_id', '=', answer.json().id)
      .execute();
    expect(events.map((e) => e.type)).toContain('CHANGE_FAILED');

    // Retry: same id and ticket, a new run; the gateway is back.
    const retried = await post(`/v1/changes/${answer.json().id}/retry`, {}, KEYS.agent, {
      prefer: 'wait=10',
    });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({
      id: answer.json().id,
      ticket: answer.json().ticket,
      status: 'applied',
    });
    expect(
      retried
        .json()
        .transitions.filter((t: Json) => t.status === 'received')
        .map((t: Json) => t.cause),
    ).toEqual(['request', 'retry']);
    expect((await get(`/v1/orders/${order.id}`)).version).toBe(1);
    // A retried change is final again: its second outcome is in the inbox too; an applied change is not retried.
    expect(
      (await inboxOf(KEYS.agent))
        .filter((e) => e.changeId === answer.json().id)
        .map((e) => e.outcome)
        .sort(),
    ).toEqual(['applied', 'failed']);
    const again = await post(`/v1/changes/${answer.json().id}/retry`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CHANGE_TRANSITION_INVALID');
  });

  it('rejects a declined payment at once (not retried), with what to do next', async () => {
    const order = await importOrder();
    await simulate('credit-card', { failure: 'decline', times: 1 });
    const answer = await change(
      order.id,
      [{ op: 'replaceItem', lineId: order.lines[0].lineId, sku: 'PEAR', quantity: 2 }],
      KEYS.picker,
      { prefer: 'wait=10' },
      { app: 'picker' },
    );
    expect(answer.json()).toMatchObject({
      status: 'rejected',
      outcome: { code: 'PAYMENT_DECLINED' },
    });
    expect(answer.json().outcome.nextStep).toMatch(/pack the original/);
    expect((await ledger(answer.json().id)).map((c) => c.outcome)).toEqual(['declined']);
    expect((await get(`/v1/orders/${order.id}`)).version).toBe(0);
  });

  it('survives a worker that dies between the gateway call and the commit: no second charge', async () => {
    const order = await importOrder();
    const quiet = await createTestContext(engine, { worker: false });
    try {
      const imported = (
        await quiet.app.inject({
          method: 'POST',
          url: '/v1/orders',
          headers: auth(KEYS.integration),
          payload: anImport(),
        })
      ).json();
      const queued = await quiet.app.inject({
        method: 'POST',
        url: `/v1/orders/${imported.id}/changes`,
        headers: auth(KEYS.agent),
        payload: { operations: [{ op: 'addItem', sku: 'MILK', quantity: 1 }], reason },
      });
      expect(queued.statusCode).toBe(202);
      const dying = new ChangeWorker(quiet.deps, {
        leaseMs: 2_000,
        afterGatewayCalls: () => {
          throw new Error('killed');
        },
      });
      await expect(dying.workOne('dying')).rejects.toThrow('killed');
      const midway = (
        await quiet.app.inject({ url: `/v1/changes/${queued.json().id}`, headers: auth() })
      ).json();
      expect(midway.status).toBe('applying');
      // Nothing is taken while the lease holds; after it the next worker finishes the change.
      const next = new ChangeWorker(quiet.deps, { leaseMs: 5_000 });
      expect(await next.drain()).toBe(0);
      await new Promise((r) => setTimeout(r, 2_100));
      expect(await next.drain()).toBe(1);
      const done = (
        await quiet.app.inject({ url: `/v1/changes/${queued.json().id}`, headers: auth() })
      ).json();
      expect(done.status).toBe('applied');
      const charges = await quiet.deps.db
        .selectFrom('payment_simulator_ledger')
        .selectAll()
        .execute();
      expect(charges).toHaveLength(1);
      const after = (
        await quiet.app.inject({ url: `/v1/orders/${imported.id}`, headers: auth() })
      ).json();
      expect(after.payments[0].authorized).toBe(after.totals.grandTotal);
      expect(after.version).toBe(1);
    } finally {
      await quiet.close();
    }
    expect(order.version).toBe(0);
  }, 120_000); // a second test context of its own: slow to start on a loaded machine

  it('sends a high-risk change to a supervisor, who approves (never their own) or rejects it with a reason', async () => {
    await settings({ approval: { valueDeltaAbove: 1000 } });
    try {
      const order = await importOrder();
      const risky = await change(
        order.id,
        [{ op: 'addItem', sku: 'MILK', quantity: 12 }],
        KEYS.agent,
        { prefer: 'wait=5' },
      );
      expect(risky.statusCode).toBe(202);
      expect(risky.json()).toMatchObject({
        status: 'awaiting-approval',
        approval: { required: true, reasons: [{ code: 'VALUE_DELTA_ABOVE', threshold: 1000 }] },
      });
      expect(risky.json().approval.score).toBeGreaterThan(0);
      const queue = await get('/v1/approvals', KEYS.supervisor);
      expect(queue.items.map((c: Json) => c.id)).toContain(risky.json().id);
      expect(
        (await ctx.app.inject({ url: '/v1/approvals', headers: auth(KEYS.agent) })).statusCode,
      ).toBe(403);
      const waitingOrders = (await get('/v1/orders?awaitingApproval=true&limit=100')).items.map(
        (o: Json) => o.id,
      );
      expect(waitingOrders).toContain(order.id);
      expect(
        (await get('/v1/orders?awaitingApproval=false&limit=100')).items.map((o: Json) => o.id),
      ).not.toContain(order.id);

      const own = await change(
        order.id,
        [{ op: 'addItem', sku: 'MILK', quantity: 13 }],
        KEYS.supervisor,
      );
      expect(own.json().status).toBe('awaiting-approval');
      const self = await post(`/v1/changes/${own.json().id}/approve`, {}, KEYS.supervisor);
      expect(self.statusCode).toBe(403);
      expect(self.json().code).toBe('APPROVAL_BY_REQUESTER');

      const approved = await post(
        `/v1/changes/${risky.json().id}/approve`,
        { note: 'Customer confirmed by phone' },
        KEYS.supervisor,
        { prefer: 'wait=10' },
      );
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({
        status: 'applied',
        approval: {
          decision: 'approved',
          decidedBy: 'u-supervisor',
          note: 'Customer confirmed by phone',
        },
      });
      expect(approved.json().transitions.map((t: Json) => t.status)).toEqual([
        'received',
        'validated',
        'awaiting-approval',
        'validated',
        'applying',
        'applied',
      ]);
      const twice = await post(`/v1/changes/${risky.json().id}/approve`, {}, KEYS.admin);
      expect(twice.json().code).toBe('CHANGE_TRANSITION_INVALID');

      const unknown = await post(
        `/v1/changes/${own.json().id}/reject`,
        { reasonCode: 'NOPE' },
        KEYS.admin,
      );
      expect(unknown.json().code).toBe('REASON_CODE_UNKNOWN');
      const rejectionCode = (await get('/v1/settings')).reasons.rejection[0].code;
      const rejected = await post(
        `/v1/changes/${own.json().id}/reject`,
        { reasonCode: rejectionCode, note: 'Too much milk' },
        KEYS.admin,
      );
      expect(rejected.statusCode).toBe(200);
      expect(rejected.json()).toMatchObject({
        status: 'rejected',
        outcome: { code: 'APPROVAL_REJECTED' },
        approval: { decision: 'rejected', decidedBy: 'u-admin' },
      });
      expect(
        (await inboxOf(KEYS.supervisor)).find((e) => e.changeId === own.json().id),
      ).toMatchObject({ outcome: 'rejected', code: 'APPROVAL_REJECTED' });
    } finally {
      await settings({ approval: { valueDeltaAbove: 10_000_000 } });
    }
  });

  it('waits for the seller on a marketplace order: acknowledgment, then confirmation; a refusal rejects', async () => {
    const order = await importOrder({ origin: 'marketplace' });
    const waiting = await change(
      order.id,
      [{ op: 'setCustomAttributes', set: { note: 'ring twice' } }],
      KEYS.agent,
      { prefer: 'wait=5' },
    );
    expect(waiting.statusCode).toBe(202);
    expect(waiting.json().status).toBe('awaiting-seller');
    const early = await post(
      `/v1/changes/${waiting.json().id}/seller-confirmation`,
      {},
      KEYS.integration,
    );
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('CHANGE_TRANSITION_INVALID');
    expect(
      (await post(`/v1/changes/${waiting.json().id}/seller-acknowledgment`, {}, KEYS.agent))
        .statusCode,
    ).toBe(403);
    const acked = await post(
      `/v1/changes/${waiting.json().id}/seller-acknowledgment`,
      { note: 'seen' },
      KEYS.integration,
    );
    expect(acked.json().status).toBe('awaiting-seller');
    expect((await get(`/v1/orders/${order.id}`)).version).toBe(0);
    const confirmed = await post(
      `/v1/changes/${waiting.json().id}/seller-confirmation`,
      {},
      KEYS.integration,
      { prefer: 'wait=10' },
    );
    expect(confirmed.json()).toMatchObject({ status: 'applied' });
    expect((await get(`/v1/orders/${order.id}`)).customAttributes).toMatchObject({
      note: 'ring twice',
    });
    const types = (
      await ctx.deps.db
        .selectFrom('outbox_events')
        .select('type')
        .where('change_id', '=', waiting.json().id)
        .orderBy('seq')
        .execute()
    ).map((e) => e.type);
    expect(types.slice(0, 7)).toEqual([
      'CHANGE_RECEIVED',
      'CHANGE_VALIDATED',
      'CHANGE_AWAITING_SELLER',
      'CHANGE_SELLER_ACKNOWLEDGED',
      'CHANGE_SELLER_CONFIRMED',
      'CHANGE_VALIDATED',
      'CHANGE_APPLYING',
    ]);

    const refused = await change(order.id, [
      { op: 'setCustomAttributes', set: { note: 'leave at door' } },
    ]);
    const no = await post(
      `/v1/changes/${refused.json().id}/seller-refusal`,
      { note: 'Parcel already sealed' },
      KEYS.integration,
    );
    expect(no.json()).toMatchObject({ status: 'rejected', outcome: { code: 'SELLER_REFUSED' } });
    expect(no.json().outcome.detail).toMatch(/Parcel already sealed/);
  });

  it('cancels a change that has not applied, never an applied one', async () => {
    const order = await importOrder({ origin: 'marketplace' });
    const waiting = await change(order.id, [{ op: 'setCustomAttributes', set: { x: 1 } }]);
    expect(
      (await post(`/v1/changes/${waiting.json().id}/cancel`, {}, KEYS.picker)).json().code,
    ).toBe('PERMISSION_DENIED');
    const canceled = await post(`/v1/changes/${waiting.json().id}/cancel`, { note: 'Not needed' });
    expect(canceled.json()).toMatchObject({ status: 'canceled', outcome: { code: 'CANCELED' } });
    expect((await inboxOf(KEYS.agent)).find((e) => e.changeId === waiting.json().id)).toMatchObject(
      { outcome: 'canceled' },
    );
    const applied = await change((await importOrder()).id, [
      { op: 'setCustomAttributes', set: { x: 1 } },
    ]);
    const late = await post(`/v1/changes/${applied.json().id}/cancel`);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('CHANGE_TRANSITION_INVALID');
  });

  it('queues a change behind a busy order, refuses it with ifBusy: "refuse", and rejects a stale expected version when its turn comes', async () => {
    const quiet = await createTestContext(engine, { worker: false });
    try {
      const order = (
        await quiet.app.inject({
          method: 'POST',
          url: '/v1/orders',
          headers: auth(KEYS.integration),
          payload: anImport(),
        })
      ).json();
      const send = (operations: object[], extra: object = {}) =>
        quiet.app.inject({
          method: 'POST',
          url: `/v1/orders/${order.id}/changes`,
          headers: auth(KEYS.agent),
          payload: { operations, reason, ...extra },
        });
      const first = await send([{ op: 'addItem', sku: 'MILK', quantity: 1 }]);
      expect(first.statusCode).toBe(202);
      const refused = await send([{ op: 'setCustomAttributes', set: { a: 1 } }], {
        ifBusy: 'refuse',
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('CHANGE_IN_PROGRESS');
      const queued = await send([{ op: 'setCustomAttributes', set: { a: 1 } }], {
        expectedVersion: 0,
      });
      expect(queued.statusCode).toBe(202);
      expect(queued.json().status).toBe('validated');
      expect(await new ChangeWorker(quiet.deps).drain()).toBe(2);
      const [a, b] = await Promise.all(
        [first, queued].map(async (x) =>
          (await quiet.app.inject({ url: `/v1/changes/${x.json().id}`, headers: auth() })).json(),
        ),
      );
      expect(a.status).toBe('applied');
      expect(b).toMatchObject({ status: 'rejected', outcome: { code: 'ORDER_VERSION_MISMATCH' } });
    } finally {
      await quiet.close();
    }
  });

  it('reports GATEWAY_UNAVAILABLE on the change while it retries', async () => {
    await settings({ payments: { retryBaseMs: 400 } });
    try {
      const order = await importOrder();
      await simulate('credit-card', { failure: 'unavailable', times: 1 });
      const answer = await addMilk(order.id, {});
      let seen: Json = {};
      for (let i = 0; i < 50 && seen.outcome?.code !== 'GATEWAY_UNAVAILABLE'; i++) {
        seen = await get(`/v1/changes/${answer.json().id}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(seen, JSON.stringify(seen)).toMatchObject({
        status: 'applying',
        outcome: { code: 'GATEWAY_UNAVAILABLE' },
      });
      const final = await post(`/v1/changes/${answer.json().id}/cancel`);
      expect(final.json().code).toBe('CHANGE_TRANSITION_INVALID'); // never canceled while applying
    } finally {
      await settings({ payments: { retryBaseMs: 5 } });
    }
  });
});
