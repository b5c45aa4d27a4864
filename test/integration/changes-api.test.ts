import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeEventData } from '../../src/domain/change/change.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS, OTHER_TENANT_ADMIN } from '../support/fixture.js';

const reason = { code: 'CUSTOMER_REQUEST', text: 'Customer called' };
/** Preview and apply plan alike; only freshly generated ids differ. */
const withoutNewIds = (plan: object) =>
  JSON.parse(JSON.stringify(plan).replace(/"(pj|ln|lbl)_[0-9a-z]{16}"/g, '"<new>"'));

describe.each(ENGINES)('changes API on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
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
  const change = (
    orderId: string,
    body: object,
    key: string = KEYS.agent,
    headers: Record<string, string> = {},
  ) =>
    ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/changes`,
      headers: { ...auth(key), prefer: 'wait=10', ...headers },
      payload: body,
    });
  const preview = (orderId: string, body: object, key: string = KEYS.agent) =>
    ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/changes/preview`,
      headers: auth(key),
      payload: body,
    });
  const get = (url: string, key: string = KEYS.agent) =>
    ctx.app.inject({ url, headers: auth(key) });

  it('previews without writing, then applies the same plan atomically with audit, version and reservations', async () => {
    const order = await importOrder();
    const apple = order.lines[0];
    const body = { operations: [{ op: 'setQuantity', lineId: apple.lineId, quantity: 3 }], reason };
    const dry = await preview(order.id, body);
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({
      baseVersion: 0,
      plan: {
        lines: [
          { lineId: apple.lineId, kind: 'quantity', old: { quantity: 2 }, new: { quantity: 3 } },
        ],
      },
    });
    expect((await get(`/v1/orders/${order.id}`)).json().version).toBe(0);

    const res = await change(order.id, body);
    expect(res.statusCode).toBe(200);
    const applied = res.json();
    expect(res.headers.location).toBe(`/v1/changes/${applied.id}`);
    expect(applied).toMatchObject({
      status: 'applied',
      baseVersion: 0,
      orderVersion: 1,
      ticket: expect.stringMatching(/^MOD-\d{6}$/),
      requestedBy: { actorId: 'u-agent', role: 'agent', app: 'api' },
    });
    expect(withoutNewIds(applied.plan)).toEqual(withoutNewIds(dry.json().plan));
    const after = (await get(`/v1/orders/${order.id}`)).json();
    expect(after.version).toBe(1);
    expect(after.lines[0].quantity).toBe(3);
    expect(after.totals.grandTotal).toBe(order.totals.grandTotal + applied.plan.payments[0].amount);
    expect(after.payments[0].authorized).toBe(after.totals.grandTotal);
    expect(
      after.fulfilment.reservations.find((r: { lineId: string }) => r.lineId === apple.lineId)
        .quantity,
    ).toBe(3);
    const history = (await get(`/v1/orders/${order.id}/history`)).json().items;
    expect(history).toContainEqual(
      expect.objectContaining({
        changeId: applied.id,
        path: `lines.${apple.lineId}.quantity`,
        old: 2,
        new: 3,
        reasonCode: 'CUSTOMER_REQUEST',
        actor: { id: 'u-agent', role: 'agent', app: 'api' },
      }),
    );
    const v0 = (await get(`/v1/orders/${order.id}?version=0`)).json();
    expect(v0.lines[0].quantity).toBe(2);
    expect((await get(`/v1/changes/${applied.id}`)).json()).toEqual(applied);
    const events = await ctx.deps.db
      .selectFrom('outbox_events')
      .select(['type', 'data'])
      .where('change_id', '=', applied.id)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'CHANGE_RECEIVED',
        'CHANGE_APPLIED',
        'ORDER_MODIFIED',
        'PAYMENT_ADJUSTED',
      ]),
    );
    // Slim events (v3): the ids and what moved, the risk's score without what it scored; the whole
    // Change is read by id.
    const slim = events.find((e) => e.type === 'CHANGE_APPLIED')?.data as {
      approval: { risk: unknown };
    };
    expect(slim).toEqual(changeEventData(applied));
    expect(slim).not.toHaveProperty('plan');
    expect(applied.approval.risk).toHaveProperty('input');
    expect(slim.approval.risk).toEqual({
      score: applied.approval.risk.score,
      band: applied.approval.risk.band,
      reasons: applied.approval.risk.reasons,
      modelVersion: applied.approval.risk.modelVersion,
      source: applied.approval.risk.source,
      autoApproved: applied.approval.risk.autoApproved,
    });
    expect(events.find((e) => e.type === 'ORDER_MODIFIED')?.data).toMatchObject({
      version: 1,
      status: 'payment-approved',
    });
    expect(
      (await get(`/v1/orders/${order.id}/changes`)).json().items.map((c: { id: string }) => c.id),
    ).toEqual([applied.id]);
  });

  it('changes the address: history shows old → new, and a generated label becomes obsolete', async () => {
    const order = await importOrder();
    const label = (
      await ctx.app.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/labels`,
        headers: auth(KEYS.picker),
      })
    ).json();
    await ctx.app.inject({
      method: 'POST',
      url: `/v1/labels/${label.id}/generate`,
      headers: auth(KEYS.picker),
    });
    const res = await change(order.id, {
      operations: [
        {
          op: 'setShippingAddress',
          address: { street: 'Neue Str. 5', city: 'Potsdam', postalCode: '14467' },
        },
      ],
      reason: { code: 'ADDRESS_CORRECTION' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().plan.effects.map((e: { type: string }) => e.type)).toEqual([
      'LABEL_OBSOLETE',
      'LABEL_REQUESTED',
    ]);
    const after = (await get(`/v1/orders/${order.id}`)).json();
    expect(after.shippingAddress).toMatchObject({ city: 'Potsdam', name: 'Erika Mustermann' });
    expect(after.fulfilment.labels.map((l: { status: string }) => l.status)).toEqual([
      'obsolete',
      'requested',
    ]);
    const history = (await get(`/v1/orders/${order.id}/history?path=shippingAddress`)).json().items;
    expect(
      history.map((h: { path: string; old: string; new: string }) => [h.path, h.old, h.new]),
    ).toEqual([
      ['shippingAddress.street', 'Hauptstr. 1', 'Neue Str. 5'],
      ['shippingAddress.city', 'Berlin', 'Potsdam'],
      ['shippingAddress.postalCode', '10115', '14467'],
    ]);
  });

  it('refuses with a code, records the rejected change, and leaves the order untouched', async () => {
    const order = await importOrder();
    const res = await change(order.id, {
      operations: [{ op: 'removeItem', lineId: order.lines[0].lineId, quantity: 3 }],
      reason,
    });
    expect(res.statusCode).toBe(422);
    const problem = res.json();
    expect(problem).toMatchObject({
      code: 'REMOVE_EXCEEDS_QUANTITY',
      errors: [
        { operationIndex: 0, field: 'operations[0].quantity', vtexCode: 'SalesOrderSystem011' },
      ],
    });
    const rejected = (await get(`/v1/changes/${problem.changeId}`)).json();
    expect(rejected).toMatchObject({
      status: 'rejected',
      outcome: { code: 'REMOVE_EXCEEDS_QUANTITY' },
    });
    const now = (await get(`/v1/orders/${order.id}`)).json();
    expect(now).toEqual(order);
  });

  it('answers 412 on a stale version (If-Match or expectedVersion), 400 on a weak or disagreeing one', async () => {
    const order = await importOrder();
    const body = { operations: [{ op: 'setCustomAttributes', set: { gate: 'B' } }], reason };
    expect((await change(order.id, { ...body, expectedVersion: 0 })).statusCode).toBe(200);
    const stale = await change(order.id, body, KEYS.agent, { 'if-match': '"0"' });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: 'ORDER_VERSION_MISMATCH', currentVersion: 1 });
    expect((await change(order.id, body, KEYS.agent, { 'if-match': 'W/"1"' })).statusCode).toBe(
      400,
    );
    expect(
      (await change(order.id, { ...body, expectedVersion: 0 }, KEYS.agent, { 'if-match': '"1"' }))
        .statusCode,
    ).toBe(400);
    expect((await change(order.id, { ...body, expectedVersion: 1 })).statusCode).toBe(422); // same attribute again: CHANGE_EMPTY
  });

  it('replays an idempotent apply once and refuses the key with another body', async () => {
    const order = await importOrder();
    const body = { operations: [{ op: 'setDeliveryDate', date: '2030-05-01' }], reason };
    const first = await change(order.id, body, KEYS.agent, { 'idempotency-key': 'chg-1' });
    const again = await change(order.id, body, KEYS.agent, { 'idempotency-key': 'chg-1' });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect((await get(`/v1/orders/${order.id}`)).json().version).toBe(1);
    const other = await change(
      order.id,
      { ...body, operations: [{ op: 'setDeliveryDate', date: '2030-05-02' }] },
      KEYS.agent,
      { 'idempotency-key': 'chg-1' },
    );
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers 403 naming the permission, 404 for another tenant, 400 for unknown ops and fields', async () => {
    const order = await importOrder();
    const denied = await change(
      order.id,
      { operations: [{ op: 'setShippingAddress', address: { city: 'Köln' } }], reason },
      KEYS.picker,
    );
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({
      code: 'PERMISSION_DENIED',
      permission: 'ORDER_CONSUMER_WRITE',
    });
    expect(
      (await change(order.id, { operations: [], reason }, OTHER_TENANT_ADMIN)).json().code,
    ).toBe('ORDER_NOT_FOUND');
    const unknownOp = await change(order.id, { operations: [{ op: 'teleport' }], reason });
    expect(unknownOp.statusCode).toBe(400);
    const extra = await change(order.id, {
      operations: [{ op: 'setQuantity', lineId: 'x', quantity: 1, colour: 'red' }],
      reason,
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().errors).toContainEqual(
      expect.objectContaining({ field: 'operations[0].colour' }),
    );
    expect((await get(`/v1/orders/${order.id}`)).json().version).toBe(0);
  });

  it('answers editability per operation and line, and the change summary', async () => {
    const order = await importOrder({
      lines: [
        { sku: 'APPLE', quantity: 2, lineId: 'a1' },
        { sku: 'WRAP', quantity: 1, lineId: 'w1', parentLineId: 'a1' },
      ],
    });
    const picker = (await get(`/v1/orders/${order.id}/editability`, KEYS.picker)).json();
    expect(picker.operations.setShippingAddress).toMatchObject({
      allowed: false,
      visible: false,
      refusals: [{ code: 'PERMISSION_DENIED' }],
    });
    expect(picker.lines.a1.setQuantity).toMatchObject({
      allowed: false,
      refusals: [{ code: 'LINE_NOT_EDITABLE' }],
    });
    expect(picker.lines.a1.limits).toEqual({ minQuantity: 1, maxQuantity: 3, maxUnitPrice: 328 });
    const agent = (await get(`/v1/orders/${order.id}/editability`)).json();
    expect(agent.operations.setShippingAddress).toEqual({
      allowed: true,
      visible: true,
      refusals: [],
    });
    expect(agent.lines.w1.changeWeight.refusals.map((r: { code: string }) => r.code)).toEqual([
      'LINE_NOT_EDITABLE',
      'NOT_WEIGHABLE',
    ]);

    const plain = await importOrder();
    await change(plain.id, {
      operations: [{ op: 'replaceItem', lineId: plain.lines[0].lineId, sku: 'PEAR', quantity: 2 }],
      reason: { code: 'SUBSTITUTION' },
    });
    const summary = (await get(`/v1/orders/${plain.id}/change-summary`)).json();
    expect(summary).toMatchObject({
      changes: 1,
      removed: [{ sku: 'APPLE' }],
      added: [{ sku: 'PEAR' }],
      replaced: [{ from: { sku: 'APPLE' }, to: { sku: 'PEAR' } }],
    });
    expect(summary.totalsDelta.items).toBe(2 * 349 - 2 * 299);
  });

  it('undoes an applied change with a compensating one, and refuses undo of a rejected change', async () => {
    const order = await importOrder();
    const applied = (
      await change(order.id, {
        operations: [
          { op: 'setQuantity', lineId: order.lines[0].lineId, quantity: 5 },
          { op: 'setCustomAttributes', set: { gift: true } },
        ],
        reason,
      })
    ).json();
    const undo = await ctx.app.inject({
      method: 'POST',
      url: `/v1/changes/${applied.id}/undo`,
      headers: { ...auth(KEYS.agent), prefer: 'wait=10' },
      payload: { reason },
    });
    expect(undo.statusCode, undo.body).toBe(200);
    expect(undo.json()).toMatchObject({ status: 'applied', undoOf: applied.id, orderVersion: 2 });
    const now = (await get(`/v1/orders/${order.id}`)).json();
    expect(now.lines[0].quantity).toBe(2);
    expect(now.customAttributes).toEqual({});
    expect(now.totals).toEqual(order.totals);
    const again = await ctx.app.inject({
      method: 'POST',
      url: `/v1/changes/${applied.id}/undo`,
      headers: { ...auth(KEYS.agent), prefer: 'wait=10' },
      payload: { reason },
    });
    expect(again.json().code).toBe('UNDO_CONFLICT');
  });

  it('cancels an order: stock released, money given back, ORDER_CANCELLED announced, and no undo', async () => {
    const order = await importOrder();
    const before = (await get(`/v1/stock?sku=APPLE&facilityId=${order.facilityId}`)).json()
      .items[0];
    const res = await change(order.id, {
      operations: [{ op: 'cancelOrder', reasonCode: 'CUSTOMER_REQUEST' }],
      reason,
    });
    expect(res.statusCode).toBe(200);
    const after = (await get(`/v1/orders/${order.id}`)).json();
    expect(after).toMatchObject({
      status: 'canceled',
      version: 1,
      fulfilment: { reservations: [], handover: { status: 'canceled' } },
    });
    expect(after.payments[0].authorized).toBe(0);
    expect(
      (await get(`/v1/stock?sku=APPLE&facilityId=${order.facilityId}`)).json().items[0].reserved,
    ).toBe(before.reserved - 2);
    const types = (
      await ctx.deps.db
        .selectFrom('outbox_events')
        .select('type')
        .where('change_id', '=', res.json().id)
        .execute()
    ).map((e) => e.type);
    expect(types).toContain('ORDER_CANCELLED');
    const undo = await ctx.app.inject({
      method: 'POST',
      url: `/v1/changes/${res.json().id}/undo`,
      headers: auth(KEYS.agent),
      payload: { reason },
    });
    expect(undo.json().code).toBe('UNDO_NOT_SUPPORTED');
    const again = await change(order.id, {
      operations: [{ op: 'setDeliveryDate', date: '2030-01-01' }],
      reason,
    });
    expect(again.json().code).toBe('ORDER_STATUS_NOT_EDITABLE');
  });

  it('force-cancels a picked order for a supervisor only, with the manual steps', async () => {
    const order = await importOrder();
    const job = order.fulfilment.pickJobs[0];
    await ctx.app.inject({
      method: 'POST',
      url: `/v1/pick-jobs/${job.id}/start`,
      headers: auth(KEYS.picker),
    });
    await ctx.app.inject({
      method: 'POST',
      url: `/v1/pick-jobs/${job.id}/picks`,
      headers: auth(KEYS.picker),
      payload: { lines: [{ lineId: order.lines[0].lineId, quantity: 2 }] },
    });
    const body = { operations: [{ op: 'forceCancelOrder', reasonCode: 'OUT_OF_STOCK' }], reason };
    expect(
      (
        await change(order.id, {
          operations: [{ op: 'cancelOrder', reasonCode: 'OUT_OF_STOCK' }],
          reason,
        })
      ).json().code,
    ).toBe('ITEMS_ALREADY_PICKED');
    expect((await change(order.id, body)).json()).toMatchObject({
      code: 'PERMISSION_DENIED',
      permission: 'ORDER_FORCE_CANCEL',
    });
    const res = await change(order.id, body, KEYS.supervisor);
    expect(res.statusCode).toBe(200);
    expect(res.json().plan.effects).toEqual([
      expect.objectContaining({
        type: 'MANUAL_STEP',
        action: 'RETURN_TO_STORAGE',
        sku: 'APPLE',
        quantity: 2,
        facilityId: order.facilityId,
      }),
    ]);
    const editability = (await get(`/v1/orders/${order.id}/editability`, KEYS.supervisor)).json();
    expect(editability.operations.forceCancelOrder.refusals[0].code).toBe(
      'ORDER_STATUS_NOT_EDITABLE',
    );
  });

  it('moves orders between facilities through process operations, each announced', async () => {
    const sup = KEYS.supervisor;
    const eventsOf = async (changeId: string) =>
      (
        await ctx.deps.db
          .selectFrom('outbox_events')
          .select('type')
          .where('change_id', '=', changeId)
          .execute()
      ).map((e) => e.type);
    const order = await importOrder({ lines: [{ sku: 'PEAR', quantity: 1 }] });
    const target = order.facilityId === 'berlin' ? 'hamburg' : 'berlin';
    const assigned = await change(
      order.id,
      { operations: [{ op: 'assignFacility', facilityId: target }], reason },
      sup,
    );
    expect(assigned.statusCode).toBe(200);
    expect(await eventsOf(assigned.json().id)).toEqual(
      expect.arrayContaining(['ORDER_MANUAL_FACILITY_ASSIGNMENT', 'PICK_JOB_REPLACED']),
    );
    expect((await get(`/v1/orders/${order.id}`)).json().fulfilment.reservations[0].facilityId).toBe(
      target,
    );
    expect(
      (
        await change(
          order.id,
          { operations: [{ op: 'assignFacility', facilityId: 'dc' }], reason },
          sup,
        )
      ).json().code,
    ).toBe('NOT_SHIP_FROM_STORE');
    expect(
      (
        await change(
          order.id,
          { operations: [{ op: 'assignFacility', facilityId: 'mars' }], reason },
          sup,
        )
      ).json().code,
    ).toBe('FACILITY_NOT_FOUND');

    const job = (await get(`/v1/orders/${order.id}`))
      .json()
      .fulfilment.pickJobs.find((j: { status: string }) => j.status === 'open');
    const task = await change(
      order.id,
      {
        operations: [{ op: 'rerouteTask', pickJobId: job.id, reasonCode: 'FACILITY_CLOSED' }],
        reason,
      },
      sup,
    );
    expect(task.statusCode).toBe(200);
    expect(await eventsOf(task.json().id)).toContain('TASK_MANUAL_REROUTE');
    const moved = (await get(`/v1/orders/${order.id}`)).json();
    expect(moved.fulfilment.routing.blacklist).toEqual([target]);
    expect(moved.facilityId).not.toBe(target);

    const carrier = await change(order.id, {
      operations: [{ op: 'changeCarrier', carrier: 'Hermes' }],
      reason,
    });
    expect(carrier.statusCode).toBe(moved.facilityId === 'dc' ? 422 : 200);
    expect(
      (await change(order.id, { operations: [{ op: 'reroute' }], reason })).json(),
    ).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'PROCESS_REROUTE' });
  });

  it('refuses process operations as fulfilment moves forward, each with its code', async () => {
    const post = (url: string, payload?: object) =>
      ctx.app.inject({
        method: 'POST',
        url,
        headers: auth(KEYS.picker),
        ...(payload ? { payload } : {}),
      });
    const cancel = (id: string) =>
      change(id, { operations: [{ op: 'cancelOrder', reasonCode: 'CUSTOMER_REQUEST' }], reason });

    const started = await importOrder();
    await post(`/v1/pick-jobs/${started.fulfilment.pickJobs[0].id}/start`);
    expect((await cancel(started.id)).json().code).toBe('PICK_JOB_NOT_OPEN');
    expect(
      (
        await change(
          started.id,
          {
            operations: [{ op: 'rerouteTask', pickJobId: started.fulfilment.pickJobs[0].id }],
            reason,
          },
          KEYS.supervisor,
        )
      ).json().code,
    ).toBe('PICK_JOB_NOT_OPEN');

    const labelled = await importOrder();
    await post(`/v1/orders/${labelled.id}/labels`);
    expect((await cancel(labelled.id)).json().code).toBe('LABEL_ALREADY_REQUESTED');

    const handed = await importOrder({ lines: [{ sku: 'MILK', quantity: 1 }] });
    const job = handed.fulfilment.pickJobs[0];
    await post(`/v1/pick-jobs/${job.id}/start`);
    await post(`/v1/pick-jobs/${job.id}/picks`, {
      lines: [{ lineId: handed.lines[0].lineId, quantity: 1 }],
    });
    await post(`/v1/pick-jobs/${job.id}/close`);
    const label = (await post(`/v1/orders/${handed.id}/labels`)).json();
    await post(`/v1/labels/${label.id}/generate`);
    await post(`/v1/orders/${handed.id}/pack`);
    await post(`/v1/orders/${handed.id}/hand-over`);
    const carrier = (
      await change(handed.id, { operations: [{ op: 'changeCarrier', carrier: 'DPD' }], reason })
    ).json();
    expect(carrier.errors.map((e: { code: string }) => e.code)).toContain('HANDOVER_NOT_OPEN');

    const stuck = await importOrder({ lines: [{ sku: 'WINE', quantity: 400 }] });
    expect(
      (await change(stuck.id, { operations: [{ op: 'reroute' }], reason }, KEYS.supervisor)).json()
        .code,
    ).toBe('ORDER_UNROUTABLE');
  });
});
