/**
 * The intake journey of issue 14, in Debian's Chromium against the built server: an admin opens the
 * Intake page, finds the demo Shopify order dead-lettered for an unmapped sku, maps the sku, replays
 * it, and the order appears.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { amendClient, type Order } from '../../web/src/api/client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOnce,
  CHROMIUM,
  launchBrowser,
  signedIn,
  startServer,
  type RunningServer,
} from '../../scripts/browser-harness.js';
import { checkPage } from './page-checks.js';

describe.skipIf(process.env.AMEND_BROWSER_TESTS === 'off')(
  'the intake journey',
  { timeout: 90_000 },
  () => {
    let server: RunningServer;
    let browser: Browser;
    beforeAll(async () => {
      if (!existsSync(CHROMIUM))
        throw new Error(
          `Chromium is not at ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`,
        );
      buildOnce();
      server = await startServer();
      browser = await launchBrowser();
    }, 240_000);
    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it('an admin maps the unmapped sku of a dead-lettered Shopify order, replays it, and the order appears', async () => {
      const { page } = await signedIn(browser, server.base, 'demo-admin');
      await page.goto(`${server.base}/intake`);
      await page.getByRole('heading', { name: 'Intake' }).waitFor();
      const sources = page.getByRole('table').first();
      await expect
        .poll(() => sources.innerText(), { timeout: 20_000 })
        .toContain('Shopify — Kiez Kaffee');
      await checkPage(page, 'the intake page');
      const row = page
        .getByRole('row')
        .filter({ hasText: 'shopify-kiez' })
        .filter({ hasText: 'INTAKE_SKU_UNMAPPED' })
        .first();
      await row.getByRole('button').click();
      const panel = page.locator('section', {
        has: page.getByRole('heading', { name: /shopify-kiez/ }),
      });
      await expect
        .poll(() => panel.locator('.json-marked').count(), { timeout: 20_000 })
        .toBeGreaterThan(0);
      expect(await panel.getByLabel('Canonical order').innerText()).toContain('KAFFEE-ESP-1KG');
      await checkPage(page, 'a dead letter');
      await panel.getByLabel('Amend sku for KAFFEE-ESP-1KG').fill('COFFEE-500');
      await panel.getByRole('button', { name: 'Save sku map and replay' }).click();
      const status = page.getByRole('status').filter({ hasText: /imported/ });
      await expect
        .poll(() => status.innerText(), { timeout: 20_000 })
        .toMatch(/Imported\s+order imported/);
      await checkPage(page, 'a replayed record');
      const href = await status.getByRole('link').getAttribute('href');
      const orderId = /^\/orders\/(ord_\w+)$/.exec(href ?? '')?.[1];
      const order = await amendClient({ baseUrl: server.base, apiKey: () => 'demo-admin' }).GET(
        '/v1/orders/{id}',
        { params: { path: { id: orderId! } } },
      );
      expect(order.response.status).toBe(200);
      const body = order.data as Order;
      expect(body.channel).toBe('shopify-kiez');
      expect(body.lines.map((l) => l.sku)).toEqual(['COFFEE-500', 'COFFEE-ORG-500']);
    });
  },
);
