import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

describe.each(ENGINES)("the requester's inbox on %s", (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });
  const get = (url: string, key: string) => ctx.app.inject({ url, headers: auth(key) });
  const post = (url: string, key: string, payload?: object) =>
    ctx.app.inject({ method: 'POST', url, headers: auth(key), ...(payload ? { payload } : {}) });

  it('tells the picker that a substitution was refused, why, and what to do (seed 000)', async () => {
    const order = (
      await post('/v1/orders', KEYS.integration, anImport({ payments: [{ method: 'bank-slip' }] }))
    ).json();
    const job = order.fulfilment.pickJobs[0];
    await post(`/v1/pick-jobs/${job.id}/start`, KEYS.picker);
    const refused = await post(`/v1/orders/${order.id}/changes`, KEYS.picker, {
      operations: [{ op: 'replaceItem', lineId: order.lines[0].lineId, sku: 'PEAR', quantity: 2 }],
      reason: { code: 'SUBSTITUTION' },
      app: 'picker',
    });
    expect(refused.json().code).toBe('PAYMENT_METHOD_CANNOT_INCREASE');

    const inbox = (await get('/v1/inbox?unacknowledged=true', KEYS.picker)).json();
    expect(inbox.unacknowledgedRejections).toBe(1);
    expect(inbox.items).toEqual([
      expect.objectContaining({
        changeId: refused.json().changeId,
        orderId: order.id,
        outcome: 'rejected',
        code: 'PAYMENT_METHOD_CANNOT_INCREASE',
        detail: expect.stringContaining('bank-slip'),
        nextStep: expect.stringContaining('pack the original item'),
        acknowledgedAt: null,
        // What a person reads instead of ids: the ticket, the order's own reference, the change itself.
        ticket: expect.stringMatching(/^MOD-\d+$/),
        orderRef: order.channelOrderRef,
        app: 'picker',
        operations: [expect.objectContaining({ op: 'replaceItem', sku: 'PEAR' })],
        lineNames: expect.objectContaining({ [order.lines[0].lineId]: order.lines[0].name }),
      }),
    ]);
    // By app: the picker's own outcomes, or all but the picker's.
    expect((await get('/v1/inbox?app=picker', KEYS.picker)).json().items).toHaveLength(1);
    expect((await get('/v1/inbox?excludeApp=picker', KEYS.picker)).json().items).toEqual([]);
    expect((await get('/v1/inbox?app=bulk,console', KEYS.picker)).json().items).toEqual([]);
    const bad = await get('/v1/inbox?app=Not%20one', KEYS.picker);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('REQUEST_INVALID');
    expect((await get('/v1/inbox', KEYS.agent)).json().items).toEqual([]);

    const entry = inbox.items[0];
    expect((await post(`/v1/inbox/${entry.id}/ack`, KEYS.agent)).statusCode).toBe(404);
    const acked = (await post(`/v1/inbox/${entry.id}/ack`, KEYS.picker)).json();
    expect(acked.acknowledgedAt).not.toBeNull();
    expect((await post(`/v1/inbox/${entry.id}/ack`, KEYS.picker)).json().acknowledgedAt).toBe(
      acked.acknowledgedAt,
    );
    expect((await get('/v1/inbox?unacknowledged=true', KEYS.picker)).json()).toMatchObject({
      items: [],
      unacknowledgedRejections: 0,
    });
  });

  it('tells the requester of an applied change too', async () => {
    const order = (await post('/v1/orders', KEYS.integration, anImport())).json();
    const applied = (
      await post(`/v1/orders/${order.id}/changes`, KEYS.agent, {
        operations: [{ op: 'setCustomAttributes', set: { gate: 'A' } }],
        reason: { code: 'CUSTOMER_REQUEST' },
      })
    ).json();
    const items = (await get('/v1/inbox', KEYS.agent)).json().items;
    expect(items[0]).toMatchObject({ changeId: applied.id, outcome: 'applied', code: 'APPLIED' });
  });
});
