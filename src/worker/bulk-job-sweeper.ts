/**
 * Ends bulk jobs whose process died mid-run (a restart, a crash): their changes told no one on their
 * own (migrations/0070 leaves a running job's outcomes to its summary), so an abandoned job would keep
 * its requester from ever hearing. A job nobody moved for `staleMs` is ended as it stands: a summary
 * that says it stopped, what became of the orders it reached, and that the others were not changed.
 */
import { endBulkJob } from '../app/bulk-summary.js';
import type { Deps } from '../app/deps.js';
import { abandonedBulkJobs, finishBulkJob } from '../db/bulk-jobs.js';
import { PeriodicService } from './periodic-service.js';

/** Each order records its result within 30 s (BULK_WAIT_S); five minutes without one is a dead job. */
export const BULK_JOB_STALE_MS = 5 * 60_000;

const SUMMARISED = new Set(['bulk-change', 'reroute-unroutable']);

export class BulkJobSweeper extends PeriodicService {
  readonly name = 'bulk job sweeper';

  constructor(
    deps: Deps,
    intervalMs: number,
    private readonly staleMs = BULK_JOB_STALE_MS,
  ) {
    super(deps, intervalMs);
  }

  /** Ends what was abandoned; answers how many jobs it ended (tests call it directly). */
  async sweep(): Promise<number> {
    const jobs = await abandonedBulkJobs(this.deps.db, this.staleMs);
    for (const job of jobs) {
      if (SUMMARISED.has(job.kind))
        await endBulkJob(this.deps, job.tenantId, job.id, { dryRun: job.dryRun, stopped: true });
      else await finishBulkJob(this.deps.db, job.tenantId, job.id);
      this.deps.log.warn({ bulkId: job.id, kind: job.kind }, 'bulk job abandoned mid-run: ended');
    }
    return jobs.length;
  }

  protected async pass(): Promise<void> {
    await this.sweep();
  }
}
