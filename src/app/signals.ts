/**
 * In-process wake-ups: a committed change wakes the workers, the requests waiting on it
 * (`Prefer: wait`) and the event streams at once. They also poll, so several processes on one
 * database still work; this only removes the polling delay inside one process.
 */
import { EventEmitter } from 'node:events';

export class Signals {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  /** A change moved (any status); also means new outbox events. */
  changeMoved(changeId: string): void {
    this.emitter.emit(`change:${changeId}`);
    this.emitter.emit('events');
  }

  /** Work was queued for the change workers. */
  workQueued(): void { this.emitter.emit('work'); }

  /** Resolves on the next signal of that kind, or after `ms`. */
  next(kind: 'work' | 'events' | { changeId: string }, ms: number): Promise<void> {
    const name = typeof kind === 'string' ? kind : `change:${kind.changeId}`;
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); this.emitter.off(name, done); resolve(); };
      const timer = setTimeout(done, ms);
      this.emitter.once(name, done);
    });
  }
}
