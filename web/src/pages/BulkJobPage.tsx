/** One bulk job on its own page (/bulk/jobs/<id>): where its inbox summary links, live until it ends. */
import { useEffect } from 'react';
import { get } from '../api';
import { Link } from '../router';
import type { BulkJob } from '../api/client';
import { BulkJobView } from '../components/BulkJobView';
import { Loading, ProblemBox, useAsync } from '../components/ui';
import { when } from '../format';

export function BulkJobPage({ id }: { id: string }) {
  const job = useAsync(() => get<BulkJob>(`/v1/bulk-changes/${encodeURIComponent(id)}`), [id]);
  const running = job.data?.status === 'queued' || job.data?.status === 'running';
  useEffect(() => {
    if (!running) return;
    const t = setTimeout(job.reload, 800);
    return () => clearTimeout(t);
  }, [running, job.data]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <>
      <p>
        <Link to="/inbox">← Inbox</Link>
      </p>
      <h1>{job.data?.kind === 'reroute-unroutable' ? 'Reroute' : 'Bulk edit'} results</h1>
      <ProblemBox error={job.error} title="This bulk job could not be loaded" />
      {!job.data && !job.error && <Loading what="Loading the job" />}
      {job.data && (
        <>
          <p className="muted">
            Started {when(job.data.createdAt)}
            {job.data.status === 'completed' ? `, finished ${when(job.data.updatedAt)}` : ''}
            {job.data.acknowledgedAt
              ? ` · you acknowledged it ${when(job.data.acknowledgedAt)}.`
              : job.data.status === 'completed'
                ? ' · its summary waits in your inbox.'
                : '.'}
          </p>
          <BulkJobView job={job.data} dry={false} />
        </>
      )}
    </>
  );
}
