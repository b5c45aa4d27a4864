/**
 * A real `amend worker` process killed (SIGKILL) between the gateway's success and the commit: after
 * its lease runs out the next worker applies the change, and the customer is charged once.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeWorker } from '../../src/worker/change-worker.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

describe.runIf(ENGINES.includes('postgres'))('a worker process killed mid-change', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext('postgres', { worker: false });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('charges once and applies the change after restart', async () => {
    const order = (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(),
      })
    ).json();
    const queued = await ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/changes`,
      headers: auth(KEYS.agent),
      payload: {
        operations: [{ op: 'addItem', sku: 'MILK', quantity: 2 }],
        reason: { code: 'CUSTOMER_REQUEST' },
      },
    });
    expect(queued.statusCode).toBe(202);
    const changeId = queued.json().id as string;

    const child = spawn('node_modules/.bin/tsx', ['src/cli/main.ts', 'worker'], {
      env: {
        ...process.env,
        DATABASE_URL: ctx.database.url,
        AMEND_DEMO: '0',
        WORKER_LEASE_MS: '1000',
        AMEND_CRASH_AFTER_GATEWAY: '1',
        NATS_URL: '',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (c) => {
      stderr += c;
    });
    // tsx runs the worker in a child process of its own and reports its SIGKILL as exit code 137.
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve) => child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    expect(
      ended.signal === 'SIGKILL' || ended.code === 137,
      `${JSON.stringify(ended)} ${stderr}`,
    ).toBe(true);

    const midway = (
      await ctx.app.inject({ url: `/v1/changes/${changeId}`, headers: auth() })
    ).json();
    expect(midway.status).toBe('applying');
    const charged = await ctx.deps.db.selectFrom('payment_simulator_ledger').selectAll().execute();
    expect(charged).toHaveLength(1);
    expect(
      (await ctx.app.inject({ url: `/v1/orders/${order.id}`, headers: auth() })).json().version,
    ).toBe(0);

    // The restarted worker waits out the dead one's lease, finds the call made, and commits.
    await new Promise((r) => setTimeout(r, 1100));
    expect(await new ChangeWorker(ctx.deps).drain()).toBe(1);
    const done = (await ctx.app.inject({ url: `/v1/changes/${changeId}`, headers: auth() })).json();
    expect(done.status).toBe('applied');
    expect(
      await ctx.deps.db.selectFrom('payment_simulator_ledger').selectAll().execute(),
    ).toHaveLength(1);
    const after = (await ctx.app.inject({ url: `/v1/orders/${order.id}`, headers: auth() })).json();
    expect(after.version).toBe(1);
    expect(after.payments[0].authorized).toBe(after.totals.grandTotal);
  }, 60_000);
});
