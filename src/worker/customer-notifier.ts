/**
 * Sends customer notices by e-mail (docs/notifications.md): at least once, from the outbox-filed
 * notifications; a failed attempt is retried after retryBaseMs × 2^(n−1) × U[0.5, 1.5]; after
 * maxAttempts the notice is dead (the dead letter, listed with the order). With no mailer (no
 * SMTP_URL) a notice is recorded as not sent, with that reason — never silently dropped.
 */
import type { Deps } from '../app/deps.js';
import {
  claimDueNotifications,
  recordNotificationOutcomes,
  type DueNotification,
  type RecordedAttempt,
} from '../db/customer-notifications.js';
import { retryDelayMs } from '../domain/change/lifecycle.js';
import { effectiveSettings } from '../domain/settings.js';
import type { BackgroundService } from './background.js';

export const NO_SMTP_REASON = 'SMTP_URL is not set: this server sends no e-mail.';

export interface NotifierOptions {
  idleMs: number;
  /** While changes flow, claims are at least this far apart (each change signals "events"). */
  minGapMs: number;
  batch: number;
  leaseMs: number;
}

export class CustomerNotifier implements BackgroundService {
  readonly name = 'customer notifier';
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly options: NotifierOptions;

  constructor(
    private readonly deps: Deps,
    options: Partial<NotifierOptions> = {},
  ) {
    this.options = { idleMs: 500, minGapMs: 100, batch: 50, leaseMs: 60_000, ...options };
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
    this.deps.mailer?.close();
  }

  /** Works what is due now; answers how many notices it attempted. Their outcomes commit together. */
  async sendDue(): Promise<number> {
    const due = await claimDueNotifications(this.deps.db, this.options.batch, this.options.leaseMs);
    await recordNotificationOutcomes(
      this.deps.db,
      await Promise.all(due.map((n) => this.attempt(n))),
    );
    return due.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let made = 0;
      const mark = this.deps.signals.mark('events');
      const polled = Date.now();
      try {
        made = await this.sendDue();
      } catch (err) {
        this.deps.log.error({ err }, 'customer notifier: unexpected failure');
      }
      // A full batch may have more behind it: claim again at once. Otherwise wait for new events, and
      // while they keep coming claim at most every minGapMs: a claim per change (two, with the empty
      // one after it) cost more database time than the notices themselves.
      if (made < this.options.batch && this.running) {
        await this.deps.signals.next('events', this.options.idleMs, mark);
        const rest = polled + this.options.minGapMs - Date.now();
        if (rest > 0 && this.running) await new Promise((r) => setTimeout(r, rest));
      }
    }
  }

  private async attempt(n: DueNotification): Promise<RecordedAttempt> {
    const base = { orderId: n.orderId, changeId: n.changeId };
    const event = (type: string, data: object) => ({
      id: this.deps.ids('evt'),
      type,
      ...base,
      data: { notificationId: n.id, to: n.recipient, ...data },
    });
    const mailer = this.deps.mailer;
    if (!mailer)
      return {
        notification: n,
        outcome: {
          status: 'not-sent',
          attempts: n.attempts,
          error: NO_SMTP_REASON,
          messageId: null,
          nextAttemptAt: null,
        },
        event: event('CUSTOMER_NOTIFICATION_NOT_SENT', { reason: NO_SMTP_REASON }),
      };
    const policy = effectiveSettings(n.settings).notifications.customer;
    const attempts = n.attempts + 1;
    try {
      const { messageId } = await mailer.send({
        from: policy.from,
        to: n.recipient,
        subject: n.subject,
        text: n.body,
        notificationId: n.id,
      });
      return {
        notification: n,
        outcome: { status: 'sent', attempts, error: null, messageId, nextAttemptAt: null },
        event: event('CUSTOMER_NOTIFIED', { attempts, messageId }),
      };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const dead = attempts >= policy.maxAttempts;
      const next = dead
        ? null
        : new Date(
            this.deps.clock().getTime() + retryDelayMs(policy.retryBaseMs, attempts, Math.random()),
          );
      this.deps.log.warn(
        { notificationId: n.id, attempts, dead, err: error },
        'customer notice not delivered',
      );
      return {
        notification: n,
        outcome: {
          status: dead ? 'dead' : 'retrying',
          attempts,
          error,
          messageId: null,
          nextAttemptAt: next,
        },
        event: dead ? event('CUSTOMER_NOTIFICATION_DEAD', { attempts, lastError: error }) : null,
      };
    }
  }
}
