/**
 * A bulk job ends and tells its requester once (issue 17 point 4): the job's changes added no inbox
 * entries while it ran (migrations/0070); its end files one summary in the same transaction.
 */
import { bulkOutcomes, completeBulkJob, finishBulkJob } from '../db/bulk-jobs.js';
import { insertBulkSummary } from '../db/inbox.js';
import { bulkCounts, bulkNextStep, bulkSentence } from '../domain/bulk-summary.js';
import type { Deps } from './deps.js';

/**
 * Ends a job of changes. A dry run changed nothing and was watched on the page: it ends untold. The
 * end is written first (its row lock orders it against the changes' outcomes), then counted and told.
 */
export async function endBulkJob(
  deps: Deps,
  tenantId: string,
  jobId: string,
  options: {
    dryRun: boolean;
    /** The job stopped before its last order (it failed, or its process died): the summary says so. */
    stopped?: boolean;
  },
): Promise<void> {
  if (options.dryRun) return finishBulkJob(deps.db, tenantId, jobId);
  await deps.db.transaction().execute(async (tx) => {
    const at = deps.clock();
    const job = await completeBulkJob(tx, tenantId, jobId, at);
    if (!job) return;
    const counts = bulkCounts(await bulkOutcomes(tx, tenantId, jobId));
    await insertBulkSummary(tx, tenantId, {
      id: deps.ids('inb'),
      actorId: job.requesterId,
      bulkJobId: jobId,
      counts,
      detail: bulkSentence(job.kind, counts, options.stopped ? job.total : counts.total),
      nextStep: bulkNextStep(counts),
      at,
    });
  });
}
