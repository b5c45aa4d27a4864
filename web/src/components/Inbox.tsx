/**
 * The outcomes of my changes until I acknowledge them, shared by the console's inbox page and the
 * picker: what was asked (in words), its ticket, the order's number linked, what happened and what to
 * do; one by one or all at once. A bulk job is one entry (its counts, a link to the job), not one per
 * order; acknowledging it acknowledges the job.
 */
import { useState } from 'react';
import { call } from '../api';
import { Link } from '../router';
import type { BulkJobInboxEntry, ChangeInboxEntry, InboxEntry } from '../api/client';
import { operationsSentence, personHint, plain, when, type Names } from '../format';
import { useProductNames } from '../names';
import { Empty, Loading, ProblemBox } from './ui';

const OUTCOME: Record<string, string> = {
  applied: 'Accepted',
  rejected: 'Rejected',
  failed: 'Failed',
  canceled: 'Canceled',
};

export const bulkJobPath = (id: string) => `/bulk/jobs/${encodeURIComponent(id)}`;

export function Inbox({
  entries,
  error,
  onAck,
}: {
  entries: InboxEntry[] | undefined;
  error: unknown;
  onAck: () => void;
}) {
  const [failed, setFailed] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const products = useProductNames();
  if (error) return <ProblemBox error={error} title="Your inbox could not be loaded" />;
  if (!entries) return <Loading what="Loading your inbox" />;
  if (entries.length === 0) return <Empty>Nothing to acknowledge.</Empty>;
  const ack = async (ids: string[], what: string) => {
    setBusy(what);
    setFailed(null);
    try {
      for (const id of ids) await call(`/v1/inbox/${id}/ack`, { method: 'POST', body: {} });
      onAck();
    } catch (e) {
      setFailed(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <ProblemBox error={failed} title="Not acknowledged" />
      {entries.length > 1 && (
        <p>
          <button
            type="button"
            disabled={busy !== null}
            onClick={() =>
              ack(
                entries.map((e) => e.id),
                'all',
              )
            }
          >
            Acknowledge all {entries.length}
          </button>
        </p>
      )}
      <ul className="inbox">
        {entries.map((e) =>
          e.kind === 'bulk-job' ? (
            <BulkJobEntry
              key={e.id}
              entry={e}
              names={{ products }}
              disabled={busy !== null}
              onAck={() => ack([e.id], e.id)}
            />
          ) : (
            <ChangeEntry
              key={e.id}
              entry={e}
              names={{ products, lines: e.lineNames }}
              disabled={busy !== null}
              onAck={() => ack([e.id], e.id)}
            />
          ),
        )}
      </ul>
    </>
  );
}

interface EntryProps<T> {
  entry: T;
  names: Names;
  disabled: boolean;
  onAck: () => void;
}

function ChangeEntry({ entry: e, names, disabled, onAck }: EntryProps<ChangeInboxEntry>) {
  const ref = e.orderRef ?? 'the order';
  const hint = personHint(e.code, e.nextStep);
  return (
    <li className={`card inbox-${e.outcome}`} data-code={e.code}>
      <p>
        <strong>{OUTCOME[e.outcome] ?? e.outcome}</strong>{' '}
        {e.ticket && <span className="ticket">{e.ticket}</span>} on{' '}
        <Link to={`/orders/${encodeURIComponent(e.orderId)}`}>{ref}</Link>{' '}
        <span className="small muted">· {when(e.at)}</span>
        {e.bulkJobId && (
          <span className="small muted">
            {' '}
            · from a <Link to={bulkJobPath(e.bulkJobId)}>bulk job</Link>
          </span>
        )}
      </p>
      {e.operations.length > 0 && (
        <p className="inbox-what">{operationsSentence(e.operations as { op: string }[], names)}</p>
      )}
      {e.outcome !== 'applied' && <p>{plain(e.detail, names)}</p>}
      {e.outcome !== 'applied' && hint && (
        <p className="small">
          <strong>What to do:</strong> {plain(hint, names)}
        </p>
      )}
      <button
        type="button"
        disabled={disabled}
        aria-label={`Got it: ${e.ticket ?? 'the outcome'} on ${ref}`}
        onClick={onAck}
      >
        Got it
      </button>
    </li>
  );
}

/** One line for the whole job: what it asked, how its orders came out, where to see each of them. */
function BulkJobEntry({ entry: e, names, disabled, onAck }: EntryProps<BulkJobInboxEntry>) {
  const troubled = e.counts.rejected + e.counts.failed > 0;
  const what = e.jobKind === 'reroute-unroutable' ? 'reroute' : 'bulk edit';
  const orders = `${e.counts.total} ${e.counts.total === 1 ? 'order' : 'orders'}`;
  return (
    <li className={`card inbox-bulk inbox-${troubled ? 'rejected' : 'applied'}`}>
      <p>
        <strong>{what === 'reroute' ? 'Reroute finished' : 'Bulk edit finished'}</strong>{' '}
        <span className="small muted">· {when(e.at)}</span>
      </p>
      {e.operations.length > 0 && (
        <p className="inbox-what">{operationsSentence(e.operations as { op: string }[], names)}</p>
      )}
      <p>{plain(e.detail, names)}</p>
      {e.nextStep && (
        <p className="small">
          <strong>What to do:</strong> {plain(e.nextStep, names)}
        </p>
      )}
      <div className="row wrap inbox-actions">
        <Link to={bulkJobPath(e.bulkJobId)}>Open the job ({orders})</Link>
        <button
          type="button"
          disabled={disabled}
          aria-label={`Acknowledge all: the ${what} of ${orders}`}
          onClick={onAck}
        >
          Acknowledge all
        </button>
      </div>
    </li>
  );
}
