import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

const reason = { code: 'CUSTOMER_REQUEST' };

describe.each(ENGINES)('error answers on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
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

  it('answers CHANGE_NOT_FOUND for an unknown change', async () => {
    const res = await ctx.app.inject({ url: '/v1/changes/chg_nope', headers: auth() });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      code: 'CHANGE_NOT_FOUND',
      errors: [{ vtexCode: 'CHK0289' }],
    });
  });

  it('answers CHANGE_REFUSED with every refusal listed when there are several', async () => {
    const order = await importOrder();
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/changes`,
      headers: auth(KEYS.agent),
      payload: {
        operations: [
          { op: 'setQuantity', lineId: order.lines[0].lineId, quantity: 0 },
          { op: 'adjustTotal', discount: -5 },
        ],
        reason,
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'CHANGE_REFUSED',
      errors: [
        { code: 'QUANTITY_INVALID', operationIndex: 0 },
        { code: 'VALUE_NEGATIVE', operationIndex: 1 },
      ],
    });
  });

  it('answers IDEMPOTENCY_KEY_IN_USE while the first request with the key is still running', async () => {
    const order = await importOrder();
    const payload = { operations: [{ op: 'setDeliveryDate', date: '2030-01-01' }], reason };
    const { fingerprintOf } = await import('../../src/http/idempotency.js');
    await ctx.deps.db
      .insertInto('idempotency_keys')
      .values({
        tenant_id: 't1',
        key: 'busy',
        fingerprint: fingerprintOf('POST', `/v1/orders/${order.id}/changes`, payload),
        state: 'running',
      })
      .execute();
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/changes`,
      headers: { ...auth(KEYS.agent), 'idempotency-key': 'busy' },
      payload,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('IDEMPOTENCY_KEY_IN_USE');
  });

  it('answers UNDO_NOT_SUPPORTED for a change that was not applied', async () => {
    const order = await importOrder();
    const rejected = (
      await ctx.app.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/changes`,
        headers: auth(KEYS.agent),
        payload: {
          operations: [{ op: 'removeItem', lineId: order.lines[0].lineId, quantity: 9 }],
          reason,
        },
      })
    ).json();
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/changes/${rejected.changeId}/undo`,
      headers: auth(KEYS.agent),
      payload: { reason },
    });
    expect(res.json().code).toBe('UNDO_NOT_SUPPORTED');
  });
});

describe('an unexpected failure', () => {
  it('answers 500 INTERNAL with a log reference and no stack trace', async () => {
    const ctx = await createTestContext('pglite');
    await ctx.database.drop(); // the store is gone: every query now throws
    const res = await ctx.app.inject({ url: '/v1/orders', headers: auth() });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body).toMatchObject({ code: 'INTERNAL', status: 500, logRef: body.requestId });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
    await ctx.app.close();
  });
});
