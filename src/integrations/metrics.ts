/**
 * The process's Prometheus metrics (prom-client; docs/operations.md lists every name, and
 * docs/grafana-dashboard.json charts exactly these). What this process does is counted as it happens;
 * what lives in the database (changes by status, queue, outbox, deliveries) is read at scrape time by
 * a collect callback, one statement per figure, cached for `cacheMs`.
 */
import client from 'prom-client';
import type { Database } from '../db/database.js';
import {
  changeCountsByStatus,
  changeQueueFigures,
  outboxFigures,
  webhookDeliveryFigures,
} from '../db/metrics.js';

const FINAL = new Set(['applied', 'rejected', 'failed', 'canceled']);

export type DeliveryResult = 'succeeded' | 'failed' | 'timeout' | 'unreachable' | 'refused';

export interface MetricsOptions {
  /** Node's process metrics (CPU, memory, event loop, GC); off in tests that build many apps. */
  processMetrics?: boolean;
  cacheMs?: number;
}

/** A change as far as metrics read it. */
interface ChangeLike {
  status: string;
  outcome?: { code?: string } | null;
  transitions: readonly { status: string; at: string }[];
}

export class Metrics {
  readonly registry = new client.Registry();
  readonly httpRequests: client.Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: client.Histogram<'method' | 'route' | 'status'>;
  private readonly resolution: client.Histogram<'status'>;
  private readonly deliveries: client.Counter<'result'>;
  private readonly natsLag: client.Histogram;
  private readonly natsPublished: client.Counter;

  constructor(db: Database, options: MetricsOptions = {}) {
    const registers = [this.registry];
    const cacheMs = options.cacheMs ?? 5_000;
    if (options.processMetrics !== false)
      client.collectDefaultMetrics({ register: this.registry, prefix: 'amend_' });
    this.httpRequests = new client.Counter({
      name: 'amend_http_requests_total',
      help: 'HTTP requests answered, by method, route and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new client.Histogram({
      name: 'amend_http_request_duration_seconds',
      help: 'Time to answer an HTTP request.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.resolution = new client.Histogram({
      name: 'amend_change_resolution_seconds',
      help: 'From a change request received to its final outcome, by final status (observed by the process that finished it).',
      labelNames: ['status'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
      registers,
    });
    this.deliveries = new client.Counter({
      name: 'amend_webhook_deliveries_total',
      help: 'Webhook delivery attempts made by this process, by result.',
      labelNames: ['result'],
      registers,
    });
    this.natsLag = new client.Histogram({
      name: 'amend_nats_publish_lag_seconds',
      help: 'From an event committed to the outbox to its publication on NATS JetStream.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.natsPublished = new client.Counter({
      name: 'amend_nats_published_events_total',
      help: 'Events this process published to NATS JetStream.',
      registers,
    });

    const collectErrors = new client.Counter({
      name: 'amend_metrics_collect_errors_total',
      help: 'Database figures that could not be read for a scrape (the scrape answers without them).',
      registers,
    });
    const changes = cached(cacheMs, () => changeCountsByStatus(db));
    const queue = cached(cacheMs, () => changeQueueFigures(db));
    const outbox = cached(cacheMs, () => outboxFigures(db));
    const hooks = cached(cacheMs, () => webhookDeliveryFigures(db));
    const gauge = <L extends string>(
      name: string,
      help: string,
      labelNames: L[],
      collect: (g: client.Gauge<L>) => Promise<void>,
    ) =>
      new client.Gauge<L>({
        name,
        help,
        labelNames,
        registers,
        async collect() {
          this.reset();
          await collect(this).catch(() => collectErrors.inc());
        },
      });
    gauge(
      'amend_changes',
      'Changes in the database, by status and outcome code.',
      ['status', 'code'],
      async (g) => {
        for (const r of await changes()) g.set({ status: r.status, code: r.code }, r.n);
      },
    );
    gauge('amend_worker_queue_depth', 'Changes queued or being applied.', [], async (g) =>
      g.set((await queue()).depth),
    );
    gauge('amend_worker_queue_due', 'Queued changes whose turn has come.', [], async (g) =>
      g.set((await queue()).due),
    );
    gauge(
      'amend_worker_queue_lag_seconds',
      'How long the oldest due change has waited for a worker.',
      [],
      async (g) => g.set((await queue()).lagSeconds),
    );
    gauge(
      'amend_outbox_unpublished_events',
      'Outbox events not yet published to NATS (grows when NATS_URL is unset: nothing publishes then).',
      [],
      async (g) => g.set((await outbox()).unpublished),
    );
    gauge(
      'amend_outbox_lag_seconds',
      'Age of the oldest outbox event not yet published to NATS.',
      [],
      async (g) => g.set((await outbox()).lagSeconds),
    );
    gauge(
      'amend_webhook_deliveries',
      'Webhook deliveries in the database, by status.',
      ['status'],
      async (g) => {
        for (const [status, n] of Object.entries((await hooks()).byStatus)) g.set({ status }, n);
      },
    );
    gauge(
      'amend_webhook_delivery_lag_seconds',
      'How long the oldest due webhook delivery has waited for its attempt.',
      [],
      async (g) => g.set((await hooks()).lagSeconds),
    );
  }

  /** A change moved; a final one is timed from its first transition (received) to its last. */
  changeMoved(change: ChangeLike): void {
    if (!FINAL.has(change.status)) return;
    const first = change.transitions[0];
    const last = change.transitions[change.transitions.length - 1];
    if (!first || !last) return;
    const seconds = (Date.parse(last.at) - Date.parse(first.at)) / 1000;
    if (Number.isFinite(seconds)) this.resolution.observe({ status: change.status }, seconds);
  }

  webhookAttempt(result: DeliveryResult): void {
    this.deliveries.inc({ result });
  }

  natsPublishedEvent(createdAt: Date): void {
    this.natsPublished.inc();
    this.natsLag.observe(Math.max(0, (Date.now() - createdAt.getTime()) / 1000));
  }

  /** The exposition text (for GET /metrics and `amend worker`'s METRICS_PORT). */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** One read shared by the gauges of a scrape and by scrapes within `ms`. */
function cached<T>(ms: number, read: () => Promise<T>): () => Promise<T> {
  let at = 0;
  let value: Promise<T> | null = null;
  return () => {
    if (!value || Date.now() - at > ms) {
      at = Date.now();
      value = read().catch((err: unknown) => {
        value = null; // a failed read is tried again at the next scrape
        throw err;
      });
    }
    return value;
  };
}
