/**
 * Runs the integrity checks on a schedule (VERIFY_INTERVAL_MS) in the server or `amend worker`, so
 * the KPIs' integrity figure stays fresh without anyone running `amend verify`. Several processes on
 * one database skip a run another made within the interval.
 */
import { checkIntegrityNow } from '../app/integrity.js';
import type { Deps } from '../app/deps.js';
import { secondsSinceLastVerify } from '../db/verify-runs.js';
import type { BackgroundService } from './background.js';

export class IntegrityChecker implements BackgroundService {
  readonly name = 'integrity checker';
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly deps: Deps,
    private readonly intervalMs: number,
  ) {}

  start(): this {
    this.running = true;
    this.loop = this.run();
    return this;
  }

  /** A run under way only reads (until its last insert): a shutdown does not wait past `graceMs` for it. */
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
    while (this.running) {
      let waitMs = this.intervalMs;
      try {
        const since = await secondsSinceLastVerify(this.deps.db);
        const dueInMs = since === null ? 0 : this.intervalMs - since * 1000;
        if (dueInMs <= 0) await checkIntegrityNow(this.deps);
        else waitMs = dueInMs;
      } catch (err) {
        this.deps.log.error({ err }, 'integrity checker: the run failed; trying again later');
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1000, waitMs));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
