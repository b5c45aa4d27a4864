/**
 * In-process wake-ups: a committed change wakes the workers, the requests waiting on it
 * (`Prefer: wait`) and the event streams at once. They also poll, so several processes on one
 * database still work; this only removes the polling delay inside one process.
 * Each kind counts its signals, so a listener that was busy when one came does not sleep past it.
 */
import { EventEmitter } from 'node:events';

type Kind = 'work' | 'events' | 'intake' | { changeId: string };
const nameOf = (kind: Kind) => (typeof kind === 'string' ? kind : `change:${kind.changeId}`);

export class Signals {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly counts = new Map<string, number>();
  private stopping = false;

  private emit(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    this.emitter.emit(name);
  }

  /** A change moved (any status); also means new outbox events. */
  changeMoved(changeId: string): void {
    this.emit(`change:${changeId}`);
    this.emit('events');
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

  /** Resolves on the next signal of that kind (at once if one came since `since`), or after `ms`. */
  next(kind: Kind, ms: number, since?: number): Promise<void> {
    const name = nameOf(kind);
    if (this.stopping || (since !== undefined && this.mark(kind) !== since))
      return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.emitter.off(name, done);
        this.emitter.off('shutdown', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.emitter.once(name, done);
      this.emitter.once('shutdown', done);
    });
  }
}
