/**
 * Round trips per change (issue 13 points 2 and 5), counted at the dialect: every statement sent,
 * BEGIN and COMMIT included. The gateway is a fake in memory, so only Amend's own trips count.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeDeps, type Deps } from '../../src/app/deps.js';
import { cachedSettings, TTL_MS } from '../../src/app/reference-cache.js';
import { createDatabase } from '../../src/db/database.js';
import { buildApp, type App } from '../../src/http/app.js';
import type { GatewayCall, PaymentGateway } from '../../src/integrations/payments/gateway.js';
import { ChangeWorker } from '../../src/worker/change-worker.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS, RELAXED_APPROVAL, seedFixture } from '../support/fixture.js';

const reason = { code: 'CUSTOMER_REQUEST' };
const auth = (key: string) => ({ authorization: `Bearer ${key}` });

/** A gateway in memory that answers as told (it can fail too). */
function fakeGateway() {
  const calls: GatewayCall[] = [];
  let failure: 'none' | 'timeout' = 'none';
  const gateway: PaymentGateway = {
    name: 'fake',
    async call(call) {
      calls.push(call);
      return failure === 'timeout'
        ? { outcome: 'timeout', detail: 'no answer' }
        : { outcome: 'succeeded', reference: `ref_${calls.length}` };
    },
  };
  return { gateway, calls, fail: (f: 'none' | 'timeout') => (failure = f) };
}

describe.each(ENGINES)('round trips on %s', (engine) => {
  let database: TestDatabase;
  let deps: Deps;
  let app: App;
  const fake = fakeGateway();
  let trips: string[] = [];
  const counted = async (run: () => Promise<unknown>) => {
    trips = [];
    await run();
    return [...trips];
  };

  beforeAll(async () => {
    database = await freshDatabase(engine, 10, (sql) => trips.push(sql));
    await seedFixture(database.db);
    deps = makeDeps({ db: database.db, engine, gateway: fake.gateway });
    app = await buildApp(deps);
    await app.ready();
    await app.inject({
      method: 'PATCH',
      url: '/v1/settings',
      headers: auth(KEYS.admin),
      payload: { approval: RELAXED_APPROVAL },
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const importOrder = async () =>
    (
      await app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(),
      })
    ).json();

  it('works a money-moving change in at most 6 round trips (4 when nothing conflicts)', async () => {
    const order = await importOrder();
    const worker = new ChangeWorker(deps, { concurrency: 1 });
    const queued = await app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/changes`,
      headers: auth(KEYS.agent),
      payload: { operations: [{ op: 'addItem', sku: 'MILK', quantity: 1 }], reason },
    });
    expect(queued.statusCode).toBe(202);
    await worker.workOne('warm'); // settings and catalogue into this process's cache
    const second = await app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/changes`,
      headers: auth(KEYS.agent),
      payload: {
        operations: [{ op: 'setQuantity', lineId: order.lines[0].lineId, quantity: 3 }],
        reason,
      },
    });
    expect(second.statusCode).toBe(202);
    const calls = fake.calls.length;
    const sent = await counted(() => worker.workOne('w1'));
    expect(fake.calls.length).toBe(calls + 1);
    const change = (
      await app.inject({ url: `/v1/changes/${second.json().id}`, headers: auth(KEYS.agent) })
    ).json();
    expect(change.status).toBe('applied');
    expect(sent.length, sent.join('\n')).toBeLessThanOrEqual(6);
    // claim+read, load, applying+calls recorded, commit; the settings only when their cache ran out.
    expect(sent.filter((s) => !/from "tenants"/.test(s))).toHaveLength(4);
  });

  it('previews in one round trip and writes nothing; applies in two', async () => {
    const order = await importOrder();
    // The caches' clock (Date.now) stands still while we count: on a loaded machine the warm-up and
    // the counted request may lie further apart than the caches' 500 ms, and a miss is no regression.
    const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now());
    try {
      await previewsAndApplies(order);
    } finally {
      clock.mockRestore();
    }
  });

  async function previewsAndApplies(order: Awaited<ReturnType<typeof importOrder>>): Promise<void> {
    const body = { operations: [{ op: 'setCustomAttributes', set: { gate: 'B' } }], reason };
    const preview = () =>
      app.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/changes/preview`,
        headers: auth(KEYS.agent),
        payload: body,
      });
    await preview(); // the key and the catalogue into the caches
    const sent = await counted(preview);
    expect(sent, sent.join('\n')).toHaveLength(1);
    // A named prepared statement (src/db/prepared.ts) carries its mark first.
    expect(sent[0]).toMatch(/^\s*(\/\* prepared \*\/\s*)?SELECT/i);
    expect(sent[0]).not.toMatch(/nextval/); // not even a ticket number is drawn
    const quantity = {
      operations: [{ op: 'setQuantity', lineId: order.lines[1].lineId, quantity: 1 }],
      reason,
    };
    await app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/changes/preview`,
      headers: auth(KEYS.agent),
      payload: quantity,
    });
    const routed = await counted(() =>
      app.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/changes/preview`,
        headers: auth(KEYS.agent),
        payload: quantity,
      }),
    );
    expect(routed).toHaveLength(1); // stock comes with the order
    const applied = await counted(() =>
      app.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/changes`,
        headers: auth(KEYS.agent),
        payload: body,
      }),
    );
    expect(applied).toHaveLength(2); // load, commit
    // Now the order is cached as committed (src/app/order-cache.ts): the next change reads a ticket
    // (and the stock it routes on), not the order.
    const post = (operations: unknown[]) =>
      app.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/changes`,
        headers: auth(KEYS.agent),
        payload: { operations, reason },
      });
    const again = await counted(() => post([{ op: 'setCustomAttributes', set: { gate: 'C' } }]));
    expect(again, again.join('\n')).toHaveLength(2);
    expect(again[0]).toMatch(/nextval/);
    expect(again[0]).not.toMatch(/change_count/);
    // A change that waits (money moves) is not decided on the cache alone: its revision is checked.
    const waits = await counted(() => post([{ op: 'addItem', sku: 'MILK', quantity: 1 }]));
    expect(waits, waits.join('\n')).toHaveLength(3);
    expect(waits[1]).toMatch(/SELECT revision FROM orders/);
  }
});

// Two pools on one server stand for two processes; PGlite has one process by design, so PostgreSQL only.
describe.runIf(ENGINES.includes('postgres'))('settings cached per process on postgres', () => {
  it('shows a PATCH /v1/settings made through one pool to the other within 1 s', async () => {
    const database = await freshDatabase('postgres');
    const other = await createDatabase({ databaseUrl: database.url, poolSize: 2 });
    try {
      await seedFixture(database.db);
      const deps = makeDeps({ db: database.db, engine: 'postgres' });
      const app = await buildApp(deps);
      await app.ready();
      const before = await cachedSettings(other.db, 't1');
      expect(before?.payments.retryBudget).not.toBe(7);
      const patched = Date.now();
      await app.inject({
        method: 'PATCH',
        url: '/v1/settings',
        headers: auth(KEYS.admin),
        payload: { payments: { retryBudget: 7 } },
      });
      let seenAfter = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 40; i++) {
        if ((await cachedSettings(other.db, 't1'))?.payments.retryBudget === 7) {
          seenAfter = Date.now() - patched;
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(seenAfter).toBeLessThan(1_000);
      expect(TTL_MS).toBeLessThan(1_000);
      await app.close();
    } finally {
      await other.close();
      await database.drop();
    }
  });
});
