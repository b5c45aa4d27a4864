/** promotions.onChange: keep and reevaluate through HTTP, preview and apply alike, on both engines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

const reason = { code: 'CUSTOMER_REQUEST' };
/** Preview and apply plan alike; only freshly generated line ids differ. */
const withoutNewIds = (plan: object) =>
  JSON.parse(JSON.stringify(plan).replace(/"(pj|ln|lbl)_[0-9a-z]{16}"/g, '"<new>"'));

describe.each(ENGINES)('promotions.onChange on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const settings = (patch: object) =>
    ctx.app.inject({ method: 'PATCH', url: '/v1/settings', headers: auth(), payload: patch });
  const post = (url: string, payload: object) =>
    ctx.app.inject({
      method: 'POST',
      url,
      headers: { ...auth(KEYS.agent), prefer: 'wait=10' },
      payload,
    });
  /** An order with SAVE10 applied after checkout, then a pear added: the plan of preview and of apply. */
  const addPear = async () => {
    const order = (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(),
      })
    ).json();
    const promo = await post(`/v1/orders/${order.id}/changes`, {
      operations: [{ op: 'applyPromotion', code: 'SAVE10' }],
      reason,
    });
    expect(promo.statusCode).toBe(200);
    const body = { operations: [{ op: 'addItem', sku: 'PEAR', quantity: 1 }], reason };
    const preview = await post(`/v1/orders/${order.id}/changes/preview`, body);
    expect(preview.statusCode).toBe(200);
    const applied = await post(`/v1/orders/${order.id}/changes`, body);
    expect(applied.statusCode).toBe(200);
    const read = (
      await ctx.app.inject({ url: `/v1/orders/${order.id}`, headers: auth(KEYS.agent) })
    ).json();
    return { preview: preview.json().plan, applied: applied.json().plan, read };
  };
  const pearDiscount = (o: { lines: { sku: string; discount: number }[] }) =>
    o.lines.find((l) => l.sku === 'PEAR')?.discount;

  it('keep: the pear added after checkout gets no promotion, in preview and apply alike', async () => {
    const { preview, applied, read } = await addPear();
    expect(withoutNewIds(preview)).toEqual(withoutNewIds(applied));
    expect(applied.promotions).toEqual({ onChange: 'keep', effects: [] });
    expect(pearDiscount(read)).toBe(0);
  });

  it('reevaluate: SAVE10 covers the added pear, its effect shown under addItem, preview equal to apply', async () => {
    expect((await settings({ promotions: { onChange: 'reevaluate' } })).statusCode).toBe(200);
    const { preview, applied, read } = await addPear();
    expect(withoutNewIds(preview)).toEqual(withoutNewIds(applied));
    expect(applied.promotions.onChange).toBe('reevaluate');
    expect(applied.promotions.effects).toMatchObject([
      { operationIndex: 0, sku: 'PEAR', codes: ['SAVE10'], discount: { kept: 0, reevaluated: 35 } },
    ]);
    expect(pearDiscount(read)).toBe(35);
    const byCause = applied.totals.byCause as { amount: number }[];
    expect(byCause.reduce((s, b) => s + b.amount, 0)).toBe(
      applied.totals.after.grandTotal - applied.totals.before.grandTotal,
    );
    expect((await settings({ promotions: { onChange: 'sometimes' } })).statusCode).toBe(400);
    // Back to the default: the actor cache is per process, shared by the engines' runs of this file.
    expect((await settings({ promotions: { onChange: 'keep' } })).statusCode).toBe(200);
  });
});
