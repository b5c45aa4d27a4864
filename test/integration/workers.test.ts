/**
 * Two workers, each with its own connection pool, on one PostgreSQL (issue 5): 200 changes over 20
 * orders, each applied exactly once and in its order's arrival order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeWorker } from '../../src/worker/change-worker.js';
import { makeDeps } from '../../src/app/deps.js';
import { verifyIntegrity } from '../../src/app/verify.js';
import { createDatabase } from '../../src/db/database.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

describe.runIf(ENGINES.includes('postgres'))('two workers on one PostgreSQL', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext('postgres', { worker: false });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('applies 200 changes over 20 orders exactly once each, in arrival order per order', async () => {
    const orders: { id: string }[] = [];
    for (let i = 0; i < 20; i++) {
      orders.push(
        (
          await ctx.app.inject({
            method: 'POST',
            url: '/v1/orders',
            headers: auth(KEYS.integration),
            payload: anImport({ lines: [{ sku: 'MILK', quantity: 1 }] }),
          })
        ).json(),
      );
    }
    // Rounds: the n-th change of every order arrives after its (n−1)-th; each moves money, so all queue.
    const arrival = new Map<string, string[]>();
    for (let n = 0; n < 10; n++) {
      const answers = await Promise.all(
        orders.map((o) =>
          ctx.app.inject({
            method: 'POST',
            url: `/v1/orders/${o.id}/changes`,
            headers: auth(KEYS.agent),
            payload: {
              operations: [
                { op: 'adjustTotal', increment: n + 1 },
                { op: 'setCustomAttributes', set: { n } },
              ],
              reason: { code: 'CUSTOMER_REQUEST' },
            },
          }),
        ),
      );
      answers.forEach((a, i) => {
        expect(a.statusCode).toBe(202);
        const id = (orders[i] as { id: string }).id;
        arrival.set(id, [...(arrival.get(id) ?? []), a.json().id]);
      });
    }

    const second = await createDatabase({ databaseUrl: ctx.database.url, poolSize: 4 });
    const workers = [
      new ChangeWorker(ctx.deps, { concurrency: 2, idleMs: 20 }),
      new ChangeWorker(makeDeps({ db: second.db, engine: 'postgres' }), {
        concurrency: 2,
        idleMs: 20,
      }),
    ];
    const started = Date.now();
    workers.forEach((w) => w.start());
    try {
      for (let i = 0; i < 600; i++) {
        const open = await ctx.deps.db
          .selectFrom('change_requests')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', 'in', ['validated', 'applying'])
          .executeTakeFirstOrThrow();
        if (Number(open.n) === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await second.close();
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `two workers: 200 queued changes applied in ${seconds.toFixed(2)} s (${(200 / seconds).toFixed(0)} changes/s)`,
    );

    const changes = await ctx.deps.db
      .selectFrom('change_requests')
      .select(['id', 'order_id', 'status', 'order_version', 'transitions'])
      .execute();
    expect(changes).toHaveLength(200);
    expect(changes.every((c) => c.status === 'applied')).toBe(true);
    // Both workers took part (a transition's actor is the worker that made it).
    const byWorker = new Set(
      changes.flatMap((c) =>
        (c.transitions as { status: string; actorId: string }[])
          .filter((t) => t.status === 'applying')
          .map((t) => t.actorId),
      ),
    );
    expect([...byWorker].sort()).toEqual(workers.map((w) => w.token).sort());
    for (const order of orders) {
      const ids = arrival.get(order.id) as string[];
      const versions = ids.map((id) => changes.find((c) => c.id === id)?.order_version);
      expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const after = (
        await ctx.app.inject({ url: `/v1/orders/${order.id}`, headers: auth() })
      ).json();
      expect(after).toMatchObject({
        version: 10,
        customAttributes: { n: 9 },
        adjustments: { increment: 55 },
      });
      expect(after.payments[0].authorized).toBe(after.totals.grandTotal);
    }
    const charges = await ctx.deps.db
      .selectFrom('payment_simulator_ledger')
      .select(['key', 'outcome'])
      .execute();
    expect(charges).toHaveLength(200);
    expect(new Set(charges.map((c) => c.key)).size).toBe(200);
    const audit = await ctx.deps.db
      .selectFrom('audit_entries')
      .select('change_id')
      .distinct()
      .execute();
    expect(audit).toHaveLength(200);
    expect((await verifyIntegrity(ctx.deps)).violations).toEqual([]);
  }, 60_000);
});
