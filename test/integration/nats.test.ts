/**
 * The NATS JetStream publisher against the NATS server on 127.0.0.1:4222 (NATS_TEST_URL to move it):
 * every outbox event lands on amend.<tenant>.<TYPE> with Nats-Msg-Id = the event id, once. The
 * stream is shared with other runs (other worktrees, CI), so the test reads from the time it started
 * and looks for its own events by id.
 */
import { DeliverPolicy, jetstream, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsPublisher, STREAM } from '../../src/worker/nats-publisher.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

const NATS_URL = process.env.NATS_TEST_URL ?? 'nats://127.0.0.1:4222';

/** Reads the stream's amend.t1.> messages from `since` until every id in `ids` was seen (or `ms` passed). */
async function messagesOf(
  nc: NatsConnection,
  since: Date,
  ids: Set<string>,
  ms = 15_000,
): Promise<Map<string, JsMsg[]>> {
  const consumer = await jetstream(nc).consumers.get(STREAM, {
    filter_subjects: 'amend.t1.>',
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: since.toISOString(),
  });
  const found = new Map<string, JsMsg[]>();
  const end = Date.now() + ms;
  while (Date.now() < end && [...ids].some((id) => !found.has(id))) {
    const msg = await consumer.next({ expires: 1000 });
    const id = msg?.headers?.get('Nats-Msg-Id');
    if (msg && id && ids.has(id)) found.set(id, [...(found.get(id) ?? []), msg]);
  }
  return found;
}

describe.each(ENGINES)('NATS JetStream publisher on %s', (engine) => {
  let ctx: TestContext;
  let nc: NatsConnection;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
    nc = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await nc?.close();
    await ctx?.close();
  });

  const importOrder = async () =>
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(),
      })
    ).json() as { id: string };
  const eventsOf = (orderId: string) =>
    ctx.deps.db
      .selectFrom('outbox_events')
      .select(['id', 'type', 'order_id', 'change_id'])
      .where('order_id', '=', orderId)
      .orderBy('seq')
      .execute();

  it('publishes every event once, on amend.<tenant>.<TYPE>, with the event id as Nats-Msg-Id and the event as body', async () => {
    const since = new Date(Date.now() - 1000);
    const publisher = await new NatsPublisher(ctx.deps, NATS_URL).connect();
    const order = await importOrder();
    await ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/changes`,
      headers: auth(KEYS.agent),
      payload: {
        operations: [{ op: 'setCustomAttributes', set: { a: 1 } }],
        reason: { code: 'CUSTOMER_REQUEST' },
      },
    });
    const events = await eventsOf(order.id);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['ORDER_CREATED', 'CHANGE_APPLIED']),
    );

    let published = 0;
    for (let n = await publisher.publishBatch(); n > 0; n = await publisher.publishBatch())
      published += n;
    expect(published).toBeGreaterThanOrEqual(events.length);
    expect(await publisher.publishBatch()).toBe(0);
    const metrics = await ctx.deps.metrics.text();
    const count = Number(/^amend_nats_publish_lag_seconds_count (\d+)$/m.exec(metrics)?.[1]);
    expect(count).toBe(published);
    expect(metrics).toMatch(new RegExp(`^amend_nats_published_events_total ${published}$`, 'm'));
    expect(
      await ctx.deps.db
        .selectFrom('outbox_events')
        .select('id')
        .where('published_at', 'is', null)
        .execute(),
    ).toEqual([]);

    const found = await messagesOf(nc, since, new Set(events.map((e) => e.id)));
    for (const e of events) {
      const msgs = found.get(e.id) ?? [];
      expect(msgs, `${e.type} ${e.id} on NATS`).toHaveLength(1);
      const msg = msgs[0] as JsMsg;
      expect(msg.subject).toBe(`amend.t1.${e.type}`);
      expect(msg.json()).toMatchObject({
        id: e.id,
        type: e.type,
        orderId: order.id,
        changeId: e.change_id,
      });
    }
    // Publishing an event again (a crash between publishing and marking) is a duplicate JetStream drops.
    const created = events.find((e) => e.type === 'ORDER_CREATED') as { id: string };
    const ack = await jetstream(nc).publish(
      'amend.t1.ORDER_CREATED',
      JSON.stringify({ id: created.id }),
      { msgID: created.id },
    );
    expect(ack.duplicate).toBe(true);
    await publisher.stop();
  });

  it('marks the events published before a failed publish, and publishes the rest in a later batch', async () => {
    const publisher = await new NatsPublisher(ctx.deps, NATS_URL).connect();
    try {
      while ((await publisher.publishBatch()) > 0);
      const order = await importOrder();
      await ctx.app.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/changes`,
        headers: auth(KEYS.agent),
        payload: {
          operations: [{ op: 'setCustomAttributes', set: { b: 1 } }],
          reason: { code: 'CUSTOMER_REQUEST' },
        },
      });
      const events = await eventsOf(order.id);
      expect(events.length).toBeGreaterThan(3);
      // NATS fails on the third publish of the batch.
      const inner = (publisher as unknown as { js: JetStreamClient }).js;
      let calls = 0;
      (publisher as unknown as { js: JetStreamClient }).js = new Proxy(inner, {
        get: (target, key) =>
          key === 'publish'
            ? (...args: Parameters<JetStreamClient['publish']>) =>
                ++calls === 3 ? Promise.reject(new Error('NATS is away')) : target.publish(...args)
            : Reflect.get(target, key),
      });
      await expect(publisher.publishBatch()).rejects.toThrow('NATS is away');
      const unpublished = async () =>
        (
          await ctx.deps.db
            .selectFrom('outbox_events')
            .select('id')
            .where('published_at', 'is', null)
            .orderBy('seq')
            .execute()
        ).map((e) => e.id);
      expect(await unpublished()).toEqual(events.slice(2).map((e) => e.id));
      (publisher as unknown as { js: JetStreamClient }).js = inner;
      expect(await publisher.publishBatch()).toBe(events.length - 2);
      expect(await unpublished()).toEqual([]);
    } finally {
      await publisher.stop();
    }
  });

  it('publishes by itself while running, events written after it started', async () => {
    const since = new Date(Date.now() - 1000);
    const publisher = new NatsPublisher(ctx.deps, NATS_URL, { idleMs: 50, batch: 200 }).start();
    try {
      const order = await importOrder();
      const events = await eventsOf(order.id);
      const found = await messagesOf(nc, since, new Set(events.map((e) => e.id)));
      expect([...found.keys()].sort()).toEqual(events.map((e) => e.id).sort());
      expect(found.get(events[0]?.id ?? '')?.[0]?.subject).toBe(`amend.t1.${events[0]?.type}`);
    } finally {
      await publisher.stop();
    }
  });
});
