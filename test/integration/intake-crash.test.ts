/**
 * Kill -9 during intake loses nothing (issue 14 point 4): a real `amend serve` process on
 * PostgreSQL takes VTEX orders at concurrency 8 and is killed with SIGKILL mid-stream. Every 202 it
 * answered is a stored record; after restart each is imported or a dead letter, and no channel
 * order became two orders.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntakeWorker } from '../../src/worker/intake-worker.js';
import { createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { aVtexOrder, createSources, vtexHeaders } from '../support/intake.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe.runIf(ENGINES.includes('postgres'))('a server killed with SIGKILL during intake', () => {
  let ctx: TestContext;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    ctx = await createTestContext('postgres', { worker: false });
    await createSources(ctx.app);
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await ctx?.close();
  });

  it('answers 202 only for stored payloads, and after restart each is imported or a dead letter, once', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      env: {
        ...process.env,
        DATABASE_URL: ctx.database.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        AMEND_DEMO: '0',
        WORKER_LEASE_MS: '1000',
        NATS_URL: '',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 600; i++) {
      const up = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const orders = Array.from({ length: 60 }, (_, i) =>
      aVtexOrder((o) => i % 10 === 9 && (o.value = 1)),
    );
    const accepted: string[] = [];
    let next = 0;
    let killed = false;
    const send = async () => {
      while (next < orders.length) {
        const order = orders[next++];
        const res = await fetch(`${base}/v1/intake/vtex-main`, {
          method: 'POST',
          headers: vtexHeaders(),
          body: JSON.stringify(order),
        }).catch(() => null);
        if (res?.status === 202) accepted.push(((await res.json()) as { id: string }).id);
        if (!killed && accepted.length >= 15) {
          killed = true;
          child?.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, send));
    const ended = await new Promise<boolean>((r) =>
      child?.exitCode !== null || child.signalCode ? r(true) : child.once('exit', () => r(true)),
    );
    expect(ended && killed).toBe(true);

    const stored = await ctx.deps.db
      .selectFrom('intake_records')
      .select(['id', 'status'])
      .where('source_id', '=', 'vtex-main')
      .execute();
    const ids = new Set(stored.map((r) => r.id));
    expect(accepted.every((id) => ids.has(id))).toBe(true);

    // The restarted worker waits out the dead one's leases, then works whatever it left.
    await new Promise((r) => setTimeout(r, 1200));
    await new IntakeWorker(ctx.deps, { leaseMs: 5000 }).drain();
    const after = await ctx.deps.db
      .selectFrom('intake_records')
      .select(['id', 'status', 'code', 'order_id', 'channel_order_ref'])
      .where('source_id', '=', 'vtex-main')
      .execute();
    expect(after.filter((r) => !['imported', 'dead-lettered'].includes(r.status))).toEqual([]);
    for (const id of accepted)
      expect(['imported', 'dead-lettered']).toContain(after.find((r) => r.id === id)?.status);
    expect(
      after
        .filter((r) => r.status === 'dead-lettered')
        .every((r) => r.code === 'INTAKE_TOTAL_MISMATCH'),
    ).toBe(true);
    const made = await ctx.deps.db
      .selectFrom('orders')
      .select(['channel_order_ref'])
      .where('channel', '=', 'vtex-main')
      .execute();
    expect(new Set(made.map((o) => o.channel_order_ref)).size).toBe(made.length);
    expect(made.length).toBe(after.filter((r) => r.status === 'imported').length);
  }, 240_000);
});
