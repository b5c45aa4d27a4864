/**
 * Browser tests and screenshots share this: the built server started the way the README starts it
 * (PGlite in a temp folder, demo data), and Debian's Chromium driven by playwright-core.
 * Never downloads a browser.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      })
      .on('error', reject);
  });
}

/**
 * `npm run build` as the README's `npm start` runs it. Under Vitest NODE_ENV is `test`, and Vite would
 * then bundle React's development build (twice the size, other warnings): the browser tests must see
 * what people get, so the build always runs with NODE_ENV=production.
 */
export function buildOnce(): void {
  execFileSync('npm', ['run', 'build', '--silent'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

export interface RunningServer {
  base: string;
  stop(): Promise<void>;
}

/** `node dist/src/cli/main.js serve` on a free port with a fresh PGlite folder (demo mode). */
export async function startServer(): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'amend-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['dist/src/cli/main.js', 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      AMEND_DEMO: '1',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  // A loaded machine may take a while to start PGlite and seed the demo data; never go on without a server.
  let ready = false;
  for (let i = 0; i < 900 && !ready; i++) {
    try {
      ready = (await fetch(`${base}/readyz`)).ok;
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (!ready) await new Promise((r) => setTimeout(r, 200));
  }
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`the server at ${base} was not ready within 180 s`);
  }
  return {
    base,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface SignedIn {
  page: Page;
  errors: string[];
}

/** A page signed in with `key` (as the sign-in page would store it), collecting console errors. */
export async function signedIn(
  browser: Browser,
  base: string,
  key: string,
  viewport = { width: 1280, height: 900 },
  /** touch: a phone (touch events, mobile viewport meta), as a picker holds it. */
  options: { touch?: boolean } = {},
): Promise<SignedIn> {
  const context = await browser.newContext({
    viewport,
    locale: 'en-GB',
    ...(options.touch ? { hasTouch: true, isMobile: true, deviceScaleFactor: 2 } : {}),
  });
  const page = await context.newPage();
  // Fail fast with the locator named, rather than at the test's timeout.
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/`);
  // As the sign-in page's demo buttons do: the key, and the demo user's name when there is one.
  const demo = (await (
    await fetch(`${base}/v1/demo/keys`)
  )
    .json()
    .catch(() => ({ items: [] }))) as { items: { key: string; name?: string }[] };
  const name = demo.items?.find((d) => d.key === key)?.name ?? '';
  await page.evaluate(
    ([k, n]) => {
      localStorage.setItem('amend.apiKey', k as string);
      if (n) localStorage.setItem('amend.name', n as string);
    },
    [key, name],
  );
  return { page, errors };
}
