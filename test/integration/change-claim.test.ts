/**
 * A worker's claim leases exactly the change it answers. The claim once picked its change in a
 * joined `LIMIT 1 … SKIP LOCKED` subquery that PostgreSQL ran again under concurrent claims: one
 * statement leased up to five changes, the worker took the first, and the rest waited 30 s for their
 * lease to run out (seen in `npm run bench` as apply+pay changes answered 202 after `Prefer: wait=30`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimNext } from '../../src/db/change-queue.js';
import { auth, createTestContext, importAnOrder, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { KEYS } from '../support/fixture.js';

describe.each(ENGINES)('claiming queued changes on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine, { worker: false });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('leases only what each of many concurrent claims answers, each change once', async () => {
    // Past five runs per connection PostgreSQL plans a prepared statement generically: the plan the
    // claim runs with in a server that has been up a while.
    for (let i = 0; i < 20; i++)
      await Promise.all(Array.from({ length: 8 }, () => claimNext(ctx.deps.db, 'warm-up', 60_000)));
    const queued: string[] = [];
    for (let i = 0; i < 24; i++) {
      const order = await importAnOrder(ctx);
      const change = await ctx.app.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/changes`,
        headers: auth(KEYS.agent),
        // Money moves: the change waits in the queue for a worker.
        payload: {
          operations: [{ op: 'addItem', sku: 'MILK', quantity: 1 }],
          reason: { code: 'CUSTOMER_REQUEST' },
        },
      });
      expect(change.statusCode).toBe(202);
      queued.push(change.json().id);
    }
    const answered: string[] = [];
    for (let round = 0; round < 10 && answered.length < queued.length; round++) {
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) => claimNext(ctx.deps.db, `test_${round}_${i}`, 60_000)),
      );
      for (const c of claims) if (c) answered.push(c.change.id);
    }
    const leased = await ctx.deps.db
      .selectFrom('change_requests')
      .select(['id'])
      .where('id', 'in', queued)
      .where('lease_token', 'like', 'test_%')
      .execute();
    expect(new Set(answered).size).toBe(answered.length);
    expect(leased.map((r) => r.id).sort()).toEqual([...answered].sort());
    expect(answered.sort()).toEqual([...queued].sort());
  });
});
