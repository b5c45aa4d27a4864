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
import { checkPage } from './page-checks.js';

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
      await page.getByRole('heading', { name: 'History (who changed what)' }).waitFor();
      await checkPage(page, 'an order');
      await page.getByRole('button', { name: 'Edit order' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit order' });
      await checkPage(page, 'the Edit order dialog');
      await dialog.getByLabel('City').fill('Potsdam');
      await dialog.getByLabel('Postal code').fill('14467');
      await dialog.getByLabel('Reason (required)').selectOption('ADDRESS_CORRECTION');
      await dialog.getByRole('button', { name: 'Preview' }).click();
      await expect
        .poll(() => dialog.locator('.plan').innerText(), { timeout: 20_000 })
        .toContain('City (shipping address): Berlin → Potsdam');
      expect(await dialog.locator('.plan').innerText()).toMatch(/No money moves/);
      await checkPage(page, 'a preview');
      // Escape asks before the edits are lost; "Keep editing" keeps them.
      await page.keyboard.press('Escape');
      const ask = dialog.getByRole('alert').filter({ hasText: 'Discard your edits?' });
      await ask.waitFor();
      await ask.getByRole('button', { name: 'Keep editing' }).click();
      expect(await dialog.getByLabel('City').inputValue()).toBe('Potsdam');
      await dialog.getByRole('button', { name: 'Apply change' }).click();
      await expect
        .poll(() => dialog.getByRole('status').innerText(), { timeout: 20_000 })
        .toMatch(/Applied — the order is updated\.[\s\S]*New total/);
      await checkPage(page, 'an outcome');
      await dialog.getByRole('button', { name: 'Close' }).first().click();
      const row = page.locator('table.audit tr', { hasText: 'City (shipping address)' });
      await expect.poll(() => row.innerText(), { timeout: 20_000 }).toMatch(/Berlin\s*→\s*Potsdam/);
      expect(await row.innerText()).toMatch(/Address correction/);
      expect(await row.innerText()).toMatch(/Ada Agent/);
      await checkPage(page, 'an order with its history');
      expect(realErrors(errors)).toEqual([]);
    });

    it("a page's data requests start before /v1/me has answered", async () => {
      const { page, errors } = await signedIn(browser, server.base, 'demo-agent');
      const started = new Map<string, number>();
      let meAnswered = Number.POSITIVE_INFINITY;
      page.on('request', (r) => {
        const u = new URL(r.url());
        if (u.pathname.startsWith('/v1/') && !started.has(u.pathname))
          started.set(u.pathname, performance.now());
      });
      page.on('requestfinished', (r) => {
        if (new URL(r.url()).pathname === '/v1/me')
          meAnswered = Math.min(meAnswered, performance.now());
      });
      // /v1/me held back a second: a page that waited for it would ask for its data only after.
      await page.route('**/v1/me', async (route) => {
        await new Promise((r) => setTimeout(r, 1000));
        await route.continue();
      });
      await page.goto(`${server.base}/orders/ord_demo_016`);
      await page.getByRole('heading', { name: 'History (who changed what)' }).waitFor();
      await expect.poll(() => meAnswered, { timeout: 20_000 }).toBeLessThan(Infinity);
      for (const data of [
        '/v1/orders/ord_demo_016',
        '/v1/orders/ord_demo_016/changes',
        '/v1/orders/ord_demo_016/editability',
      ]) {
        expect(started.get(data), data).toBeDefined();
        expect(started.get(data)!, data).toBeLessThan(meAnswered);
      }
      expect(started.get('/v1/me')!).toBeLessThan(meAnswered);
      // What needs the user follows: the name in the bar.
      await expect
        .poll(() => page.locator('header .who > span').innerText(), { timeout: 20_000 })
        .toMatch(/ · agent$/);
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
      await checkPage(page, 'an Edit order dialog with locked lines');
      expect(realErrors(errors)).toEqual([]);
    });

    it('a picker substitutes an item, the change is rejected, and the banner appears without a reload', async () => {
      const { page, errors } = await signedIn(browser, server.base, 'demo-picker', {
        width: 390,
        height: 844,
      });
      await page.goto(`${server.base}/picker`);
      await page.locator('section.job', { hasText: 'W-1036' }).waitFor();
      await checkPage(page, 'the picker');
      await page.evaluate(() => {
        (window as unknown as { stayed: boolean }).stayed = true;
      });
      const job = page.locator('section.job', { hasText: 'W-1036' });
      await job
        .locator('li', { hasText: 'COFFEE-500' })
        .getByRole('button', { name: 'Missing…' })
        .click();
      await checkPage(page, 'the picker with a missing item');
      await job.getByRole('button', { name: /Organic coffee beans 500 g/ }).click();
      const banner = page.getByTestId('outcome-banner');
      await expect.poll(() => banner.innerText(), { timeout: 10_000 }).toMatch(/Rejected/);
      const text = await banner.innerText();
      expect(text).toMatch(/cannot take an increase/);
      expect(text).toMatch(/pick and pack the original/);
      expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(
        true,
      );
      await checkPage(page, 'the picker with a rejection');
      await page.getByRole('button', { name: /Inbox/ }).click();
      await expect
        .poll(() => page.locator('.inbox').innerText(), { timeout: 20_000 })
        .toMatch(/Rejected MOD-\d+ on W-1036/);
      expect(await page.locator('.inbox').innerText()).toMatch(
        /Substitute Coffee beans 500 g with \d+ × Organic coffee beans 500 g/,
      );
      expect(await page.locator('.inbox').innerText()).not.toMatch(/\/v1\/|PAYMENT_METHOD/);
      await checkPage(page, 'the picker inbox');
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
        .toMatch(/Applied — the order is updated/);
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
        .toMatch(/canceled/i);
      expect(realErrors(errors)).toEqual([]);
    });

    it('a supervisor approves a high-risk change', async () => {
      const agent = await signedIn(browser, server.base, 'demo-agent');
      await agent.page.goto(`${server.base}/orders/ord_demo_006`);
      await agent.page.getByRole('button', { name: 'Edit order' }).click();
      const dialog = agent.page.getByRole('dialog', { name: 'Edit order' });
      const search = dialog.getByRole('combobox', { name: 'Add item' });
      await search.fill('reserve');
      const option = dialog.getByRole('option', { name: /Dornfelder Reserve 0.75 l/ });
      await option.waitFor();
      expect(await option.innerText()).toMatch(/WINE-RED-RES · €14\.99 · \d+ in stock/);
      await checkPage(agent.page, 'the product search');
      await search.press('Enter');
      expect(await search.inputValue()).toBe('Dornfelder Reserve 0.75 l');
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
      const card = supervisor.page.locator('li.approval', { hasText: 'W-1006' });
      await card.waitFor({ timeout: 10_000 });
      await expect
        .poll(() => card.innerText(), { timeout: 10_000 })
        .toContain('Add 12 × Dornfelder Reserve 0.75 l');
      expect(await card.innerText()).toMatch(/Asked by Ada Agent \(console\)/);
      expect(await card.innerText()).toMatch(/Customer pays €[\d.,]+ more/);
      await checkPage(supervisor.page, 'the approvals queue');
      await card.getByLabel('Note').fill('Customer confirmed by phone');
      await card.getByRole('button', { name: 'Approve' }).click();
      await expect
        .poll(() => card.innerText(), { timeout: 15_000 })
        .toMatch(/Applied — the order is updated/);
      await agent.page.goto(`${server.base}/orders/ord_demo_006`);
      await expect
        .poll(
          () =>
            agent.page.getByRole('region', { name: 'Changes' }).locator('ol.timeline').innerText(),
          { timeout: 20_000 },
        )
        .toMatch(/approved by Sam Supervisor: “Customer confirmed by phone”/);
      // The agent's inbox holds the outcome decided later, until acknowledged.
      await agent.page.getByRole('link', { name: /^Inbox \(\d+\)$/ }).click();
      const entry = agent.page.locator('.inbox li', { hasText: 'W-1006' });
      expect(await entry.innerText()).toMatch(/Accepted MOD-\d+ on W-1006/);
      expect(await entry.innerText()).toContain('Add 12 × Dornfelder Reserve 0.75 l');
      await checkPage(agent.page, 'the inbox');
      await entry.getByRole('button', { name: /Got it/ }).click();
      await expect.poll(() => entry.count(), { timeout: 20_000 }).toBe(0);
      expect(realErrors(agent.errors)).toEqual([]);
      expect(realErrors(supervisor.errors)).toEqual([]);
    });

    it('a picker on a 390×844 touch phone: the outcome stack stays within a quarter of the screen, removing asks first, a picked job is closed', async () => {
      const height = 844;
      const { page, errors } = await signedIn(
        browser,
        server.base,
        'demo-picker',
        { width: 390, height },
        { touch: true },
      );
      await page.goto(`${server.base}/picker`);
      const first = page.locator('section.job', { hasText: 'W-1032' });
      await first.waitFor();
      await checkPage(page, 'the picker on a phone');
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Picker');

      // "Remove from order" asks first; "Keep it" sends nothing.
      const line = first.locator('.pick-lines > li').first();
      await line.getByRole('button', { name: 'Missing…' }).tap();
      await line.getByRole('button', { name: 'Remove from order…' }).tap();
      const confirm = line.getByRole('alert').filter({ hasText: /Remove .* from the order\?/ });
      await confirm.waitFor();
      await checkPage(page, 'the remove confirmation');
      await confirm.getByRole('button', { name: 'Keep it' }).tap();
      expect(await page.getByTestId('outcome-banner').count()).toBe(0);
      await line.getByRole('button', { name: 'Missing…' }).tap(); // folds the panel again

      // Three outcomes at once: the stack is opaque and stays within a quarter of the height.
      for (const ref of ['W-1032', 'W-1033', 'W-1034']) {
        const l = page.locator('section.job', { hasText: ref }).locator('.pick-lines > li').first();
        await l.getByRole('button', { name: 'Missing…' }).tap();
        await l.getByRole('button', { name: 'Remove from order…' }).tap();
        await l.getByRole('button', { name: 'Yes, remove' }).tap();
      }
      const stack = page.getByTestId('banner-stack');
      await expect.poll(() => page.getByTestId('outcome-banner').count()).toBe(3);
      await expect
        .poll(() => page.locator('[data-testid="outcome-banner"][data-state="pending"]').count(), {
          timeout: 20_000,
        })
        .toBe(0);
      const box = await stack.boundingBox();
      expect(box!.height).toBeLessThanOrEqual(height / 4);
      const look = await stack.evaluate((el) => ({
        background: getComputedStyle(el).backgroundColor,
        opacities: [...el.querySelectorAll('li')].map((li) => getComputedStyle(li).opacity),
      }));
      expect(look.background).not.toBe('rgba(0, 0, 0, 0)');
      expect(new Set(look.opacities)).toEqual(new Set(['1']));
      await checkPage(page, 'the picker with three outcomes');

      // A fully picked job has a close step and then shows under "Done today".
      const picked = page.locator('section.job', { hasText: 'W-1042' });
      await picked.getByRole('button', { name: 'Close pick job' }).tap();
      await expect
        .poll(() => page.locator('.done-today').innerText(), { timeout: 20_000 })
        .toContain('W-1042');
      expect(await page.locator('section.job', { hasText: 'W-1042' }).count()).toBe(0);
      await checkPage(page, 'the picker with a job done');
      expect(realErrors(errors)).toEqual([]);
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

    it('a supervisor bulk-edits delivery dates: a date picker, the job starts empty, refusals in words; the KPIs keep bulk apart', async () => {
      const { page, errors } = await signedIn(browser, server.base, 'demo-supervisor');
      await page.goto(`${server.base}/bulk?ids=ord_demo_020,ord_demo_021,ord_demo_037`);
      // The orders chosen are named by their numbers; the ids stay folded away.
      await expect
        .poll(() => page.locator('.chosen').innerText(), { timeout: 20_000 })
        .toBe('3 orders: W-1020, W-1021, W-1037');
      expect(await page.getByLabel('Order ids (comma or space separated)').isVisible()).toBe(false);
      await page.getByLabel('Operation').selectOption('setDeliveryDate');
      const date = page.getByLabel('Preferred delivery date');
      expect(await date.getAttribute('type')).toBe('date');
      await date.fill('2031-06-01');
      await page.getByLabel('Reason', { exact: true }).selectOption('CUSTOMER_REQUEST');
      await checkPage(page, 'the bulk form');
      await page.getByRole('button', { name: 'Preview (dry run)' }).click();
      const heading = page.locator('#job-h');
      await expect
        .poll(() => heading.innerText(), { timeout: 20_000 })
        .toMatch(/Dry run\s*Completed/);
      await checkPage(page, 'a dry run');
      // Every state the job view shows from Run on: never the dry run's counts under the job's name.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { seen: string[] }).seen = seen;
        new MutationObserver(() => {
          const h = document.querySelector('#job-h');
          if (h)
            seen.push(`${h.textContent} | ${h.parentElement?.querySelector('p')?.textContent}`);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await page.getByRole('button', { name: /^Run on 2 orders$/ }).click();
      await expect
        .poll(() => heading.innerText(), { timeout: 60_000 })
        .toMatch(/Bulk job\s*Completed/);
      const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
      expect(seen.filter((t) => t.startsWith('Bulk job') && /would/.test(t))).toEqual([]);
      const section = page.locator('section[aria-labelledby="job-h"]');
      const text = await section.innerText();
      expect(text).toMatch(
        /applied 2 · waiting for the seller 0 · waiting for approval 0 · refused 1/,
      );
      expect(text).toMatch(/W-1020\s+Applied/);
      // A refusal is the catalogue's sentence, not its code.
      expect(text).toMatch(/W-1037\s+Refused\s+[A-Z][a-z]+ [^\n]*\./);
      expect(text).not.toMatch(/\b[A-Z]+_[A-Z_]+\b/);
      await checkPage(page, 'a finished bulk job');

      // The inbox holds one summary of the job, not an entry per order; it links to the job.
      await page.goto(`${server.base}/inbox`);
      const summary = page.locator('.inbox li.inbox-bulk');
      await expect.poll(() => summary.count(), { timeout: 20_000 }).toBe(1);
      const said = await summary.innerText();
      expect(said).toMatch(/Bulk edit finished/);
      expect(said).toMatch(/Bulk change of 3 orders done: 2 applied, 1 rejected\./);
      expect(said).toMatch(/Delivery date to /);
      // (W-1037 has an entry of the supervisor's own, the force-cancel of an earlier journey.)
      const others = await page.locator('.inbox li:not(.inbox-bulk)').allInnerTexts();
      expect(others.filter((t) => /W-10(20|21)\b/.test(t))).toEqual([]);
      await checkPage(page, 'the inbox with a bulk summary');
      await summary.getByRole('link', { name: 'Open the job (3 orders)' }).click();
      const jobView = page.locator('section[aria-labelledby="job-h"]');
      await expect.poll(() => jobView.innerText(), { timeout: 20_000 }).toMatch(/W-1020\s+Applied/);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Bulk edit results');
      await checkPage(page, 'a bulk job on its own page');
      await page.getByRole('link', { name: '← Inbox' }).click();
      await summary
        .getByRole('button', { name: /^Acknowledge all: the bulk edit of 3 orders/ })
        .click();
      await expect.poll(() => summary.count(), { timeout: 20_000 }).toBe(0);

      // The KPI page counts changes apart from bulk edits by default; bulk alone on request.
      await page.goto(`${server.base}/kpis`);
      const byApp = page.getByRole('img', { name: /^Changes by app/ });
      await byApp.waitFor({ timeout: 20_000 });
      expect(await page.getByLabel('Changes from').inputValue()).toBe('not-bulk');
      expect(await byApp.getAttribute('aria-label')).not.toMatch(/bulk/);
      await checkPage(page, 'the KPIs');
      await page.getByLabel('Changes from').selectOption('bulk');
      await expect
        .poll(() => byApp.getAttribute('aria-label'), { timeout: 20_000 })
        .toMatch(/^Changes by app: bulk edit \d+$/);
      // Every bar says what it counts in words; a rejection's code stays as the bar's tooltip.
      await page.getByLabel('Changes from').selectOption('all');
      const rejections = page
        .locator('figure', { hasText: 'Rejections by reason' })
        .locator('.hbar');
      await expect.poll(() => rejections.count(), { timeout: 20_000 }).toBeGreaterThan(0);
      const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/;
      const labels = (await page.locator('.hbar-label').allInnerTexts()).map((l) => l.trim());
      expect(labels.filter((l) => UPPER_SNAKE.test(l) || l === '')).toEqual([]);
      for (const title of await rejections.evaluateAll((rows) =>
        rows.map((r) => r.getAttribute('title') ?? ''),
      ))
        expect(title).toMatch(UPPER_SNAKE);
      await checkPage(page, 'the KPIs of every app');
      expect(realErrors(errors)).toEqual([]);
    });
  },
);
