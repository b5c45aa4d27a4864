/**
 * Holds each tenant's KPIs against its targets every KPI_CHECK_INTERVAL_MS and raises
 * KPI_TARGET_MISSED when one becomes missed (app/kpi-target-watch.ts). Several processes may run it:
 * the state row each check swaps decides which of them raises the event.
 */
import { checkKpiTargets } from '../app/kpi-target-watch.js';
import type { Deps } from '../app/deps.js';
import type { BackgroundService } from './background.js';

export class KpiTargetWatcher implements BackgroundService {
  readonly name = 'KPI target watcher';
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

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const raised = await checkKpiTargets(this.deps);
        if (raised.length) this.deps.log.info({ raised }, 'KPI targets missed');
      } catch (err) {
        this.deps.log.error({ err }, 'KPI target watcher: the check failed; trying again later');
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.intervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
