/**
 * Retrains every tenant's risk model on a schedule (RISK_TRAIN_INTERVAL_MS, docs/risk.md) in the
 * server or `amend worker`. A tenant whose latest model is younger than the interval is skipped,
 * so several processes on one database train it about once per interval.
 */
import { trainTenant } from '../app/risk.js';
import { tenantsDueForTraining } from '../db/risk.js';
import { PeriodicService } from './periodic-service.js';

export class RiskTrainer extends PeriodicService {
  readonly name = 'risk trainer';

  /** One pass: every due tenant trained; a tenant without enough decisions just waits. */
  async runOnce(): Promise<number> {
    let trained = 0;
    for (const tenantId of await tenantsDueForTraining(
      this.deps.db,
      this.deps.clock(),
      this.intervalMs,
    )) {
      if (this.stopping) break;
      const result = await trainTenant(this.deps, tenantId);
      if (result.trained) {
        trained++;
        this.deps.log.info({ tenantId, version: result.version }, 'risk model trained');
      }
    }
    return trained;
  }

  protected async pass(): Promise<number> {
    await this.runOnce();
    return this.pauseMs();
  }

  // The first pass waits too: a process that just started has requests to serve first.
  protected override firstWaitMs(): number {
    return this.pauseMs();
  }

  private pauseMs(): number {
    return Math.max(60_000, Math.min(this.intervalMs, 3_600_000));
  }
}
