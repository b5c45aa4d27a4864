/**
 * The idle side of a worker's loops (change worker, intake worker). Every loop that finds nothing to
 * claim sleeps; a signal ("work was queued in this process") wakes ONE of them, not all: each woken
 * loop sends a claim statement, and waking eight loops per queued change cost seven empty claims and
 * as many "when is the next due" reads (docs/benchmark.md). One sleeping loop at a time is the
 * poller: it wakes after `pollMs` by itself, for work queued by other processes, and when that poll
 * finds work it wakes one more loop, so a burst from elsewhere is still worked in parallel.
 */
import type { Signals } from '../app/signals.js';

export class IdleLoops {
  private readonly sleepers: (() => void)[] = [];
  private wakePoller: (() => void) | null = null;
  /** Signals so far: a loop that saw this change while it claimed claims again instead of sleeping. */
  private generation = 0;
  private readonly unsubscribe: () => void;

  constructor(signals: Signals, kind: 'work' | 'intake') {
    this.unsubscribe = signals.subscribe(kind, () => this.wakeOne());
  }

  /** Note it before a claim; pass it to `idle` after an empty one. */
  mark(): number {
    return this.generation;
  }

  /** One sleeping loop claims again (the poller when no other sleeps). */
  wakeOne(): void {
    this.generation++;
    const next = this.sleepers.shift() ?? this.wakePoller;
    next?.();
  }

  /** Every loop wakes (the worker stops). */
  wakeAll(): void {
    this.generation++;
    for (const wake of this.sleepers.splice(0)) wake();
    this.wakePoller?.();
  }

  close(): void {
    this.unsubscribe();
    this.wakeAll();
  }

  /**
   * Sleeps until woken; the poller until woken or `pollMs()` (asked only by the poller) has passed.
   * Answers whether this loop woke as the poller by its timer: found work then calls for a helper.
   */
  async idle(since: number, pollMs: () => Promise<number>): Promise<'polled' | 'woken'> {
    if (since !== this.generation) return 'woken';
    if (this.wakePoller) {
      await new Promise<void>((resolve) => this.sleepers.push(resolve));
      return 'woken';
    }
    let woken = false;
    const wait = new Promise<void>((resolve) => {
      this.wakePoller = () => {
        woken = true;
        resolve();
      };
    });
    try {
      const ms = await pollMs();
      if (since !== this.generation) return 'woken';
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([wait, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
      clearTimeout(timer);
      return woken ? 'woken' : 'polled';
    } finally {
      this.wakePoller = null;
    }
  }
}
