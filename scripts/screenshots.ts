/**
 * `npm run screenshots`: builds, starts the server on a fresh demo store, drives Chromium through the
 * console and the picker view, and writes docs/screenshots/*.png (the README shows them).
 */
import { mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { buildOnce, launchBrowser, signedIn, startServer } from './browser-harness.js';

const OUT = 'docs/screenshots';

async function main() {
  buildOnce();
  mkdirSync(OUT, { recursive: true });
  const server = await startServer();
  const browser = await launchBrowser();
  const shot = async (page: import('playwright-core').Page, name: string, fullPage = true) => {
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${OUT}/${name}.png`, fullPage, animations: 'disabled' });
    console.log(`${OUT}/${name}.png`);
  };
  try {
    const base = server.base;
    // Some history first: an address change, a refused substitution, a change waiting for approval.
    const api = (key: string, path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          prefer: 'wait=10',
        },
        body: JSON.stringify(body),
      });
    await api('demo-agent', '/v1/orders/ord_demo_001/changes', {
      operations: [
        { op: 'setShippingAddress', address: { street: 'Kastanienallee 12', postalCode: '10435' } },
      ],
      reason: { code: 'ADDRESS_CORRECTION', text: 'Customer called: wrong house number' },
      app: 'console',
    });
    await api('demo-agent', '/v1/orders/ord_demo_001/changes', {
      operations: [{ op: 'setQuantity', sku: 'MILK-1L', quantity: 4 }],
      reason: { code: 'CUSTOMER_REQUEST' },
      app: 'console',
    });
    await api('demo-agent', '/v1/orders/ord_demo_009/changes', {
      operations: [{ op: 'addItem', sku: 'WINE-RED-RES', quantity: 12 }],
      reason: { code: 'CUSTOMER_REQUEST', text: 'Party order' },
      app: 'console',
    });
    await api('demo-agent', '/v1/orders/ord_demo_002/changes', {
      operations: [{ op: 'addItem', sku: 'COFFEE-500', quantity: 1 }],
      reason: { code: 'CUSTOMER_REQUEST' },
      app: 'console',
    });

    const agent = await signedIn(browser, base, 'demo-agent');
    await agent.page.goto(`${base}/orders`);
    await agent.page.locator('table.orders').waitFor();
    await shot(agent.page, 'orders');
    await agent.page.goto(`${base}/orders/ord_demo_001`);
    await agent.page.locator('table.audit').waitFor();
    await shot(agent.page, 'order-history');

    await agent.page.goto(`${base}/orders/ord_demo_033`);
    await agent.page.getByRole('button', { name: 'Edit order' }).click();
    const dialog = agent.page.getByRole('dialog', { name: 'Edit order' });
    await dialog.getByLabel('City').fill('Potsdam');
    await dialog.getByLabel('Postal code').fill('14467');
    await dialog.getByLabel('Reason (required)').selectOption('ADDRESS_CORRECTION');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.locator('.plan').waitFor();
    await agent.page.setViewportSize({ width: 1280, height: 1250 });
    await agent.page.locator('.backdrop').evaluate((el) => {
      el.scrollTop = 0;
    });
    await shot(agent.page, 'edit-dialog', false);

    const supervisor = await signedIn(browser, base, 'demo-supervisor');
    await supervisor.page.emulateMedia({ reducedMotion: 'reduce' }); // the progress bar at its end, not mid-animation
    await supervisor.page.goto(`${base}/approvals`);
    await supervisor.page.locator('li.approval').first().waitFor();
    await shot(supervisor.page, 'approvals');
    await supervisor.page.goto(`${base}/kpis`);
    await supervisor.page.locator('.stats').waitFor();
    await shot(supervisor.page, 'kpis');
    // Bulk edit: three orders chosen in the list, a dry run, then the run with its per-order results.
    await supervisor.page.goto(`${base}/orders?status=payment-approved&q=W-102`);
    for (const ref of ['W-1021', 'W-1022', 'W-1025'])
      await supervisor.page.getByLabel(`Select ${ref}`).check();
    await supervisor.page.getByRole('button', { name: 'Bulk edit selected' }).click();
    await supervisor.page.getByLabel('Preferred delivery date').fill('2031-06-01');
    await supervisor.page.getByLabel('Reason', { exact: true }).selectOption('CUSTOMER_REQUEST');
    await supervisor.page.getByRole('button', { name: 'Preview (dry run)' }).click();
    await supervisor.page.getByRole('button', { name: /Run on \d+ orders/ }).click();
    await supervisor.page
      .locator('section.card', { hasText: /applied \d+/ })
      .getByText('Completed')
      .waitFor({ timeout: 15_000 });
    await shot(supervisor.page, 'bulk');
    // The inbox: the job as one summary, not one entry per order.
    await supervisor.page.goto(`${base}/inbox`);
    await supervisor.page.locator('.inbox li.inbox-bulk').waitFor({ timeout: 15_000 });
    await shot(supervisor.page, 'inbox');

    const picker = await signedIn(browser, base, 'demo-picker', { width: 390, height: 844 });
    await picker.page.goto(`${base}/picker`);
    const job = picker.page.locator('section.job', { hasText: 'W-1036' });
    await job
      .locator('li', { hasText: 'COFFEE-500' })
      .getByRole('button', { name: 'Missing…' })
      .click();
    await job.getByRole('button', { name: /Organic coffee beans/ }).click();
    await picker.page
      .getByTestId('outcome-banner')
      .getByText(/Rejected/)
      .waitFor();
    await picker.page.evaluate(() => window.scrollTo(0, 0));
    await shot(picker.page, 'picker', false);

    await intakeShot(browser, base, shot);
  } finally {
    await browser.close();
    await server.stop();
  }
}

/** The Intake page: sources with their health, the dead letters, the Shopify order whose sku is unmapped. */
export async function intakeShot(
  browser: import('playwright-core').Browser,
  base: string,
  shot: (page: import('playwright-core').Page, name: string, fullPage?: boolean) => Promise<void>,
): Promise<void> {
  const admin = await signedIn(browser, base, 'demo-admin', { width: 1400, height: 900 });
  await admin.page.goto(`${base}/intake`);
  await admin.page.getByText('Shopify — Kiez Kaffee').waitFor();
  await admin.page
    .getByRole('row')
    .filter({ hasText: 'shopify-kiez' })
    .filter({ hasText: 'INTAKE_SKU_UNMAPPED' })
    .first()
    .getByRole('button')
    .click();
  await admin.page.locator('.json-marked').first().waitFor();
  await shot(admin.page, 'intake');
}

// Run when started as the script (npm run screenshots), not when another script takes one shot from it.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
