/**
 * Holds each tenant's KPIs against its targets every KPI_CHECK_INTERVAL_MS and raises
 * KPI_TARGET_MISSED when one becomes missed (app/kpi-target-watch.ts). Several processes may run it:
 * the state row each check swaps decides which of them raises the event.
 */
import { checkKpiTargets } from '../app/kpi-target-watch.js';
import { PeriodicService } from './periodic-service.js';

export class KpiTargetWatcher extends PeriodicService {
  readonly name = 'KPI target watcher';

  protected async pass(): Promise<void> {
    const raised = await checkKpiTargets(this.deps);
    if (raised.length) this.deps.log.info({ raised }, 'KPI targets missed');
  }
}
