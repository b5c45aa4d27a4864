/**
 * What every page a browser journey visits must pass (issue 17): no serious or critical axe-core
 * finding, and no raw id (ord_…, usr_…, pay_…, ln_…, chg_…) in the visible text.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const RAW_ID = /\b(ord|usr|pay|ln|chg)_[a-z0-9]+/g;

interface Finding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe-core injected through the DevTools protocol (no script tag: the console's CSP allows none). */
export async function axeFindings(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            c: unknown,
            o: unknown,
          ) => Promise<{
            violations: {
              id: string;
              impact: string;
              help: string;
              nodes: { target: string[] }[];
            }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      }));
  });
}

export async function rawIds(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => document.body.innerText);
  return [...new Set(text.match(RAW_ID) ?? [])];
}

/** Both checks on the page as it is now; `state` names it in a failure. */
export async function checkPage(page: Page, state: string): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => {});
  expect(await axeFindings(page), `axe on ${state}`).toEqual([]);
  expect(await rawIds(page), `raw ids on ${state}`).toEqual([]);
}
