/**
 * A bulk job as a person follows it: a progress bar, its orders counted by result, and each order's
 * result in words. The bulk edit page shows the job it ran; /bulk/jobs/<id> shows any job (the inbox
 * summary of a finished job links there).
 */
import { useEffect, useState } from 'react';
import { get } from '../api';
import { Link } from '../router';
import type { BulkJob, Order } from '../api/client';
import { codeSentence } from '../format';
import { ProgressBar, StatusBadge } from './ui';

/** The order numbers of the results shown, read once each (results carry only the order's id). */
const refs = new Map<string, Promise<string | null>>();
export function useOrderRefs(ids: string[]): Map<string, string> {
  const [known, setKnown] = useState(new Map<string, string>());
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    for (const id of ids) {
      if (!refs.has(id))
        refs.set(
          id,
          get<Order>(`/v1/orders/${encodeURIComponent(id)}`).then(
            (o) => o.channelOrderRef,
            () => null,
          ),
        );
    }
    void Promise.all(ids.map(async (id) => [id, await refs.get(id)] as const)).then((pairs) => {
      if (live) setKnown(new Map(pairs.filter((p): p is [string, string] => p[1] !== null)));
    });
    return () => {
      live = false;
    };
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  return known;
}

const SHOWN = 100;

/** The counts line: what a dry run would do, what a job of changes or of reroutes did. */
function countsLine(job: BulkJob, dry: boolean): string {
  const count = (...s: string[]) => job.results.filter((r) => s.includes(r.status)).length;
  if (dry)
    return `would apply ${count('would-apply')} · would need approval ${count('would-need-approval')} · would be refused ${count('would-refuse')}`;
  if (job.kind === 'reroute-unroutable')
    return `routed again ${count('routed')} · still unroutable ${count('unroutable')} · skipped ${count('skipped')}`;
  return `applied ${count('applied')} · waiting for the seller ${count('awaiting-seller')} · waiting for approval ${count('awaiting-approval')} · refused ${count('refused')}`;
}

export function BulkJobView({ job, dry }: { job: BulkJob; dry: boolean }) {
  const shown = job.results.slice(0, SHOWN);
  const orderRefs = useOrderRefs([
    ...new Set(shown.map((r) => r.orderId).filter((id): id is string => id !== undefined)),
  ]);
  return (
    <section className="card" aria-labelledby="job-h" aria-live="polite">
      <h2 id="job-h">
        {dry ? 'Dry run' : job.kind === 'reroute-unroutable' ? 'Reroute job' : 'Bulk job'}{' '}
        <StatusBadge status={job.status} />
      </h2>
      <ProgressBar done={job.done} total={job.total} label="Orders done" />
      <p>
        {job.done} of {job.total} done · {countsLine(job, dry)}
      </p>
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Result</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r, i) => (
            <tr key={r.orderId ?? r.intakeId ?? i}>
              <td>
                {r.orderId ? (
                  <Link to={`/orders/${encodeURIComponent(r.orderId)}`}>
                    {orderRefs.get(r.orderId) ?? 'order'}
                  </Link>
                ) : (
                  '—'
                )}
              </td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td data-code={r.code}>{r.code ? codeSentence(r.code) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {job.results.length > SHOWN && (
        <p className="small muted">
          The first {SHOWN} of {job.results.length} results; every order’s outcome is on its page.
        </p>
      )}
    </section>
  );
}
