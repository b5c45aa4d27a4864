/**
 * Publishes the outbox to NATS JetStream when NATS_URL is set (API.md §5): stream AMEND_EVENTS,
 * subject `amend.<tenantId>.<TYPE>`, header `Nats-Msg-Id` = the event id, so JetStream drops a
 * duplicate that a crash between publishing and marking may cause. `outbox_events.published_at`
 * is the cursor; batches are claimed with SKIP LOCKED, so several processes may publish.
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Kysely } from 'kysely';
import { markPublished, unpublishedEvents, type UnpublishedEvent } from '../db/outbox.js';
import type { DB } from '../db/schema.js';
import type { BackgroundService } from './background.js';
import type { Deps } from '../app/deps.js';
import { eventEnvelope } from '../domain/events.js';

export const STREAM = 'AMEND_EVENTS';

export const subjectOf = (tenantId: string, type: string) => `amend.${tenantId}.${type}`;

export class NatsPublisher implements BackgroundService {
  readonly name = 'NATS JetStream publisher';
  private running = false;
  private loop: Promise<void> | null = null;
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;

  constructor(
    private readonly deps: Deps,
    private readonly url: string,
    private readonly options = { idleMs: 200, batch: 200 },
  ) {}

  async connect(): Promise<this> {
    // Loaded only when NATS is configured: the client libraries cost a server without it ~6 MB.
    const [{ connect }, { jetstream, jetstreamManager }] = await Promise.all([
      import('@nats-io/transport-node'),
      import('@nats-io/jetstream'),
    ]);
    // Reconnect for as long as the process runs: the outbox keeps what is not published meanwhile.
    this.nc = await connect({ servers: this.url, name: 'amend', maxReconnectAttempts: -1 });
    const jsm = await jetstreamManager(this.nc);
    try {
      await jsm.streams.info(STREAM);
    } catch {
      await jsm.streams.add({ name: STREAM, subjects: ['amend.>'] });
    }
    this.js = jetstream(this.nc);
    return this;
  }

  start(): this {
    this.running = true;
    this.loop = this.run();
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.nc?.drain().catch(() => undefined);
  }

  /**
   * Publishes one batch of unpublished events in `seq` order and marks them; answers how many. On
   * PostgreSQL the batch is claimed FOR UPDATE SKIP LOCKED, so publishers in several processes take
   * different batches. PGlite is one process with one connection that every request needs, so there
   * the batch is read without holding a transaction while NATS answers. If a publish fails, the events
   * before it are marked and the error is thrown; the rest go in a later batch.
   */
  async publishBatch(): Promise<number> {
    const js = this.js;
    if (!js) throw new Error('connect() first');
    const { count, failure } =
      this.deps.engine === 'pglite'
        ? await this.publishAndMark(js, this.deps.db, false)
        : await this.deps.db.transaction().execute((tx) => this.publishAndMark(js, tx, true));
    if (failure) throw failure;
    return count;
  }

  /** Never throws for a failed publish (the marks of those before it must commit): answers it. */
  private async publishAndMark(
    js: JetStreamClient,
    db: Kysely<DB>,
    lock: boolean,
  ): Promise<{ count: number; failure: unknown }> {
    const rows = await unpublishedEvents(db, this.options.batch, lock);
    const published: UnpublishedEvent[] = [];
    let failure: unknown = null;
    for (const r of rows) {
      const body = JSON.stringify(
        eventEnvelope({
          id: r.id,
          type: r.type,
          at: new Date(r.created_at).toISOString(),
          orderId: r.order_id,
          changeId: r.change_id,
          data: r.data,
        }),
      );
      try {
        await js.publish(subjectOf(r.tenant_id, r.type), body, { msgID: r.id });
      } catch (err) {
        failure = err;
        break;
      }
      published.push(r);
      this.deps.metrics.natsPublishedEvent(new Date(r.created_at));
    }
    await markPublished(db, published);
    return { count: published.length, failure };
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (!this.js) {
        try {
          await this.connect();
          this.deps.log.info({ url: this.url, stream: STREAM }, 'NATS publisher connected');
        } catch (err) {
          this.deps.log.error(
            { err, url: this.url },
            'NATS publisher: cannot connect; trying again in 1 s',
          );
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
      }
      let published = 0;
      const mark = this.deps.signals.mark('events');
      try {
        published = await this.publishBatch();
      } catch (err) {
        this.deps.log.error({ err }, 'NATS publisher: publishing failed; trying again in 1 s');
        if (this.running) await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (published === 0 && this.running)
        await this.deps.signals.next('events', this.options.idleMs, mark);
    }
  }
}
