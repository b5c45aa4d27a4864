/**
 * The picker view (seed 000), phone-sized: my pick jobs; per line picked, or missing → remove, reduce
 * or substitute (allowed substitutes first). Each request shows "pending", then its outcome pushed
 * live over the event stream — accepted, or rejected with the sentence and what to do — and every
 * outcome waits in the inbox until acknowledged.
 */
import { useCallback, useRef, useState } from 'react';
import { ApiError, call, get, idempotencyKey, when } from '../api';
import { CHANGE_OUTCOMES, useEvents, type AmendEvent } from '../events';
import type { Change, InboxEntry, Line, Me, Order, Page, PickJob } from '../api/client';
import { Empty, Loading, ProblemBox, useAsync } from '../components/ui';

type State = 'pending' | 'applied' | 'rejected' | 'failed' | 'waiting';
/** One request the picker sent: what it asked, and where it stands (pending until the server says). */
interface Request {
  key: number;
  what: string;
  changeId?: string;
  state: State;
  title: string;
  detail?: string;
  nextStep?: string;
}
type Outcome = Pick<Request, 'state' | 'title' | 'detail' | 'nextStep'>;
const SHOWN = 3;

function outcomeOf(change: Change): Outcome {
  return { detail: undefined, nextStep: undefined, ...describe(change) };
}

function describe(change: Change): Outcome {
  if (change.status === 'applied')
    return {
      state: 'applied',
      title: 'Accepted: the order is updated.',
      detail: `${change.ticket} applied.`,
    };
  if (change.status === 'awaiting-approval')
    return {
      state: 'waiting',
      title: 'Sent to a supervisor for approval.',
      detail: change.approval?.reasons.map((r) => r.detail).join(' '),
    };
  if (change.status === 'awaiting-seller')
    return {
      state: 'waiting',
      title: 'Waiting for the seller to confirm.',
      detail: `${change.ticket} is with the seller.`,
    };
  if (['rejected', 'failed', 'canceled'].includes(change.status)) {
    return {
      state: change.status === 'failed' ? 'failed' : 'rejected',
      title: `Rejected: ${change.outcome?.detail ?? change.status}`,
      detail: undefined,
      nextStep: change.outcome?.nextStep,
    };
  }
  return { state: 'pending', title: 'Pending…', detail: `${change.ticket} is ${change.status}.` };
}

