import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS, OTHER_TENANT_ADMIN } from '../support/fixture.js';

interface Line {
  lineId: string;
  sku: string;
}

describe.each(ENGINES)('fulfilment API on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const post = (url: string, key: string = KEYS.picker, payload?: object) =>
    ctx.app.inject({
      method: 'POST',
      url,
      headers: auth(key),
      ...(payload === undefined ? {} : { payload }),
    });
  const importOrder = async (overrides: Parameters<typeof anImport>[0] = {}) => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: auth(KEYS.integration),
      payload: anImport(overrides),
    });
    expect(res.statusCode).toBe(201);
    return res.json();
  };
  const getOrder = async (id: string) =>
    (await ctx.app.inject({ url: `/v1/orders/${id}`, headers: auth() })).json();
  const stockOf = async (sku: string, facilityId: string) =>
    (
      await ctx.app.inject({
        url: `/v1/stock?sku=${sku}&facilityId=${facilityId}`,
        headers: auth(),
      })
    ).json().items[0];
  const eventTypes = async (orderId: string) =>
    (
      await ctx.deps.db
        .selectFrom('outbox_events')
        .select('type')
        .where('order_id', '=', orderId)
        .orderBy('seq')
        .execute()
    ).map((e) => e.type);
  const expectInvalid = (res: { statusCode: number; json(): { code: string } }) => {
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'FULFILMENT_TRANSITION_INVALID',
      type: 'urn:amend:problem:FULFILMENT_TRANSITION_INVALID',
    });
  };

  it('walks an imported order from the first pick to delivery', async () => {
    const order = await importOrder();
    const [apple, milk] = order.lines as Line[];
    const jobId: string = order.fulfilment.pickJobs[0].id;

    const started = await post(`/v1/pick-jobs/${jobId}/start`);
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({
      id: jobId,
      orderId: order.id,
      status: 'in-progress',
      assigneeId: 'u-picker',
    });
    expect((await getOrder(order.id)).status).toBe('handling');

    const partial = await post(`/v1/pick-jobs/${jobId}/picks`, KEYS.picker, {
      lines: [{ lineId: apple?.lineId, quantity: 1 }],
    });
    expect(partial.json()).toMatchObject({
      status: 'in-progress',
      lines: expect.arrayContaining([{ lineId: apple?.lineId, quantity: 2, picked: 1 }]),
    });
    expectInvalid(
      await post(`/v1/pick-jobs/${jobId}/picks`, KEYS.picker, {
        lines: [{ lineId: apple?.lineId, quantity: 2 }],
      }),
    );
    expect((await getOrder(order.id)).fulfilment.pickJobs[0].lines).toContainEqual({
      lineId: apple?.lineId,
      quantity: 2,
      picked: 1,
    });
    const full = await post(`/v1/pick-jobs/${jobId}/picks`, KEYS.picker, {
      lines: [
        { lineId: apple?.lineId, quantity: 1 },
        { lineId: milk?.lineId, quantity: 1 },
      ],
    });
    expect(full.json()).toMatchObject({
      status: 'picked',
      lines: expect.arrayContaining([{ lineId: milk?.lineId, quantity: 1, picked: 1 }]),
    });
    expect((await post(`/v1/pick-jobs/${jobId}/close`)).json()).toMatchObject({
      id: jobId,
      status: 'closed',
    });

    const label = await post(`/v1/orders/${order.id}/labels`, KEYS.picker, { carrier: 'dhl' });
    expect(label.statusCode).toBe(200);
    expect(label.json()).toMatchObject({ orderId: order.id, carrier: 'dhl', status: 'requested' });
    expectInvalid(await post(`/v1/orders/${order.id}/labels`));
    expect((await post(`/v1/labels/${label.json().id}/generate`)).json()).toMatchObject({
      id: label.json().id,
      status: 'generated',
    });

    const packed = (await post(`/v1/orders/${order.id}/pack`)).json();
    expect(packed.status).toBe('ready-for-invoice');
    expect(packed.fulfilment.packages).toHaveLength(1);
    expect((await post(`/v1/orders/${order.id}/hand-over`)).json().fulfilment.handover.status).toBe(
      'handed-over',
    );

    const invoiced = (await post(`/v1/orders/${order.id}/invoice`)).json();
    expect(invoiced.status).toBe('invoiced');
    for (const p of invoiced.payments) expect(p.captured).toBe(p.authorized);
    expect(invoiced.payments[0].captured).toBe(order.totals.grandTotal);

    const [appleBefore, milkBefore] = [
      await stockOf('APPLE', 'berlin'),
      await stockOf('MILK', 'berlin'),
    ];
    const shipped = (await post(`/v1/orders/${order.id}/ship`)).json();
    expect(shipped.status).toBe('shipped');
    expect(shipped.fulfilment.reservations).toEqual([]);
    expect(await stockOf('APPLE', 'berlin')).toMatchObject({
      onHand: appleBefore.onHand - 2,
      reserved: appleBefore.reserved - 2,
    });
    expect(await stockOf('MILK', 'berlin')).toMatchObject({
      onHand: milkBefore.onHand - 1,
      reserved: milkBefore.reserved - 1,
    });

    const delivered = await post(`/v1/orders/${order.id}/deliver`);
    expect(delivered.statusCode).toBe(200);
    expect(delivered.headers.etag).toBe('"0"');
    expect(delivered.json()).toMatchObject({ status: 'delivered', version: 0 });
    expect(delivered.json().updatedAt > order.updatedAt).toBe(true);
    expect(await getOrder(order.id)).toEqual(delivered.json());
    expect(await eventTypes(order.id)).toEqual([
      'ORDER_CREATED',
      'PICK_JOB_CREATED',
      'PICK_JOB_STARTED',
      'ORDER_STATUS_CHANGED',
      'PICK_JOB_UPDATED',
      'PICK_JOB_UPDATED',
      'PICK_JOB_CLOSED',
      'LABEL_REQUESTED',
      'LABEL_GENERATED',
      'ORDER_STATUS_CHANGED',
      'ORDER_HANDED_OVER',
      'ORDER_STATUS_CHANGED',
      'ORDER_STATUS_CHANGED',
      'ORDER_STATUS_CHANGED',
    ]);
  });

  it('refuses every illegal move with 409 FULFILMENT_TRANSITION_INVALID and changes nothing', async () => {
    const order = await importOrder();
    const jobId: string = order.fulfilment.pickJobs[0].id;
    const lineId: string = order.lines[0].lineId;
    const events = await eventTypes(order.id);
    expectInvalid(await post(`/v1/orders/${order.id}/approve-payment`));
    expectInvalid(
      await post(`/v1/pick-jobs/${jobId}/picks`, KEYS.picker, { lines: [{ lineId, quantity: 1 }] }),
    );
    expectInvalid(await post(`/v1/pick-jobs/${jobId}/close`));
    for (const step of ['pack', 'hand-over', 'invoice', 'ship', 'deliver'])
      expectInvalid(await post(`/v1/orders/${order.id}/${step}`));
    expect(await getOrder(order.id)).toEqual(order);
    expect(await eventTypes(order.id)).toEqual(events);

    expect((await post(`/v1/pick-jobs/${jobId}/start`)).statusCode).toBe(200);
    expectInvalid(await post(`/v1/pick-jobs/${jobId}/start`));
    const label = (await post(`/v1/orders/${order.id}/labels`)).json();
    expect(label).toMatchObject({ carrier: 'standard', status: 'requested' });
    expectInvalid(await post(`/v1/orders/${order.id}/hand-over`));
    expect((await post(`/v1/labels/${label.id}/generate`)).statusCode).toBe(200);
    expectInvalid(await post(`/v1/labels/${label.id}/generate`));
    const unknownLine = await post(`/v1/pick-jobs/${jobId}/picks`, KEYS.picker, {
      lines: [{ lineId: 'nope', quantity: 1 }],
    });
    expect(unknownLine.statusCode).toBe(422);
    expect(unknownLine.json()).toMatchObject({
      code: 'LINE_NOT_FOUND',
      errors: [{ field: 'lines[0].lineId' }],
    });
  });

  it('refuses malformed bodies with 400 REQUEST_INVALID', async () => {
    const order = await importOrder();
    const jobId: string = order.fulfilment.pickJobs[0].id;
    for (const body of [
      { lines: [{ lineId: 'x', quantity: 0 }] },
      { lines: [] },
      { lines: [{ lineId: 'x', quantity: '1' }] },
      { lines: [], colour: 1 },
    ]) {
      const res = await post(`/v1/pick-jobs/${jobId}/picks`, KEYS.picker, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('REQUEST_INVALID');
    }
    expect(
      (await post(`/v1/orders/${order.id}/labels`, KEYS.picker, { carrier: 'dhl', colour: 'red' }))
        .statusCode,
    ).toBe(400);
  });

  it('approves the payment of a payment-pending import, after which picking can start', async () => {
    const order = await importOrder({ status: 'payment-pending' });
    const jobId: string = order.fulfilment.pickJobs[0].id;
    expectInvalid(await post(`/v1/pick-jobs/${jobId}/start`));
    const approved = await post(`/v1/orders/${order.id}/approve-payment`);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ id: order.id, status: 'payment-approved', version: 0 });
    expectInvalid(await post(`/v1/orders/${order.id}/approve-payment`));
    expect((await post(`/v1/pick-jobs/${jobId}/start`)).json().status).toBe('in-progress');
    expect(await eventTypes(order.id)).toContain('ORDER_STATUS_CHANGED');
  });

  it('lists pick jobs with filters, mine=true for the caller, and a cursor', async () => {
    const mine = (await importOrder()).fulfilment.pickJobs[0].id as string;
    const theirs = (await importOrder()).fulfilment.pickJobs[0].id as string;
    const openJob = (await importOrder()).fulfilment.pickJobs[0] as {
      id: string;
      facilityId: string;
    };
    await post(`/v1/pick-jobs/${mine}/start`, KEYS.picker);
    await post(`/v1/pick-jobs/${theirs}/start`, 't1-picker2');

    const listed = await ctx.app.inject({
      url: '/v1/pick-jobs?mine=true',
      headers: auth(KEYS.picker),
    });
    expect(listed.statusCode).toBe(200);
    const body = listed.json();
    expect(body.nextCursor).toBeNull();
    expect(body.items.map((j: { id: string }) => j.id)).toContain(mine);
    expect(body.items.map((j: { id: string }) => j.id)).not.toContain(theirs);
    for (const job of body.items) expect(job.assigneeId).toBe('u-picker');
    expect(Object.keys(body.items[0]).sort()).toEqual([
      'assigneeId',
      'facilityId',
      'id',
      'lines',
      'orderId',
      'status',
      'subStatus',
    ]);

    const openHere = (
      await ctx.app.inject({
        url: `/v1/pick-jobs?status=open&facilityId=${openJob.facilityId}`,
        headers: auth(KEYS.agent),
      })
    ).json().items;
    expect(openHere.map((j: { id: string }) => j.id)).toContain(openJob.id);
    for (const job of openHere)
      expect(job).toMatchObject({ status: 'open', facilityId: openJob.facilityId });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: {
        statusCode: number;
        json(): { items: { id: string }[]; nextCursor: string | null };
      } = await ctx.app.inject({
        url: `/v1/pick-jobs?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: auth(),
      });
      expect(page.statusCode).toBe(200);
      seen.push(...page.json().items.map((j) => j.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([mine, theirs, openJob.id]));
    expect(
      (await ctx.app.inject({ url: '/v1/pick-jobs?status=lost', headers: auth() })).statusCode,
    ).toBe(400);
    expect(
      (await ctx.app.inject({ url: '/v1/pick-jobs', headers: auth(OTHER_TENANT_ADMIN) })).json()
        .items,
    ).toEqual([]);
  });

  it('answers 403 PERMISSION_DENIED naming FULFILMENT_WRITE for an agent', async () => {
    const order = await importOrder();
    for (const url of [
      `/v1/orders/${order.id}/pack`,
      `/v1/pick-jobs/${order.fulfilment.pickJobs[0].id}/start`,
    ]) {
      const res = await post(url, KEYS.agent);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({
        code: 'PERMISSION_DENIED',
        permission: 'FULFILMENT_WRITE',
      });
    }
    expect(await getOrder(order.id)).toEqual(order);
  });

  it("answers 404 for another tenant's order, pick job and label", async () => {
    const order = await importOrder();
    const label = (await post(`/v1/orders/${order.id}/labels`)).json();
    const theirs = await post(`/v1/orders/${order.id}/approve-payment`, OTHER_TENANT_ADMIN);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().code).toBe('ORDER_NOT_FOUND');
    expect((await post('/v1/orders/ord_nope/ship', KEYS.admin)).json().code).toBe(
      'ORDER_NOT_FOUND',
    );
    for (const url of [
      `/v1/pick-jobs/${order.fulfilment.pickJobs[0].id}/start`,
      `/v1/labels/${label.id}/generate`,
    ]) {
      const res = await post(url, OTHER_TENANT_ADMIN);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    }
    expect((await getOrder(order.id)).fulfilment.pickJobs[0].status).toBe('open');
  });
});
