// Ad-hoc scan: every console page state's serious/critical axe findings and raw ids, all at once.
import { buildOnce, launchBrowser, signedIn, startServer } from '/work/wt/console/scripts/browser-harness.js';
import { axeFindings, rawIds } from '/work/wt/console/test/e2e/page-checks.js';
const build = process.argv.includes('--build');
if (build) buildOnce();
const server = await startServer();
const browser = await launchBrowser();
try {
  const report = async (page: any, name: string) => {
    await page.waitForLoadState('networkidle').catch(() => {});
    await page.waitForTimeout(300);
    const f = await axeFindings(page);
    const ids = await rawIds(page);
    console.log(`== ${name}: ${f.length} findings, ids ${JSON.stringify(ids)}`);
    for (const x of f) console.log('  ', x.id, x.impact, x.targets.slice(0, 3).join(' | '));
  };
  const sup = await signedIn(browser, server.base, 'demo-supervisor');
  for (const p of ['/orders', '/orders/ord_demo_001', '/orders/ord_demo_037', '/approvals', '/bulk', '/kpis', '/inbox', '/intake']) {
    await sup.page.goto(server.base + p);
    await report(sup.page, p);
  }
  const agent = await signedIn(browser, server.base, 'demo-agent');
  await agent.page.goto(server.base + '/orders/ord_demo_009');
  await agent.page.getByRole('button', { name: 'Edit order' }).click();
  await report(agent.page, 'edit dialog');
  const pick = await signedIn(browser, server.base, 'demo-picker', { width: 390, height: 844 }, { touch: true });
  await pick.page.goto(server.base + '/picker');
  await pick.page.locator('section.job').first().waitFor();
  await report(pick.page, 'picker');
  await pick.page.getByRole('button', { name: /Inbox/ }).click();
  await report(pick.page, 'picker inbox');
} finally {
  await browser.close();
  await server.stop();
}
