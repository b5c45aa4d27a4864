/**
 * The NATS JetStream publisher against the NATS server on 127.0.0.1:4222 (NATS_TEST_URL to move it):
 * every outbox event lands on amend.<tenant>.<TYPE> with Nats-Msg-Id = the event id, once.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsPublisher, STREAM } from '../../src/app/nats-publisher.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { anImport, KEYS } from '../support/fixture.js';

const NATS_URL = process.env.NATS_TEST_URL ?? 'nats://127.0.0.1:4222';

describe('NATS JetStream publisher', () => {
  let ctx: TestContext;
  let nc: NatsConnection;
  beforeAll(async () => {
    ctx = await createTestContext('pglite');
    nc = await connect({ servers: NATS_URL });
  });
  afterAll(async () => { await nc?.close(); await ctx?.close(); });

  it('publishes every event once, on its subject, with the event id as Nats-Msg-Id', async () => {
    const publisher = await new NatsPublisher(ctx.deps, NATS_URL).connect();
    const order = (await ctx.app.inject({ method: 'POST', url: '/v1/orders', headers: auth(KEYS.integration), payload: anImport() })).json();
    await ctx.app.inject({ method: 'POST', url: `/v1/orders/${order.id}/changes`, headers: auth(KEYS.agent), payload: { operations: [{ op: 'setCustomAttributes', set: { a: 1 } }], reason: { code: 'CUSTOMER_REQUEST' } } });
    const events = await ctx.deps.db.selectFrom('outbox_events').select(['id', 'type']).where('order_id', '=', order.id).orderBy('seq').execute();
    expect(events.length).toBeGreaterThan(3);

    let published = 0;
    for (let n = await publisher.publishBatch(); n > 0; n = await publisher.publishBatch()) published += n;
    expect(published).toBeGreaterThanOrEqual(events.length);
    expect(await publisher.publishBatch()).toBe(0);
    const left = await ctx.deps.db.selectFrom('outbox_events').select('id').where('published_at', 'is', null).execute();
    expect(left).toEqual([]);

    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    for (const e of events) {
      const msg = await jsm.streams.getMessage(STREAM, { last_by_subj: `amend.t1.${e.type}` });
      expect(msg).not.toBeNull();
    }
    // The created event is on its subject with its id as the message id; publishing it again is a duplicate.
    const created = events.find((e) => e.type === 'ORDER_CREATED') as { id: string; type: string };
    const ack = await js.publish('amend.t1.ORDER_CREATED', JSON.stringify({ id: created.id }), { msgID: created.id });
    expect(ack.duplicate).toBe(true);
    await publisher.stop();
  });
});
