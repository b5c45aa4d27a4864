/**
 * Retrains every tenant's risk model on a schedule (RISK_TRAIN_INTERVAL_MS, docs/risk.md) in the
 * server or `amend worker`. A tenant whose latest model is younger than the interval is skipped,
 * so several processes on one database train it about once per interval.
 */
import type { Deps } from '../app/deps.js';
import { trainTenant } from '../app/risk.js';
import { tenantsDueForTraining } from '../db/risk.js';
import type { BackgroundService } from './background.js';

export class RiskTrainer implements BackgroundService {
  readonly name = 'risk trainer';
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

  /** One pass: every due tenant trained; a tenant without enough decisions just waits. */
  async runOnce(): Promise<number> {
    let trained = 0;
    for (const tenantId of await tenantsDueForTraining(
      this.deps.db,
      this.deps.clock(),
      this.intervalMs,
    )) {
      if (!this.running && this.loop) break;
      const result = await trainTenant(this.deps, tenantId);
      if (result.trained) {
        trained++;
        this.deps.log.info({ tenantId, version: result.version }, 'risk model trained');
      }
    }
    return trained;
  }

  private async run(): Promise<void> {
    // The first pass waits too: a process that just started has requests to serve first.
    while (this.running) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(60_000, Math.min(this.intervalMs, 3_600_000)));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (!this.running) break;
      try {
        await this.runOnce();
      } catch (err) {
        this.deps.log.error({ err }, 'risk trainer: the run failed; trying again later');
      }
    }
  }
}
