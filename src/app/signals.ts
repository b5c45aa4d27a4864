/**
 * In-process wake-ups: a committed change wakes the workers, the requests waiting on it
 * (`Prefer: wait`) and the event streams at once. They also poll, so several processes on one
 * database still work; this only removes the polling delay inside one process.
 * Each kind counts its signals, so a listener that was busy when one came does not sleep past it.
 */
import { EventEmitter } from 'node:events';

import type { Change } from '../domain/change/change.js';

type Kind = 'work' | 'events' | 'intake' | { changeId: string };
const nameOf = (kind: Kind) => (typeof kind === 'string' ? kind : `change:${kind.changeId}`);

/**
 * Counts kept per change: one entry per change ever moved would grow without end, so the oldest go.
 * A waiter whose count went only wakes at once and reads the change from the database.
 */
const MAX_CHANGE_COUNTS = 10_000;

export class Signals {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly counts = new Map<string, number>();
  private changeCounts = 0;
  private stopping = false;

  private emit(name: string, payload?: unknown): void {
    const count = this.counts.get(name);
    if (
      count === undefined &&
      name.startsWith('change:') &&
      ++this.changeCounts > MAX_CHANGE_COUNTS
    ) {
      for (const key of this.counts.keys())
        if (key.startsWith('change:')) {
          this.counts.delete(key);
          this.changeCounts--;
          break;
        }
    }
    this.counts.set(name, (count ?? 0) + 1);
    this.emitter.emit(name, payload);
  }

  /**
   * A change moved (any status); also means new outbox events. `change`: the change as committed, for
   * whoever waits on it in this process (so it need not read it back).
   */
  changeMoved(changeId: string, change?: Change): void {
    this.emit(`change:${changeId}`, change);
    this.emit('events');
  }

  /** Calls `listener` on every signal of that kind until the returned function is called. */
  subscribe(kind: 'work' | 'intake' | 'events' | 'shutdown', listener: () => void): () => void {
    this.emitter.on(kind, listener);
    return () => this.emitter.off(kind, listener);
  }

  /** Events were committed to the outbox (outside a change): wakes the event streams and relays. */
  eventsWritten(): void {
    this.emit('events');
  }

  /** An intake record waits for the intake worker (received, replayed). */
  intakeQueued(): void {
    this.emit('intake');
  }

  /** Work was queued for the change workers. */
  workQueued(): void {
    this.emit('work');
  }

  /** The process is shutting down: every waiter wakes now, and long waits (`Prefer: wait`) answer early. */
  shutdown(): void {
    this.stopping = true;
    this.emitter.emit('shutdown');
  }

  get shuttingDown(): boolean {
    return this.stopping;
  }

  /** How many signals of that kind came so far: pass it to `next` to catch one that comes meanwhile. */
  mark(kind: Kind): number {
    return this.counts.get(nameOf(kind)) ?? 0;
  }

  /**
   * Resolves on the next signal of that kind (at once if one came since `since`), or after `ms`; with
   * what the signal carried (a changeMoved's change), if anything.
   */
  next(kind: Kind, ms: number, since?: number): Promise<unknown> {
    const name = nameOf(kind);
    if (this.stopping || (since !== undefined && this.mark(kind) !== since))
      return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const done = (payload?: unknown) => {
        clearTimeout(timer);
        this.emitter.off(name, done);
        this.emitter.off('shutdown', done);
        resolve(payload);
      };
      const timer = setTimeout(done, ms);
      this.emitter.once(name, done);
      this.emitter.once('shutdown', done);
    });
  }
}
