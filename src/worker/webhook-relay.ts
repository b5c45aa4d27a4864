/**
 * Delivers webhook events (API.md §5): at least once, signed, with a stable event id; a failed
 * attempt is retried after retryBaseMs × 2^(n−1) × U[0.5, 1.5]; after `maxAttempts` the delivery is
 * dead until replayed. Deliveries are leased with SKIP LOCKED, so any number of relays share a database;
 * a relay that dies mid-delivery loses its lease and the delivery is attempted again.
 */
import { claimDueDeliveries, recordAttempt, type DueDelivery } from '../db/webhooks.js';
import { retryDelayMs } from '../domain/change/lifecycle.js';
import { effectiveSettings } from '../domain/settings.js';
import type { BackgroundService } from './background.js';
import type { Deps } from '../app/deps.js';
import { signatureHeaders } from '../integrations/webhook-signature.js';
import { postWebhook, type AttemptResult } from '../integrations/webhooks/post-webhook.js';

const TIMEOUT_MS = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `leaseMs`: how long a claimed delivery stays invisible to other relays (longer than an attempt's 5 s). */
export interface RelayOptions {
  idleMs: number;
  /** Shortest time between two claims when signals keep coming (each change signals). */
  minGapMs: number;
  batch: number;
  leaseMs: number;
}

export class WebhookRelay implements BackgroundService {
  readonly name = 'webhook relay';
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly options: RelayOptions;

  constructor(
    private readonly deps: Deps,
    options: Partial<RelayOptions> = {},
  ) {
    this.options = { idleMs: 200, minGapMs: 25, batch: 20, leaseMs: 30_000, ...options };
  }

  start(): this {
    this.running = true;
    this.loop = this.run();
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.deps.signals.eventsWritten();
    await this.loop;
  }

  /** Delivers what is due now; answers how many attempts were made. */
  async deliverDue(): Promise<number> {
    const due = await claimDueDeliveries(this.deps.db, this.options.batch, this.options.leaseMs);
    await Promise.all(due.map((d) => this.attempt(d)));
    return due.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let made = 0;
      const mark = this.deps.signals.mark('events');
      const polled = Date.now();
      try {
        made = await this.deliverDue();
      } catch (err) {
        this.deps.log.error({ err }, 'webhook relay: unexpected failure');
      }
      // New events in this process wake the relay at once; others are found by polling.
      if (made === 0 && this.running) {
        await this.deps.signals.next('events', this.options.idleMs, mark);
        // Every change signals: at hundreds a second, one claim per change would cost more than the
        // changes. Woken again within minGapMs, the relay waits out the rest of it first.
        const rest = polled + this.options.minGapMs - Date.now();
        if (rest > 0 && this.running) await sleep(rest);
      }
    }
  }

  private async attempt(d: DueDelivery): Promise<void> {
    const attempts = d.attempts + 1;
    const policy = effectiveSettings(d.settings).webhooks;
    if (d.deleted) {
      await this.record(d, {
        status: 'dead',
        attempts: d.attempts,
        statusCode: null,
        error: 'The webhook was deleted.',
        nextAttemptAt: null,
      });
      return;
    }
    // Relays that stopped mid-attempt used up the attempts (the claim counts them): no further one.
    if (d.attempts >= policy.maxAttempts) {
      await this.record(d, {
        status: 'dead',
        attempts: d.attempts,
        statusCode: null,
        error: 'A relay stopped during the attempt.',
        nextAttemptAt: null,
      });
      return;
    }
    const body = JSON.stringify(d.event);
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await postWebhook({
      url: d.url,
      body,
      timeoutMs: TIMEOUT_MS,
      guard: this.deps.webhookGuard,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Amend-Webhooks/1',
        'amend-event-id': d.event.id,
        'amend-event-type': d.event.type,
        'amend-delivery-id': d.id,
        // Standard Webhooks' webhook-id is the event id: the same across retries and replays.
        ...signatureHeaders(d.secret, { id: d.event.id, timestamp, body }),
      },
    });
    const ok = result.kind === 'answered' && result.status >= 200 && result.status < 300;
    this.deps.metrics.webhookAttempt(
      ok ? 'succeeded' : result.kind === 'answered' ? 'failed' : result.kind,
    );
    const statusCode = result.kind === 'answered' ? result.status : null;
    if (ok) {
      await this.record(d, {
        status: 'succeeded',
        attempts,
        statusCode,
        error: null,
        nextAttemptAt: null,
      });
      return;
    }
    const error = attemptError(result);
    const dead = attempts >= policy.maxAttempts;
    await this.record(d, {
      status: dead ? 'dead' : 'retrying',
      attempts,
      statusCode,
      error,
      nextAttemptAt: dead
        ? null
        : new Date(Date.now() + retryDelayMs(policy.retryBaseMs, attempts, Math.random())),
    });
  }

  private async record(
    d: DueDelivery,
    outcome: Parameters<typeof recordAttempt>[2],
  ): Promise<void> {
    if (!(await recordAttempt(this.deps.db, d, outcome))) {
      this.deps.log.warn(
        { delivery: d.id, tenantId: d.tenantId },
        'webhook relay: the lease ran out during the attempt; another relay owns the delivery now',
      );
    }
  }
}

/** What the subscriber reads in `lastError`: never an internal address or the network's own words. */
function attemptError(result: AttemptResult): string {
  switch (result.kind) {
    case 'answered':
      return `The receiver answered ${result.status}.`;
    case 'timeout':
      return `No answer within ${TIMEOUT_MS / 1000} s.`;
    case 'refused':
      return result.detail;
    case 'unreachable':
      return `Could not reach the receiver (${result.code}).`;
  }
}
