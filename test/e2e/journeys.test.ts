/**
 * The four journeys of issue 6, in Debian's Chromium against the built server (as `npm start` runs it):
 * an agent changes an address and sees old → new; a locked field shows why; a picker's substitution
 * is rejected and the banner appears without a reload; a supervisor approves a high-risk change.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOnce,
  CHROMIUM,
  launchBrowser,
  signedIn,
  startServer,
  type RunningServer,
} from '../../scripts/browser-harness.js';
import { amendClient } from '../../web/src/api/client.js';

/** The browser reports every 4xx answer as a console error; the journeys provoke some on purpose. */
const realErrors = (errors: string[]) =>
  errors.filter(
    (e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e),
  );

/** AMEND_BROWSER_TESTS=off skips them on a machine without Chromium (CI always runs them). */
describe.skipIf(process.env.AMEND_BROWSER_TESTS === 'off')(
  'browser journeys',
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

    it('an agent changes the address and sees old → new in the history', async () => {
      const { page, errors } = await signedIn(browser, server.base, 'demo-agent');
      await page.goto(`${server.base}/orders/ord_demo_016`);
      await page.getByRole('button', { name: 'Edit order' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit order' });
      await dialog.getByLabel('City').fill('Potsdam');
      await dialog.getByLabel('Postal code').fill('14467');
      await dialog.getByLabel('Reason (required)').selectOption('ADDRESS_CORRECTION');
      await dialog.getByRole('button', { name: 'Preview' }).click();
      await expect
        .poll(() => dialog.locator('.plan').innerText(), { timeout: 20_000 })
        .toContain('shippingAddress.city');
      expect(await dialog.locator('.plan').innerText()).toMatch(/Berlin\s*→\s*Potsdam/);
      await dialog.getByRole('button', { name: 'Apply change' }).click();
      await expect
        .poll(() => dialog.getByRole('status').innerText(), { timeout: 20_000 })
        .toMatch(/Applied — the order is now at version 1/);
      await dialog.getByRole('button', { name: 'Close' }).first().click();
      const row = page.locator('table.audit tr', { hasText: 'shippingAddress.city' });
      await expect.poll(() => row.innerText(), { timeout: 20_000 }).toMatch(/Berlin\s*→\s*Potsdam/);
      expect(await row.innerText()).toContain('ADDRESS_CORRECTION');
      expect(realErrors(errors)).toEqual([]);
    });

    it('a locked field cannot be edited and says why', async () => {
      const { page, errors } = await signedIn(browser, server.base, 'demo-agent');
      await page.goto(`${server.base}/orders/ord_demo_033`);
      await page.getByRole('button', { name: 'Edit order' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit order' });
      const quantity = dialog.getByLabel('Quantity of Apples Elstar 1 kg');
      await expect.poll(() => quantity.isDisabled(), { timeout: 20_000 }).toBe(true);
      const locked = dialog.locator('[data-locked^="qty-"]').first();
      expect(await locked.innerText()).toMatch(/pick job|picking|started/i);
      expect(realErrors(errors)).toEqual([]);
    });

    it('a picker substitutes an item, the change is rejected, and the banner appears without a reload', async () => {
      const { page, errors } = await signedIn(browser, server.base, 'demo-picker', {
        width: 390,
        height: 844,
      });
      await page.goto(`${server.base}/picker`);
      await page.evaluate(() => {
        (window as unknown as { stayed: boolean }).stayed = true;
      });
      const job = page.locator('section.job', { hasText: 'W-1036' });
      await job
        .locator('li', { hasText: 'COFFEE-500' })
        .getByRole('button', { name: 'Missing…' })
        .click();
      await job.getByRole('button', { name: 'COFFEE-ORG-500' }).click();
      const banner = page.getByTestId('outcome-banner');
      await expect.poll(() => banner.innerText(), { timeout: 10_000 }).toMatch(/Rejected/);
      const text = await banner.innerText();
      expect(text).toMatch(/cannot take an increase/);
      expect(text).toMatch(/pick and pack the original/);
      expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(
        true,
      );
      await page.getByRole('button', { name: /Inbox/ }).click();
      await expect
        .poll(() => page.locator('.inbox').innerText(), { timeout: 20_000 })
        .toContain('PAYMENT_METHOD_CANNOT_INCREASE');
      expect(realErrors(errors)).toEqual([]);
    });

    it('a picker request waits for a supervisor, and the approval arrives live in the banner', async () => {
      const { page, errors } = await signedIn(browser, server.base, 'demo-picker', {
        width: 390,
        height: 844,
      });
      await page.goto(`${server.base}/picker`);
      await expect
        .poll(
          () =>
            page
              .getByRole('status')
              .filter({ hasText: /^live$/ })
              .count(),
          { timeout: 20_000 },
        )
        .toBe(1);
      await page.evaluate(() => {
        (window as unknown as { stayed: boolean }).stayed = true;
      });
      const job = page.locator('section.job', { hasText: 'W-1035' });
      await job
        .locator('li', { hasText: 'PASTA-500' })
        .getByRole('button', { name: 'Missing…' })
        .click();
      await job.getByLabel('Reduce to').fill('1');
      await job.getByRole('button', { name: 'Reduce', exact: true }).click();
      const banner = page.getByTestId('outcome-banner');
      await expect
        .poll(() => banner.getAttribute('data-state'), { timeout: 20_000 })
        .toBe('waiting');
      expect(await banner.innerText()).toMatch(/supervisor/);

      // A supervisor decides elsewhere; the picker's page learns it only from the event stream.
      const supervisor = amendClient({ baseUrl: server.base, apiKey: () => 'demo-supervisor' });
      const queue = await supervisor.GET('/v1/approvals');
      const waiting = queue.data?.items.find((c) => c.orderId === 'ord_demo_035');
      expect(waiting).toBeDefined();
      const approved = await supervisor.POST('/v1/changes/{id}/approve', {
        params: { path: { id: waiting!.id } },
        headers: { prefer: 'wait=10' },
        body: { note: 'ok' },
      });
      expect(approved.response.status).toBe(200);
      await expect
        .poll(() => banner.getAttribute('data-state'), { timeout: 10_000 })
        .toBe('applied');
      expect(await banner.innerText()).toMatch(/Accepted/);
      expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(
        true,
      );
      expect(realErrors(errors)).toEqual([]);
    });

    it('an order changed meanwhile: the dialog says so, reloads and the retry applies', async () => {
      const { page, errors } = await signedIn(browser, server.base, 'demo-agent');
      await page.goto(`${server.base}/orders/ord_demo_017`);
      await page.getByRole('button', { name: 'Edit order' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit order' });
      await dialog.getByLabel('Street').fill('Bergmannstraße 5');
      await dialog.getByLabel('Reason (required)').selectOption('ADDRESS_CORRECTION');
      // Someone else changes the order while the dialog is open.
      const other = await amendClient({
        baseUrl: server.base,
        apiKey: () => 'demo-supervisor',
      }).POST('/v1/orders/{id}/changes', {
        params: { path: { id: 'ord_demo_017' } },
        body: {
          operations: [{ op: 'setDeliveryDate', date: '2031-05-06' }],
          reason: { code: 'CUSTOMER_REQUEST' },
          app: 'api',
        },
      });
      expect(other.response.status).toBe(200);
      const notice = dialog.getByRole('alert').filter({ hasText: 'The order changed meanwhile' });
      await notice.waitFor();
      await notice.getByRole('button', { name: 'Reload the order and try again' }).click();
      await expect.poll(() => notice.count(), { timeout: 20_000 }).toBe(0);
      expect(await dialog.getByLabel('Street').inputValue()).toBe('Bergmannstraße 5');
      await dialog.getByRole('button', { name: 'Preview' }).click();
      await expect
        .poll(() => dialog.locator('.plan').innerText(), { timeout: 20_000 })
        .toContain('Bergmannstraße 5');
      await dialog.getByRole('button', { name: 'Apply change' }).click();
      await expect
        .poll(() => dialog.getByRole('status').innerText(), { timeout: 20_000 })
        .toMatch(/Applied — the order is now at version 2/);
      expect(realErrors(errors)).toEqual([]);
    });

    it('a supervisor force-cancels a picked order and is shown the manual steps first', async () => {
      const { page, errors } = await signedIn(browser, server.base, 'demo-supervisor');
      await page.goto(`${server.base}/orders/ord_demo_037`);
      await page.getByText(/Why (is one action|are \d+ actions) locked\?/).click();
      expect(await page.locator('.why-locked').innerText()).toMatch(/Cancel order:.*picked/i);
      await page.getByRole('button', { name: 'Force cancel' }).click();
      const dialog = page.getByRole('dialog', { name: 'Force cancel' });
      await dialog.getByLabel('Cancelation reason').selectOption('CUSTOMER_REQUEST');
      await dialog.getByLabel('Reason for the change').selectOption('CUSTOMER_REQUEST');
      await dialog.getByRole('button', { name: 'Check' }).click();
      await expect
        .poll(() => dialog.getByRole('status').innerText(), { timeout: 20_000 })
        .toMatch(/Put 1 × GOUDA-KG back into storage at berlin-mitte/);
      await dialog.getByRole('button', { name: 'Confirm: force cancel' }).click();
      await expect
        .poll(() => dialog.getByRole('status').first().innerText(), { timeout: 20_000 })
        .toMatch(/Applied/);
      await dialog.getByRole('button', { name: 'Close' }).first().click();
      await expect
        .poll(() => page.locator('.meta').innerText(), { timeout: 20_000 })
        .toMatch(/canceled/);
      expect(realErrors(errors)).toEqual([]);
    });

    it('a supervisor approves a high-risk change', async () => {
      const agent = await signedIn(browser, server.base, 'demo-agent');
      await agent.page.goto(`${server.base}/orders/ord_demo_006`);
      await agent.page.getByRole('button', { name: 'Edit order' }).click();
      const dialog = agent.page.getByRole('dialog', { name: 'Edit order' });
      await dialog.getByLabel('Add item (SKU)').fill('WINE-RED-RES');
      await dialog.getByLabel('Quantity', { exact: true }).fill('12');
      await dialog.getByLabel('Reason (required)').selectOption('CUSTOMER_REQUEST');
      await dialog.getByRole('button', { name: 'Preview' }).click();
      await expect
        .poll(() => dialog.locator('.plan').innerText(), { timeout: 20_000 })
        .toMatch(/A supervisor must approve/);
      await dialog.getByRole('button', { name: 'Send for approval' }).click({ timeout: 10_000 });
      await expect
        .poll(() => dialog.getByRole('status').innerText(), { timeout: 20_000 })
        .toMatch(/Waiting for a supervisor/);

      const supervisor = await signedIn(browser, server.base, 'demo-supervisor');
      await supervisor.page.goto(`${server.base}/approvals`);
      const card = supervisor.page.locator('li.approval', { hasText: 'ord_demo_006' });
      await card.waitFor({ timeout: 10_000 });
      expect(await card.innerText()).toContain('VALUE_DELTA_ABOVE');
      await card.getByLabel('Note').fill('Customer confirmed by phone');
      await card.getByRole('button', { name: 'Approve' }).click();
      await expect
        .poll(() => card.innerText(), { timeout: 15_000 })
        .toMatch(/Applied — the order is now at version/);
      await agent.page.goto(`${server.base}/orders/ord_demo_006`);
      await expect
        .poll(() => agent.page.locator('ol.timeline').innerText(), { timeout: 20_000 })
        .toMatch(/approved by usr_demo_supervisor: Customer confirmed by phone/);
      // The agent's inbox holds the outcome decided later, until acknowledged.
      await agent.page.getByRole('link', { name: /^Inbox \(\d+\)$/ }).click();
      const entry = agent.page.locator('.inbox li', { hasText: 'ord_demo_006' });
      expect(await entry.innerText()).toMatch(/Accepted/);
      await entry.getByRole('button', { name: /Got it/ }).click();
      await expect.poll(() => entry.count(), { timeout: 20_000 }).toBe(0);
      expect(realErrors(agent.errors)).toEqual([]);
      expect(realErrors(supervisor.errors)).toEqual([]);
    });

    it('passes the Content-Security-Policy: no violation on the console, the picker or /docs', async () => {
      const { page, errors } = await signedIn(browser, server.base, 'demo-supervisor');
      const violations: string[] = [];
      await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) =>
          (window as unknown as { reportViolation: (v: string) => void }).reportViolation(
            `${e.violatedDirective} ${e.blockedURI}`,
          ),
        );
      });
      const answer = await page.goto(`${server.base}/orders/ord_demo_016`);
      expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
      await expect
        .poll(() => page.getByRole('button', { name: 'Edit order' }).count(), { timeout: 20_000 })
        .toBe(1);
      for (const path of ['/approvals', '/kpis', '/picker']) {
        await page.goto(`${server.base}${path}`);
        await page.waitForLoadState('networkidle');
      }
      await page.goto(`${server.base}/docs/`);
      await expect
        .poll(() => page.locator('.opblock').count(), { timeout: 20_000 })
        .toBeGreaterThan(10);
      expect(violations).toEqual([]);
      expect(
        realErrors(errors).filter((e) => /Content.Security.Policy|Refused to/i.test(e)),
      ).toEqual([]);
    });
  },
);
