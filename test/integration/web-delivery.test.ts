/** How the console's files travel (issue 17): compressed, hashed files cached for good, no source maps. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { KEYS } from '../support/fixture.js';

describe('the console’s delivery', () => {
  let ctx: TestContext;
  const root = mkdtempSync(join(tmpdir(), 'amend-web-'));
  const script = `console.log(${JSON.stringify('amend '.repeat(2000))});\n`;
  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Amend</title>');
    writeFileSync(join(root, 'assets', 'index-B7x9Qk2d.js'), script);
    writeFileSync(join(root, 'assets', 'index-B7x9Qk2d.js.map'), '{"version":3}');
    writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    ctx = await createTestContext('pglite', { worker: false, build: { webRoot: root } });
  });
  afterAll(async () => {
    await ctx?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('sends text assets brotli- or gzip-compressed as the browser asks', async () => {
    const br = await ctx.app.inject({
      url: '/assets/index-B7x9Qk2d.js',
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(script);
    const gz = await ctx.app.inject({
      url: '/assets/index-B7x9Qk2d.js',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(script);
    // JSON answers too: the order list is the console's largest read.
    const orders = await ctx.app.inject({
      url: '/v1/products',
      headers: { ...auth(KEYS.agent), 'accept-encoding': 'gzip' },
    });
    expect(orders.headers['content-encoding']).toBe('gzip');
  });

  it('lets browsers keep hashed files for a year and asks again for everything else', async () => {
    const hashed = await ctx.app.inject({ url: '/assets/index-B7x9Qk2d.js' });
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const page = await ctx.app.inject({ url: '/orders/ord_1' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    const index = await ctx.app.inject({ url: '/' });
    expect(index.headers['cache-control']).toBe('no-cache');
    const icon = await ctx.app.inject({ url: '/favicon.svg' });
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('never hands out a source map, even one left in the folder', async () => {
    const map = await ctx.app.inject({ url: '/assets/index-B7x9Qk2d.js.map' });
    expect(map.statusCode).toBe(404);
    expect(map.body).not.toContain('"version":3');
  });
});