export function PickerPage({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const [tab, setTab] = useState<'jobs' | 'inbox'>('jobs');
  const [tick, setTick] = useState(0);
  const [requests, setRequests] = useState<Request[]>([]);
  const counter = useRef(0);
  /** Outcomes the stream brought before the request's answer named its change (a fast worker can win that race). */
  const early = useRef(new Map<string, Change>());
  const jobs = useAsync(() => get<Page<PickJob>>('/v1/pick-jobs?mine=true&limit=50'), [tick]);
  const inbox = useAsync(
    () =>
      get<Page<InboxEntry> & { unacknowledgedRejections?: number }>(
        '/v1/inbox?unacknowledged=true',
      ),
    [tick],
  );
  const refresh = useCallback(() => setTick((t) => t + 1), []);

  const update = (key: number, patch: Partial<Request>) =>
    setRequests((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  /** A final outcome wins over "pending", never the other way round (the stream and the answer may cross). */
  const settle = (changeId: string, change: Change) =>
    setRequests((rs) =>
      rs.map((r) =>
        r.changeId === changeId && (r.state === 'pending' || outcomeOf(change).state !== 'pending')
          ? { ...r, ...outcomeOf(change) }
          : r,
      ),
    );

  // Outcomes are pushed: the stream of my own changes.
  // Events carry the slim Change (events v2): the whole one is read by id.
  const live = useEvents('mine=true', CHANGE_OUTCOMES, (event: AmendEvent) => {
    const id = event.changeId;
    if (!id) return;
    void get<Change>(`/v1/changes/${id}`).then((change) => {
      early.current.set(id, change);
      settle(id, change);
      refresh();
    });
  });

  const request = async (
    orderId: string,
    what: string,
    operation: Record<string, unknown>,
    reason: string,
  ) => {
    const key = ++counter.current;
    setRequests((rs) =>
      [
        {
          key,
          what,
          state: 'pending' as const,
          title: 'Pending…',
          detail: 'Sent; the answer appears here.',
        },
        ...rs,
      ].slice(0, SHOWN),
    );
    try {
      const answer = await call<Change>(`/v1/orders/${orderId}/changes`, {
        method: 'POST',
        body: { operations: [operation], reason: { code: reason }, app: 'picker' },
        headers: { 'idempotency-key': idempotencyKey() },
      });
      const change = answer.data;
      const known = early.current.get(change.id);
      update(key, { changeId: change.id, ...outcomeOf(known ?? change) });
      if (!known && outcomeOf(change).state === 'pending') {
        // The stream tells the rest; one read closes the gap of an outcome sent before we knew the id.
        const now = await get<Change>(`/v1/changes/${change.id}`).catch(() => null);
        if (now) settle(change.id, now);
      }
    } catch (e) {
      if (e instanceof ApiError && e.problem.changeId) {
        const change = await get<Change>(`/v1/changes/${e.problem.changeId}`).catch(() => null);
        update(
          key,
          change
            ? { changeId: change.id, ...outcomeOf(change) }
            : {
                state: 'rejected',
                title: `Rejected: ${e.problem.detail}`,
                nextStep: e.problem.hint,
              },
        );
      } else if (e instanceof ApiError)
        update(key, {
          state: 'rejected',
          title: `Not sent: ${e.problem.detail ?? e.problem.code}`,
          nextStep: e.problem.hint,
        });
      else
        update(key, {
          state: 'rejected',
          title: 'Amend could not be reached.',
          nextStep: 'Check the connection and try again.',
        });
    }
    refresh();
  };

  const unread = inbox.data?.items.length ?? 0;
  return (
    <div className="picker">
      <div className="picker-top">
        <header className="picker-bar">
          <strong>Picker</strong>
          <span className="small">{me.name ?? me.actorId.replace(/^usr_(demo_)?/, '')}</span>
          <span
            className={`live live-${live}`}
            role="status"
            title="Outcomes arrive here as soon as they are decided"
          >
            {live === 'live' ? 'live' : live === 'connecting' ? 'connecting…' : 'reconnecting…'}
          </span>
          <button type="button" className="ghost" onClick={onSignOut}>
            Sign out
          </button>
        </header>
        {requests.length > 0 && (
          <ul className="banners" aria-label="Your requests">
            {requests.map((r) => (
              <li
                key={r.key}
                className={`banner banner-${r.state}`}
                data-testid="outcome-banner"
                data-state={r.state}
              >
                <p className="small banner-what">{r.what}</p>
                <div role={r.state === 'rejected' || r.state === 'failed' ? 'alert' : 'status'}>
                  <p className="banner-title">
                    {r.state === 'pending' && <span className="spinner" aria-hidden="true" />}{' '}
                    {r.title}
                  </p>
                  {r.detail && <p>{r.detail}</p>}
                  {r.nextStep && (
                    <p className="banner-next">
                      <strong>What to do:</strong> {r.nextStep}
                    </p>
                  )}
                </div>
                {r.state !== 'pending' && (
                  <button
                    type="button"
                    className="ghost"
                    onClick={() => setRequests((rs) => rs.filter((x) => x.key !== r.key))}
                  >
                    Dismiss
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
      <nav className="tabs" aria-label="Picker">
        <button type="button" aria-pressed={tab === 'jobs'} onClick={() => setTab('jobs')}>
          My pick jobs
        </button>
        <button type="button" aria-pressed={tab === 'inbox'} onClick={() => setTab('inbox')}>
          Inbox
          {unread > 0 && (
            <span className="count" aria-label={`${unread} unacknowledged`}>
              {unread}
            </span>
          )}
        </button>
      </nav>
      <main id="main">
        {tab === 'jobs' ? (
          <>
            <ProblemBox error={jobs.error} title="Your pick jobs could not be loaded" />
            {jobs.loading && !jobs.data && <Loading what="Loading your pick jobs" />}
            {jobs.data &&
              jobs.data.items.filter((j) => j.status === 'open' || j.status === 'in-progress')
                .length === 0 && <Empty>No pick job is assigned to you.</Empty>}
            {jobs.data?.items
              .filter((j) => j.status === 'open' || j.status === 'in-progress')
              .map((j) => (
                <JobCard key={j.id} job={j} tick={tick} onRequest={request} onPicked={refresh} />
              ))}
          </>
        ) : (
          <Inbox entries={inbox.data?.items} error={inbox.error} onAck={refresh} />
        )}
      </main>
    </div>
  );
}

type Send = (
  orderId: string,
  what: string,
  op: Record<string, unknown>,
  reason: string,
) => Promise<void>;

function JobCard({
  job,
  tick,
  onRequest,
  onPicked,
}: {
  job: PickJob;
  tick: number;
  onRequest: Send;
  onPicked: () => void;
}) {
  const order = useAsync(() => get<Order>(`/v1/orders/${job.orderId}`), [job.orderId, tick]);
  const [missing, setMissing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const pick = async (lineId: string, quantity: number) => {
    setError(null);
    try {
      await call(`/v1/pick-jobs/${job.id}/picks`, {
        method: 'POST',
        body: { lines: [{ lineId, quantity }] },
      });
      onPicked();
    } catch (e) {
      setError(e);
    }
  };
  if (!order.data)
    return (
      <section className="card">
        <Loading />
      </section>
    );
  const o = order.data;
  return (
    <section className="card job" aria-labelledby={`job-${job.id}`}>
      <h2 id={`job-${job.id}`}>
        {o.channelOrderRef}{' '}
        <span className="small muted">
          {job.facilityId} · {job.status}
        </span>
      </h2>
      <ProblemBox error={error} />
      <ul className="pick-lines">
        {job.lines.map((jl) => {
          const line = o.lines.find((l) => l.lineId === jl.lineId);
          if (!line) return null;
          const left = jl.quantity - jl.picked;
          return (
            <li key={jl.lineId} className={left === 0 ? 'done' : undefined}>
              <div className="pick-item">
                <strong>{line.name}</strong>
                <span className="small muted">{line.sku}</span>
                <span className="qty" aria-label={`${jl.picked} of ${jl.quantity} picked`}>
                  {jl.picked}/{jl.quantity}
                </span>
              </div>
              {left > 0 && (
                <div className="pick-actions">
                  <button type="button" className="primary" onClick={() => pick(jl.lineId, left)}>
                    Picked
                  </button>
                  <button
                    type="button"
                    aria-expanded={missing === jl.lineId}
                    onClick={() => setMissing(missing === jl.lineId ? null : jl.lineId)}
                  >
                    Missing…
                  </button>
                </div>
              )}
              {missing === jl.lineId && (
                <MissingPanel
                  line={line}
                  picked={jl.picked}
                  onSend={async (what, op, reason) => {
                    setMissing(null);
                    await onRequest(
                      o.id,
                      `${o.channelOrderRef} · ${line.name}: ${what}`,
                      op,
                      reason,
                    );
                  }}
                />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function MissingPanel({
  line,
  picked,
  onSend,
}: {
  line: Line;
  picked: number;
  onSend: (what: string, op: Record<string, unknown>, reason: string) => Promise<void>;
}) {
  const [quantity, setQuantity] = useState(Math.max(1, line.quantity - 1));
  const [other, setOther] = useState('');
  return (
    <div className="missing" role="group" aria-label={`${line.name} is missing`}>
      <p className="small">Substitute with:</p>
      <div className="subs">
        {line.allowedSubstitutes.map((s) => (
          <button
            key={s}
            type="button"
            onClick={() =>
              onSend(
                `substitute with ${s}`,
                { op: 'replaceItem', lineId: line.lineId, sku: s, quantity: line.quantity },
                'SUBSTITUTION',
              )
            }
          >
            {s}
          </button>
        ))}
        {line.allowedSubstitutes.length === 0 && (
          <span className="small muted">No substitute is allowed for this item.</span>
        )}
      </div>
      {line.allowedSubstitutes.length > 0 && (
        <div className="row">
          <label className="sr-only" htmlFor={`other-${line.lineId}`}>
            Other SKU
          </label>
          <input
            id={`other-${line.lineId}`}
            placeholder="other SKU"
            value={other}
            onChange={(e) => setOther(e.target.value)}
          />
          <button
            type="button"
            disabled={!other}
            onClick={() =>
              onSend(
                `substitute with ${other.trim()}`,
                {
                  op: 'replaceItem',
                  lineId: line.lineId,
                  sku: other.trim(),
                  quantity: line.quantity,
                },
                'SUBSTITUTION',
              )
            }
          >
            Substitute
          </button>
        </div>
      )}
      <div className="row">
        <label htmlFor={`reduce-${line.lineId}`}>Reduce to</label>
        <input
          id={`reduce-${line.lineId}`}
          type="number"
          min={Math.max(1, picked)}
          max={line.quantity - 1}
          value={quantity}
          onChange={(e) => setQuantity(Number(e.target.value))}
        />
        <button
          type="button"
          disabled={quantity >= line.quantity}
          onClick={() =>
            onSend(
              `reduce to ${quantity}`,
              { op: 'setQuantity', lineId: line.lineId, quantity },
              'ITEM_MISSING',
            )
          }
        >
          Reduce
        </button>
      </div>
      <button
        type="button"
        className="danger"
        onClick={() =>
          onSend('remove from the order', { op: 'removeItem', lineId: line.lineId }, 'ITEM_MISSING')
        }
      >
        Remove from order
      </button>
    </div>
  );
}

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
  if (error) return <ProblemBox error={error} title="Your inbox could not be loaded" />;
  if (!entries) return <Loading what="Loading your inbox" />;
  if (entries.length === 0) return <Empty>Nothing to acknowledge.</Empty>;
  const ack = async (id: string) => {
    setBusy(id);
    setFailed(null);
    try {
      await call(`/v1/inbox/${id}/ack`, { method: 'POST', body: {} });
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
      <ul className="inbox">
        {entries.map((e) => (
          <li key={e.id} className={`card inbox-${e.outcome}`}>
            <p>
              <strong>
                {e.outcome === 'applied'
                  ? 'Accepted'
                  : e.outcome === 'rejected'
                    ? 'Rejected'
                    : e.outcome}
              </strong>{' '}
              <code className="code">{e.code}</code>{' '}
              <span className="small muted">
                {e.orderId} · {when(e.at)}
              </span>
            </p>
            <p>{e.detail}</p>
            {e.outcome !== 'applied' && (
              <p className="small">
                <strong>What to do:</strong> {e.nextStep}
              </p>
            )}
            <button
              type="button"
              disabled={busy === e.id}
              aria-label={`Got it: ${e.code} on ${e.orderId}`}
              onClick={() => ack(e.id)}
            >
              Got it
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
