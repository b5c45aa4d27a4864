import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBulkChange } from '../../src/app/bulk-change.js';
import type { Actor } from '../../src/app/deps.js';
import { resolveActor } from '../../src/app/identity.js';
import { recordBulkResult } from '../../src/db/bulk-jobs.js';
import { BulkJobSweeper } from '../../src/worker/bulk-job-sweeper.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

type Entry = { kind: string; id: string; [k: string]: unknown };

describe.each(ENGINES)('bulk jobs in the inbox on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });
  const get = async (url: string, key: string = KEYS.supervisor) =>
    (await ctx.app.inject({ url, headers: auth(key) })).json();
  const post = (url: string, key: string, payload: object = {}, headers = {}) =>
    ctx.app.inject({ method: 'POST', url, headers: { ...auth(key), ...headers }, payload });
  const importOrder = async (over = {}) =>
    (await post('/v1/orders', KEYS.integration, anImport(over))).json();
  const finished = async (location: string) => {
    for (let i = 0; i < 200; i++) {
      const job = await get(location);
      if (job.status === 'completed') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the bulk job did not complete');
  };
  const inbox = async (query = ''): Promise<Entry[]> => (await get(`/v1/inbox${query}`)).items;

  it('a bulk job of five orders leaves one summary with its counts; a single change keeps its own entry', async () => {
    const plain = [await importOrder(), await importOrder(), await importOrder()];
    const chain = await importOrder({ origin: 'chain' });
    const marketplace = await importOrder({ origin: 'marketplace' });
    const single = await importOrder();
    const alone = await post(
      `/v1/orders/${single.id}/changes`,
      KEYS.supervisor,
      {
        operations: [{ op: 'setCustomAttributes', set: { gate: 'C' } }],
        reason: { code: 'CUSTOMER_REQUEST' },
        app: 'console',
      },
      { prefer: 'wait=10' },
    );
    expect(alone.json().status).toBe('applied');

    const orderIds = [...plain, chain, marketplace].map((o) => o.id);
    const start = await post('/v1/bulk-changes', KEYS.supervisor, {
      orderIds,
      operations: [{ op: 'setCustomAttributes', set: { wave: '7' } }],
      reason: { code: 'CUSTOMER_REQUEST' },
    });
    expect(start.statusCode).toBe(202);
    const job = await finished(start.headers.location as string);
    expect(job).toMatchObject({ total: 5, done: 5, acknowledgedAt: null });

    const items = await inbox();
    const summaries = items.filter((e) => e.kind === 'bulk-job');
    expect(summaries).toEqual([
      {
        kind: 'bulk-job',
        id: expect.stringMatching(/^inb_/),
        bulkJobId: job.id,
        jobKind: 'bulk-change',
        outcome: 'completed',
        app: 'bulk',
        operations: [{ op: 'setCustomAttributes', set: { wave: '7' } }],
        counts: {
          total: 5,
          applied: 3,
          awaitingApproval: 0,
          awaitingSeller: 1,
          inProgress: 0,
          rejected: 1,
          failed: 0,
          canceled: 0,
          skipped: 0,
        },
        detail: 'Bulk change of 5 orders done: 3 applied, 1 waiting for the seller, 1 rejected.',
        nextStep: expect.stringContaining('Open the job to see why'),
        at: expect.any(String),
        acknowledgedAt: null,
      },
    ]);
    // None of the job's five changes has an entry of its own; the single change has.
    expect(items.filter((e) => e.kind === 'change')).toEqual([
      expect.objectContaining({ changeId: alone.json().id, outcome: 'applied', bulkJobId: null }),
    ]);
    // The summary holds one rejection still to see.
    expect((await get('/v1/inbox?unacknowledged=true')).unacknowledgedRejections).toBe(1);
    // By app: the summary is bulk's.
    expect((await inbox('?app=bulk')).map((e) => e.kind)).toEqual(['bulk-job']);
    expect((await inbox('?excludeApp=bulk')).map((e) => e.kind)).toEqual(['change']);
    expect(await inbox('?app=console,picker')).toHaveLength(1);

    // The change that waited for the seller is told on its own once it is decided, marked with its job.
    const waiting = (job.results as { orderId: string; changeId: string }[]).find(
      (r) => r.orderId === marketplace.id,
    )!;
    expect((await get(`/v1/changes/${waiting.changeId}`)).requestedBy).toMatchObject({
      app: 'bulk',
      bulkJobId: job.id,
    });
    await post(`/v1/changes/${waiting.changeId}/seller-acknowledgment`, KEYS.integration);
    const confirmed = await post(
      `/v1/changes/${waiting.changeId}/seller-confirmation`,
      KEYS.integration,
      {},
      { prefer: 'wait=10' },
    );
    expect(confirmed.json().status).toBe('applied');
    const late = (await inbox()).filter((e) => e.kind === 'change' && e.bulkJobId === job.id);
    expect(late).toEqual([
      expect.objectContaining({ changeId: waiting.changeId, outcome: 'applied', app: 'bulk' }),
    ]);

    // Acknowledging the summary acknowledges the job, and with it the late entry; not the others.
    expect((await post(`/v1/inbox/${summaries[0]!.id}/ack`, KEYS.agent)).statusCode).toBe(404);
    const acked = (await post(`/v1/inbox/${summaries[0]!.id}/ack`, KEYS.supervisor)).json();
    expect(acked).toMatchObject({ kind: 'bulk-job', acknowledgedAt: expect.any(String) });
    const open = await get('/v1/inbox?unacknowledged=true');
    expect(open.items.map((e: Entry) => e.changeId)).toEqual([alone.json().id]);
    expect(open.unacknowledgedRejections).toBe(0);
    expect((await get(start.headers.location as string)).acknowledgedAt).toBe(acked.acknowledgedAt);
  });

  it('a dry run tells no one; the job is watched on its page', async () => {
    const before = (await inbox()).length;
    const order = await importOrder();
    const dry = await post('/v1/bulk-changes', KEYS.supervisor, {
      orderIds: [order.id],
      operations: [{ op: 'adjustTotal', discount: 10 }],
      reason: { code: 'CUSTOMER_REQUEST' },
      dryRun: true,
    });
    await finished(dry.headers.location as string);
    expect(await inbox()).toHaveLength(before);
  });

  it('a job whose process died mid-run is ended by the sweeper: one summary says it stopped', async () => {
    const supervisor = (await resolveActor(ctx.deps, KEYS.supervisor)) as Actor;
    const orders = [await importOrder(), await importOrder(), await importOrder()];
    const request = {
      orderIds: orders.map((o) => o.id),
      operations: [{ op: 'setCustomAttributes' as const, set: { wave: '9' } }],
      reason: { code: 'CUSTOMER_REQUEST' },
    };
    // The job reached its first order, then its process died: no one runs or ends it.
    const job = await createBulkChange(ctx.deps, supervisor, request);
    const first = await post(
      `/v1/orders/${orders[0].id}/changes`,
      KEYS.supervisor,
      { operations: request.operations, reason: request.reason },
      { prefer: 'wait=10' },
    );
    expect(first.json().status).toBe('applied');
    await recordBulkResult(
      ctx.deps.db,
      supervisor.tenantId,
      job.id,
      { orderId: orders[0].id, changeId: first.json().id, status: 'applied' },
      true,
    );
    const alive = await createBulkChange(ctx.deps, supervisor, request);
    const stale = new Date(Date.now() - 10 * 60_000).toISOString();
    await ctx.deps.db
      .updateTable('bulk_jobs')
      .set({ updated_at: stale })
      .where('id', '=', job.id)
      .execute();

    const sweeper = new BulkJobSweeper(ctx.deps, 60_000);
    expect(await sweeper.sweep()).toBe(1);
    expect(await sweeper.sweep()).toBe(0);
    expect((await get(`/v1/bulk-changes/${job.id}`)).status).toBe('completed');
    expect((await get(`/v1/bulk-changes/${alive.id}`)).status).not.toBe('completed');
    const summary = (await inbox()).filter((e) => e.kind === 'bulk-job' && e.bulkJobId === job.id);
    expect(summary).toEqual([
      expect.objectContaining({
        counts: expect.objectContaining({ total: 1, applied: 1 }),
        detail:
          'Bulk change of 3 orders stopped after 1 order: 1 applied. The other 2 orders were not changed; run it again for them.',
      }),
    ]);
  });
});
