/** `amend intake replay --source S [--code C]` as a real process: replays the dead letters, prints the tally. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { aShopifyOrder, createSources, postShopify } from '../support/intake.js';

const run = promisify(execFile);

describe.runIf(ENGINES.includes('postgres'))('amend intake replay', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext('postgres', { worker: false });
    await createSources(ctx.app);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('replays the source’s dead letters of one code and says how many imported', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await postShopify(ctx.app, aShopifyOrder(), { wait: 10 })).json().intakeId);
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/sources/shopify-main',
      headers: auth(),
      payload: { skuMap: { 'KAFFEE-ESP-1KG': 'WINE', 'ZUB-MS-01': 'PEAR' } },
    });
    const env = {
      ...process.env,
      DATABASE_URL: ctx.database.url,
      AMEND_DEMO: '0',
      NATS_URL: '',
      AMEND_SECRET_KEY: '',
    };
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'intake',
        'replay',
        '--source',
        'shopify-main',
        '--code',
        'INTAKE_SKU_UNMAPPED',
      ],
      { env },
    );
    expect(stdout).toMatch(
      /3 dead letters of shopify-main \(INTAKE_SKU_UNMAPPED\), 3 imported, 0 still failing/,
    );
    for (const id of ids)
      expect(
        (await ctx.app.inject({ url: `/v1/intake/${id}`, headers: auth() })).json().status,
      ).toBe('imported');
    const usage = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'intake', 'replay'],
      { env },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((usage as { code: number }).code).not.toBe(0);
  }, 120_000);
});
