/**
 * Transient failures (INTAKE.md §1): a lock held on the stock the order needs makes the import
 * give up after its lock timeout; the record waits with backoff (attempts, nextAttemptAt) and
 * imports once the lock is gone — or, its attempts spent, is a dead letter INTAKE_RETRIES_EXHAUSTED.
 * PostgreSQL only: holding a lock needs a second connection, which PGlite does not have.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntakeWorker } from '../../src/worker/intake-worker.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { aVtexOrder, createSources, postVtex } from '../support/intake.js';

describe.runIf(ENGINES.includes('postgres'))('transient intake failures on postgres', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext('postgres');
    await createSources(ctx.app);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /** Holds the stock rows of APPLE locked until `release` is called. */
  async function holdAppleStock(): Promise<() => Promise<void>> {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const tx = ctx.deps.db.transaction().execute(async (t) => {
      await t.selectFrom('stock').select('sku').where('sku', '=', 'APPLE').forUpdate().execute();
      locked();
      await released;
    });
    await isLocked;
    return async () => {
      release();
      await tx;
    };
  }
  const record = async (id: string) =>
    (await ctx.app.inject({ url: `/v1/intake/${id}`, headers: auth() })).json();

  it('retries with backoff while the stock is locked and imports once it is free', async () => {
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/sources/vtex-main',
      headers: auth(),
      payload: { retry: { maxAttempts: 5, baseMs: 200 } },
    });
    const release = await holdAppleStock();
    const res = await postVtex(ctx.app, aVtexOrder());
    const worker = new IntakeWorker(ctx.deps);
    expect(await worker.workOne('test-worker')).toBe(true);
    const waiting = await record(res.json().id);
    expect(waiting).toMatchObject({
      status: 'retrying',
      attempts: 1,
      nextAttemptAt: expect.any(String),
    });
    expect(waiting.detail).toMatch(/lock/);
    const events = await ctx.deps.db
      .selectFrom('outbox_events')
      .select('type')
      .where('type', '=', 'INTAKE_RETRYING')
      .execute();
    expect(events.length).toBeGreaterThan(0);
    await release();
    await new Promise((r) => setTimeout(r, 400)); // the backoff: 200 ms × U[0.5, 1.5]
    expect(await worker.drain()).toBe(1);
    expect(await record(res.json().id)).toMatchObject({
      status: 'imported',
      attempts: 1,
      orderId: expect.any(String),
    });
  }, 60_000);

  it('dead-letters INTAKE_RETRIES_EXHAUSTED once the attempts are spent', async () => {
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/sources/vtex-main',
      headers: auth(),
      payload: { retry: { maxAttempts: 2, baseMs: 50 } },
    });
    const release = await holdAppleStock();
    try {
      const res = await postVtex(ctx.app, aVtexOrder());
      const worker = new IntakeWorker(ctx.deps);
      await worker.workOne('w1');
      await new Promise((r) => setTimeout(r, 150));
      await worker.workOne('w1');
      const r = await record(res.json().id);
      expect(r).toMatchObject({
        status: 'dead-lettered',
        code: 'INTAKE_RETRIES_EXHAUSTED',
        attempts: 2,
      });
      expect(r.detail).toMatch(/2 attempts failed/);
    } finally {
      await release();
    }
  }, 60_000);
});
