/**
 * Runs the integrity checks on a schedule (VERIFY_INTERVAL_MS) in the server or `amend worker`, so
 * the KPIs' integrity figure stays fresh without anyone running `amend verify`. Several processes on
 * one database skip a run another made within the interval.
 */
import { checkIntegrityNow } from '../app/integrity.js';
import { secondsSinceLastVerify } from '../db/verify-runs.js';
import { PeriodicService } from './periodic-service.js';

export class IntegrityChecker extends PeriodicService {
  readonly name = 'integrity checker';

  protected async pass(): Promise<number> {
    const since = await secondsSinceLastVerify(this.deps.db);
    const dueInMs = since === null ? 0 : this.intervalMs - since * 1000;
    if (dueInMs > 0) return Math.max(1000, dueInMs);
    await checkIntegrityNow(this.deps);
    return Math.max(1000, this.intervalMs);
  }
}
