/** GET /v1/products as a search (issue 17): what the console's and the picker's product box read. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { KEYS, OTHER_TENANT_ADMIN } from '../support/fixture.js';

describe.each(ENGINES)('product search on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });
  const search = (query: string, key = KEYS.picker) =>
    ctx.app.inject({ url: `/v1/products?${query}`, headers: auth(key) });
  type Item = { sku: string; name: string; unitPrice: number; available: number | null };
  const skus = async (query: string) =>
    ((await search(query)).json().items as Item[]).map((p) => p.sku);

  it('finds by name or sku in any case, with what is available at the facility', async () => {
    const res = await search('q=apple&facilityId=dc');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        sku: 'APPLE',
        name: 'Apples 1 kg',
        unitPrice: 299,
        available: 100,
      }),
    ]);
    expect(await skus('q=GOUDA')).toEqual(['CHEESE']);
    // A facility without the product has none; without a facility nothing is said about stock.
    const pear = (await search('q=pear&facilityId=dc')).json().items as Item[];
    expect(pear.map((p) => [p.sku, p.available])).toEqual([['PEAR', 0]]);
    expect(((await search('q=pear')).json().items as Item[])[0]?.available).toBeNull();
  });

  it('lists the given skus first (a line’s allowed substitutes), then by name, up to the limit', async () => {
    expect(await skus('limit=3')).toEqual(['APPLE', 'GIFTBOX', 'WRAP']);
    expect(await skus('first=WINE,PEAR&limit=3')).toEqual(['PEAR', 'WINE', 'APPLE']);
  });

  it('takes LIKE wildcards literally and sees only the caller’s tenant', async () => {
    expect(await skus('q=%25')).toEqual([]);
    expect(await skus('q=_')).toEqual([]);
    const other = (await search('q=wine', OTHER_TENANT_ADMIN)).json().items as Item[];
    expect(other).toEqual([]);
  });

  it('refuses a bad limit with REQUEST_INVALID and without a key with 401', async () => {
    const bad = await search('limit=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('REQUEST_INVALID');
    expect((await ctx.app.inject({ url: '/v1/products?q=a' })).statusCode).toBe(401);
  });

  it('still answers the whole catalogue without search parameters', async () => {
    const all = (await search('')).json().items as Item[];
    expect(all.length).toBe(7);
    expect(all[0]).not.toHaveProperty('available');
  });

  it('names the tenant’s people (GET /v1/users), never another tenant’s', async () => {
    const res = await search('', KEYS.agent);
    expect(res.statusCode).toBe(200);
    const users = (await ctx.app.inject({ url: '/v1/users', headers: auth(KEYS.agent) })).json()
      .items as { id: string; name: string; role: string }[];
    expect(users).toContainEqual({ id: 'u-agent', name: 'agent of t1', role: 'agent' });
    expect(users.some((u) => u.id === 'u2-admin')).toBe(false);
  });
});
