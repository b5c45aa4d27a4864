/**
 * The outcomes of my changes until I acknowledge them, shared by the console's inbox page and the
 * picker: what was asked (in words), its ticket, the order's number linked, what happened and what to
 * do; one by one or all at once.
 */
import { useState } from 'react';
import { call } from '../api';
import { Link } from '../router';
import type { InboxEntry } from '../api/client';
import { operationsSentence, personHint, plain, when } from '../format';
import { useProductNames } from '../names';
import { Empty, Loading, ProblemBox } from './ui';

const OUTCOME: Record<string, string> = {
  applied: 'Accepted',
  rejected: 'Rejected',
  failed: 'Failed',
  canceled: 'Canceled',
};

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
        {entries.map((e) => {
          const ref = e.orderRef ?? 'the order';
          const names = { products, lines: e.lineNames };
          const hint = personHint(e.code, e.nextStep);
          return (
            <li key={e.id} className={`card inbox-${e.outcome}`} data-code={e.code}>
              <p>
                <strong>{OUTCOME[e.outcome] ?? e.outcome}</strong>{' '}
                {e.ticket && <span className="ticket">{e.ticket}</span>} on{' '}
                <Link to={`/orders/${encodeURIComponent(e.orderId)}`}>{ref}</Link>{' '}
                <span className="small muted">· {when(e.at)}</span>
              </p>
              {e.operations && e.operations.length > 0 && (
                <p className="inbox-what">
                  {operationsSentence(e.operations as { op: string }[], names)}
                </p>
              )}
              {e.outcome !== 'applied' && <p>{plain(e.detail, names)}</p>}
              {e.outcome !== 'applied' && hint && (
                <p className="small">
                  <strong>What to do:</strong> {plain(hint, names)}
                </p>
              )}
              <button
                type="button"
                disabled={busy !== null}
                aria-label={`Got it: ${e.ticket ?? 'the outcome'} on ${ref}`}
                onClick={() => ack([e.id], e.id)}
              >
                Got it
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}
