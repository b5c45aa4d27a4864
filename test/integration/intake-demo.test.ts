/** The demo tenant's channels (issue 14): a VTEX and a Shopify source with imported orders and dead letters. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/seed/demo.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';

describe('the demo intake', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext('pglite', { demoMode: true, fixture: false, worker: false });
    await seedDemo(ctx.deps);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('has a VTEX and a Shopify source with orders imported and dead letters to work, in impact order', async () => {
    const sources = (
      await ctx.app.inject({ url: '/v1/sources', headers: auth('demo-admin') })
    ).json().items;
    expect(sources.map((s: { id: string }) => s.id)).toEqual([
      'amend',
      'shopify-kiez',
      'vtex-frischemarkt',
    ]);
    const dead = (
      await ctx.app.inject({ url: '/v1/intake?sort=impact', headers: auth('demo-admin') })
    ).json().items;
    expect(dead.map((d: { code: string }) => d.code).sort()).toEqual([
      'INTAKE_ADDRESS_INVALID',
      'INTAKE_PAYLOAD_INVALID',
      'INTAKE_SKU_UNMAPPED',
      'INTAKE_SKU_UNMAPPED',
      'INTAKE_TOTAL_MISMATCH',
    ]);
    expect(dead[0].impact.score).toBeGreaterThanOrEqual(dead.at(-1).impact.score);
    const imported = (
      await ctx.app.inject({
        url: '/v1/intake?sourceId=vtex-frischemarkt&status=imported',
        headers: auth('demo-admin'),
      })
    ).json().items;
    expect(imported).toHaveLength(2);
    const health = (
      await ctx.app.inject({ url: '/v1/sources/shopify-kiez/health', headers: auth('demo-admin') })
    ).json();
    expect(health).toMatchObject({ status: 'degraded', openDeadLetters: 2 });
  });
});
