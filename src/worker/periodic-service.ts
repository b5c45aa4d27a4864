/**
 * A background loop that makes one pass, then sleeps until the next is due or it is stopped: the
 * shape the integrity checker, the risk trainer and the KPI target watcher share. A failed pass is
 * logged and the loop goes on at its interval.
 */
import type { Deps } from '../app/deps.js';
import type { BackgroundService } from './background.js';

export abstract class PeriodicService implements BackgroundService {
  abstract readonly name: string;
  protected running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    protected readonly deps: Deps,
    protected readonly intervalMs: number,
  ) {}

  /** Stopped after it was started (a pass called directly, as tests do, never is). */
  protected get stopping(): boolean {
    return !this.running && this.loop !== null;
  }

  /** One pass; answers how long to sleep before the next (the interval unless it knows better). */
  protected abstract pass(): Promise<number | void>;

  /** How long to wait before the first pass (0: at once). */
  protected firstWaitMs(): number {
    return 0;
  }

  start(): this {
    this.running = true;
    this.loop = this.run();
    return this;
  }

  /** A pass under way only reads or commits on its own: a shutdown does not wait past `graceMs`. */
  async stop(graceMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.running = false;
    this.wake?.();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.loop,
      new Promise<void>((r) => {
        if (Number.isFinite(graceMs)) timer = setTimeout(r, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    let waitMs = this.firstWaitMs();
    while (this.running) {
      if (waitMs > 0) await this.sleep(waitMs);
      if (!this.running) break;
      waitMs = this.intervalMs;
      try {
        waitMs = (await this.pass()) ?? this.intervalMs;
      } catch (err) {
        this.deps.log.error({ err }, `${this.name}: the pass failed; trying again later`);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
