/** Order sources (INTAKE.md §2): credentials kept as hashes or sealed, never returned; merge patch; disable. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { KEYS } from '../support/fixture.js';
import { SHOPIFY_SECRET, VTEX_KEY } from '../support/intake.js';

describe.each(ENGINES)('sources on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });
  const post = (payload: object, key?: string) =>
    ctx.app.inject({ method: 'POST', url: '/v1/sources', headers: auth(key), payload });

  it('lists the built-in amend source of every tenant', async () => {
    const res = await ctx.app.inject({ url: '/v1/sources', headers: auth() });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        id: 'amend',
        kind: 'amend',
        enabled: true,
        intakeUrl: '/v1/intake/amend',
      }),
    ]);
  });

  it('creates a VTEX source: the AppToken is stored hashed and shown as ***', async () => {
    const res = await post({
      id: 'vtex-a',
      kind: 'vtex',
      name: 'VTEX A',
      credentials: VTEX_KEY,
      skuMap: { '1234': 'APPLE' },
      expectedIntervalSeconds: 600,
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('/v1/sources/vtex-a');
    expect(res.json()).toMatchObject({
      credentials: { appKey: VTEX_KEY.appKey, appToken: '***' },
      channel: 'vtex-a',
      validation: { profile: 'lenient', totalToleranceMinor: 2, unknownSku: 'dead-letter' },
      expectedIntervalSeconds: 600,
    });
    const row = await ctx.deps.db
      .selectFrom('sources')
      .select('credentials')
      .where('id', '=', 'vtex-a')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row.credentials)).not.toContain(VTEX_KEY.appToken);
  });

  it('creates a Shopify source with its webhook secret sealed (AES-256-GCM), never in plain', async () => {
    const res = await post({
      id: 'shop-a',
      kind: 'shopify',
      name: 'Shop A',
      credentials: { webhookSecret: SHOPIFY_SECRET },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().credentials).toEqual({ webhookSecret: '***' });
    const row = await ctx.deps.db
      .selectFrom('sources')
      .select('credentials')
      .where('id', '=', 'shop-a')
      .executeTakeFirstOrThrow();
    const sealed = (row.credentials as { webhookSecretEncrypted: string }).webhookSecretEncrypted;
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(sealed).not.toContain(SHOPIFY_SECRET);
    expect(ctx.deps.secretBox?.decrypt(sealed)).toBe(SHOPIFY_SECRET);
  });

  it('refuses SECRET_KEY_NOT_CONFIGURED on a server without AMEND_SECRET_KEY, and stores nothing', async () => {
    const app = await buildApp({ ...ctx.deps, secretBox: null });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/sources',
        headers: auth(),
        payload: { id: 'shop-b', kind: 'shopify', name: 'B', credentials: { webhookSecret: 'x' } },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({
        code: 'SECRET_KEY_NOT_CONFIGURED',
        detail: expect.stringContaining('AMEND_SECRET_KEY'),
      });
      expect(
        (await ctx.app.inject({ url: '/v1/sources/shop-b', headers: auth() })).statusCode,
      ).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('refuses a second source with the same id (SOURCE_ALREADY_EXISTS), a bad id, missing credentials', async () => {
    expect(
      (await post({ id: 'vtex-a', kind: 'vtex', name: 'again', credentials: VTEX_KEY })).json()
        .code,
    ).toBe('SOURCE_ALREADY_EXISTS');
    const replay = await post({ id: 'replay', kind: 'amend', name: 'x' });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().errors[0].field).toBe('id');
    expect((await post({ id: 'vtex-b', kind: 'vtex', name: 'no creds' })).statusCode).toBe(400);
    expect(
      (
        await post({
          id: 'vtex-c',
          kind: 'vtex',
          name: 'x',
          credentials: VTEX_KEY,
          validation: { allowedCountries: ['XX'] },
        })
      ).statusCode,
    ).toBe(400);
  });

  it('merge-patches a source: null removes a mapping, the kind cannot change', async () => {
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/sources/vtex-a',
      headers: auth(),
      payload: {
        skuMap: { '1234': null, '2001': 'CHEESE' },
        validation: { profile: 'strict' },
        name: 'VTEX A (main)',
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      skuMap: { '2001': 'CHEESE' },
      name: 'VTEX A (main)',
      validation: { profile: 'strict' },
    });
    expect(res.json().credentials.appToken).toBe('***');
    const kind = await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/sources/vtex-a',
      headers: auth(),
      payload: { kind: 'shopify' },
    });
    expect(kind.statusCode).toBe(400);
  });

  it('disables on DELETE and keeps the source; another tenant never sees it', async () => {
    const res = await ctx.app.inject({
      method: 'DELETE',
      url: '/v1/sources/vtex-a',
      headers: auth(),
    });
    expect(res.json().enabled).toBe(false);
    expect(
      (await ctx.app.inject({ url: '/v1/sources/vtex-a', headers: auth() })).json().enabled,
    ).toBe(false);
    const other = await ctx.app.inject({ url: '/v1/sources/vtex-a', headers: auth('t2-admin') });
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('INTAKE_SOURCE_UNKNOWN');
  });

  it('needs SOURCE_ADMIN (admins only by default)', async () => {
    const res = await ctx.app.inject({ url: '/v1/sources', headers: auth(KEYS.integration) });
    expect(res.statusCode).toBe(403);
    expect(res.json().permission).toBe('SOURCE_ADMIN');
  });
});
