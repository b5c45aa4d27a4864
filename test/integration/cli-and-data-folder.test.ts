/**
 * The command line (commander: `--help` per command) and the PGlite data folder, with real processes:
 * a running server holds the folder, so the CLI refuses to open it and says to use the server's API
 * (two processes on one PGlite folder never see each other's writes and can corrupt it); the server
 * computes the KPIs' integrity figure itself; a folder left by a killed server is taken over at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { freePort, runAmend, startAmend, untilReady, type Running } from '../support/processes.js';

describe('amend --help', () => {
  it('lists every command, and each command explains itself', async () => {
    const all = await runAmend(['--help'], {});
    expect(all.code).toBe(0);
    for (const c of ['serve', 'worker', 'migrate', 'seed', 'keys', 'verify', 'replay'])
      expect(all.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
    expect(all.stdout).toContain('reroute-unroutable');
    const keys = await runAmend(['keys', 'create', '--help'], {});
    expect(keys.code).toBe(0);
    expect(keys.stdout).toContain('--tenant <tenant>');
    expect(keys.stdout).toMatch(/--role <role>.*choices: "agent", "supervisor"/s);
    const replay = await runAmend(['replay', '--help'], {});
    expect(replay.stdout).toContain('--dead');
    const missing = await runAmend(['reroute-unroutable'], {});
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("required option '--tenant <tenant>' not specified");
  }, 120_000);
});

describe.runIf(ENGINES.includes('pglite'))('a PGlite data folder held by a server', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'amend-lock-')), 'data');
  const env = { DATA_DIR: dataDir, DATABASE_URL: '', AMEND_DEMO: '1', HOST: '127.0.0.1' };
  let server: Running | null = null;
  afterAll(() => {
    server?.child.kill('SIGKILL');
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('refuses the CLI with advice, computes integrity in the server, and frees the folder on exit', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startAmend(['serve'], { ...env, PORT: String(port) });
    await untilReady(base, server);

    const kpis = await (
      await fetch(`${base}/v1/kpis`, { headers: { authorization: 'Bearer demo-supervisor' } })
    ).json();
    expect(typeof kpis.integrityErrors).toBe('number');
    expect(kpis.lastVerify.ordersChecked).toBeGreaterThan(0);

    const verify = await runAmend(['verify'], env);
    expect(verify.code).toBe(75);
    expect(verify.stderr).toContain(`is in use by another Amend process (pid ${server.child.pid}`);
    expect(verify.stderr).toContain('POST /v1/integrity-checks');
    const reroute = await runAmend(['reroute-unroutable', '--tenant', 'demo'], env);
    expect(reroute.code).toBe(75);
    expect(reroute.stderr).toContain('POST /v1/routing/reroute-unroutable');
    expect(reroute.stdout).not.toContain('routed');
    const second = await runAmend(['serve'], { ...env, PORT: String(await freePort()) });
    expect(second.code).toBe(75);

    const stopping = Date.now();
    server.child.kill('SIGTERM');
    const ended = await server.exited;
    server = null;
    expect(ended.code, ended.stderr).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);

    const after = await runAmend(['verify'], env);
    expect(after.stdout).toMatch(/\d+ orders checked, \d+ violations/);
    expect([0, 1]).toContain(after.code);
  }, 300_000);

  it('takes over at once a folder whose server was killed with SIGKILL', async () => {
    const port = await freePort();
    server = startAmend(['serve'], { ...env, PORT: String(port) });
    await untilReady(`http://127.0.0.1:${port}`, server);
    server.child.kill('SIGKILL');
    await server.exited;
    server = null;
    const verify = await runAmend(['verify'], env);
    expect(verify.stdout, verify.stderr).toMatch(/\d+ orders checked/);
  }, 300_000);
});
