/**
 * The issue's own hostile inputs (issue 12 point 4), each a 400 naming its field or a 422 for a
 * free-form value beyond its bound, never a 500, and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOUNDS } from '../../src/domain/bounds.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';
import { aVtexOrder, createSources, postVtex, vtexHeaders } from '../support/intake.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const reason = { code: 'CUSTOMER_REQUEST' };
const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

describe.each(ENGINES)('hostile input on %s', (engine) => {
  let ctx: TestContext;
  let order: Json;
  beforeAll(async () => {
    ctx = await createTestContext(engine, { worker: false });
    order = (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(),
      })
    ).json();
  });
  afterAll(async () => {
    await ctx?.close();
  });
  const versionOf = async () =>
    (await ctx.app.inject({ url: `/v1/orders/${order.id}`, headers: auth() })).json().version;
  const send = (payload: string | object, url = `/v1/orders/${order.id}/changes`) =>
    ctx.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(KEYS.agent), 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it.each([
    ['/v1/orders/ord_demo_001%00', 'path.id'],
    ['/v1/stock?sku=%00', 'query.sku'],
    ['/v1/orders?q=a%00b', 'query.q'],
    ['/v1/events?orderId=%00', 'query.orderId'],
  ])('refuses GET %s with 400 on %s', async (url, field) => {
    const res = await ctx.app.inject({ url, headers: auth() });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'REQUEST_INVALID', errors: [{ field }] });
  });

  it('refuses a NUL in a JSON string (a label carrier) with 400 on its field', async () => {
    const res = await send({ carrier: 'a\u0000b' }, `/v1/orders/${order.id}/labels`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('carrier');
  });

  it('refuses a lone surrogate in any text, also in a key, with 400', async () => {
    const lone =
      '{"operations":[{"op":"setCustomAttributes","set":{"k":"\\ud800"}}],"reason":{"code":"CUSTOMER_REQUEST"}}';
    const res = await send(lone);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('operations[0].set.k');
    const inKey = await send('{"operations":[],"reason":{"code":"\\udc00"}}');
    expect(inKey.statusCode).toBe(400);
    expect(await versionOf()).toBe(0);
  });

  it('refuses JSON nested 20,000 deep in customAttributes with 400', async () => {
    // Written as text: JSON.stringify itself would overflow the test's stack.
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const res = await send(
      `{"operations":[{"op":"setCustomAttributes","set":{"deep":${deep}}}],"reason":{"code":"CUSTOMER_REQUEST"}}`,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/nested more than 64 levels/);
    expect(await versionOf()).toBe(0);
  });

  it('answers a lone surrogate sent as bytes in a query below 500 (the decoder replaces it)', async () => {
    const res = await ctx.app.inject({ url: '/v1/orders?q=%ED%A0%80', headers: auth() });
    expect(res.statusCode).toBeLessThan(500);
  });

  it('refuses customAttributes deeper or larger than the bound with VALUE_TOO_LARGE', async () => {
    const deep = await send({
      operations: [{ op: 'setCustomAttributes', set: { deep: nested(BOUNDS.jsonDepth + 2) } }],
      reason,
    });
    expect(deep.statusCode).toBe(422);
    expect(deep.json()).toMatchObject({
      code: 'VALUE_TOO_LARGE',
      errors: [{ field: 'customAttributes' }],
    });
    const large = await send({
      operations: [{ op: 'setCustomAttributes', set: { big: 'x'.repeat(BOUNDS.jsonBytes) } }],
      reason,
    });
    expect(large.json().code).toBe('VALUE_TOO_LARGE');
    expect(await versionOf()).toBe(0);
  });

  it('refuses a channel payload with a NUL or a lone surrogate with 400, storing nothing', async () => {
    await createSources(ctx.app);
    for (const text of ['a\u0000b', '\ud800']) {
      const res = await postVtex(
        ctx.app,
        aVtexOrder((o) => {
          o.clientProfileData.firstName = text;
        }),
      );
      expect(res.statusCode, text).toBe(400);
    }
    const raw = await ctx.app.inject({
      method: 'POST',
      url: '/v1/intake/vtex-main',
      headers: vtexHeaders(),
      payload: Buffer.from('{"orderId":"x\u0000"}\u0000'),
    });
    expect(raw.statusCode).toBe(400);
    expect(raw.json().detail).toMatch(/NUL.*Nothing was stored/);
  });

  it('refuses an import beyond the bounds with VALUE_TOO_LARGE and ORDER_TOTAL_TOO_LARGE', async () => {
    const quantity = await ctx.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: auth(KEYS.integration),
      payload: anImport({ lines: [{ sku: 'APPLE', quantity: 2_147_483_648 }] }),
    });
    expect(quantity.statusCode).toBe(422);
    expect(quantity.json()).toMatchObject({
      code: 'VALUE_TOO_LARGE',
      errors: [{ field: 'lines[0].quantity' }],
    });
    const total = await ctx.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: auth(KEYS.integration),
      payload: anImport({
        lines: [{ sku: 'APPLE', quantity: BOUNDS.quantity, unitPrice: BOUNDS.unitPriceMinor }],
      }),
    });
    expect(total.statusCode).toBe(422);
    expect(total.json().code).toBe('ORDER_TOTAL_TOO_LARGE');
  });
});
