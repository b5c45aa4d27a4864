/**
 * The picker view (seed 000), phone-sized: my pick jobs; per line picked, or missing → remove (after
 * a confirmation), reduce or substitute (allowed substitutes first, or a product search). Each request
 * shows "pending", then its outcome pushed live over the event stream in a compact stack that never
 * takes more than a quarter of the screen: accepted ones fold away by themselves, rejections stay
 * until acknowledged. A fully picked job is closed here, and lands in the "done today" list.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, call, get, idempotencyKey } from '../api';
import { CHANGE_OUTCOMES, useEvents, type AmendEvent } from '../events';
import type {
  Change,
  Editability,
  InboxEntry,
  Line,
  Me,
  Order,
  Page,
  PickJob,
} from '../api/client';
import { Empty, Loading, ProblemBox, useAsync } from '../components/ui';
import { ProductSearch, type FoundProduct } from '../components/ProductSearch';
import { Inbox } from '../components/Inbox';
import { person, personHint, plain, type Names } from '../format';
import { useProductNames } from '../names';

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
/** How long an accepted outcome stays before it folds away (rejections stay until acknowledged). */
const ACCEPTED_MS = 6000;

function outcomeOf(change: Change, names: Names = {}): Outcome {
  return { detail: undefined, nextStep: undefined, ...describe(change, names) };
}

function describe(change: Change, names: Names): Outcome {
  if (change.status === 'applied')
    return { state: 'applied', title: 'Accepted: the order is updated.', detail: change.ticket };
  if (change.status === 'awaiting-approval')
    return {
      state: 'waiting',
      title: 'Sent to a supervisor for approval.',
      detail: change.approval?.reasons.map((r) => plain(r.detail, names)).join(' '),
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
      title: `Rejected: ${plain(change.outcome?.detail, names) || 'the order stays as it was.'}`,
      detail: undefined,
      nextStep: plain(personHint(change.outcome?.code, change.outcome?.nextStep), names),
    };
  }
  return { state: 'pending', title: 'Pending…', detail: change.ticket };
}

const today = () => new Date().toISOString().slice(0, 10);

/** `me` is null until /v1/me answers: the jobs load meanwhile, only the name waits for it. */
export function PickerPage({ me, onSignOut }: { me: Me | null; onSignOut: () => void }) {
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

  // Accepted outcomes fold away by themselves; the others wait for "Got it".
  useEffect(() => {
    const accepted = requests.filter((r) => r.state === 'applied');
    if (!accepted.length) return;
    const timer = setTimeout(
      () => setRequests((rs) => rs.filter((r) => !accepted.some((a) => a.key === r.key))),
      ACCEPTED_MS,
    );
    return () => clearTimeout(timer);
  }, [requests]);

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

  const request: Send = async (orderId, what, operation, reason, names) => {
    const key = ++counter.current;
    setRequests((rs) => [
      { key, what, state: 'pending' as const, title: 'Pending…', detail: 'Sent.' },
      ...rs,
    ]);
    try {
      const answer = await call<Change>(`/v1/orders/${orderId}/changes`, {
        method: 'POST',
        body: { operations: [operation], reason: { code: reason }, app: 'picker' },
        headers: { 'idempotency-key': idempotencyKey() },
      });
      const change = answer.data;
      const known = early.current.get(change.id);
      update(key, { changeId: change.id, ...outcomeOf(known ?? change, names) });
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
            ? { changeId: change.id, ...outcomeOf(change, names) }
            : {
                state: 'rejected',
                title: `Rejected: ${plain(e.problem.detail, names)}`,
                nextStep: plain(personHint(e.problem.code, e.problem.hint), names),
              },
        );
      } else if (e instanceof ApiError)
        update(key, {
          state: 'rejected',
          title: `Not sent: ${plain(e.problem.detail ?? e.problem.title, names)}`,
          nextStep: plain(personHint(e.problem.code, e.problem.hint), names),
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
  const all = jobs.data?.items ?? [];
  const active = all.filter((j) => ['open', 'in-progress', 'picked'].includes(j.status));
  const closed = all.filter((j) => j.status === 'closed');
  return (
    <div className="picker">
      <div className="picker-top">
        <header className="picker-bar">
          <h1>Picker</h1>
          <span className="small">{me ? (me.name ?? person(me.actorId)) : ''}</span>
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
          <ul className="banners" aria-label="Your requests" data-testid="banner-stack">
            {requests.map((r) => (
              <li
                key={r.key}
                className={`banner banner-${r.state}`}
                data-testid="outcome-banner"
                data-state={r.state}
              >
                <div
                  className="banner-body"
                  role={r.state === 'rejected' || r.state === 'failed' ? 'alert' : 'status'}
                >
                  <p className="banner-title">
                    {r.state === 'pending' && <span className="spinner" aria-hidden="true" />}{' '}
                    {r.title}
                  </p>
                  <p className="small banner-what">
                    {r.what}
                    {r.detail && ` · ${r.detail}`}
                  </p>
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
                    Got it
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
            {jobs.data && active.length === 0 && <Empty>No pick job is waiting for you.</Empty>}
            {active.map((j) => (
              <JobCard key={j.id} job={j} tick={tick} onRequest={request} onPicked={refresh} />
            ))}
            {closed.length > 0 && (
              <section className="card done-today" aria-labelledby="done-h">
                <h2 id="done-h">Done today</h2>
                <ul className="plain">
                  {closed.map((j) => (
                    <DoneJob key={j.id} job={j} />
                  ))}
                </ul>
              </section>
            )}
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
  names: Names,
) => Promise<void>;

/** A closed job of today: its order's number and how many items. */
function DoneJob({ job }: { job: PickJob }) {
  const order = useAsync(() => get<Order>(`/v1/orders/${job.orderId}`), [job.orderId]);
  if (!order.data || (order.data.updatedAt ?? '').slice(0, 10) !== today()) return null;
  const items = job.lines.reduce((n, l) => n + l.picked, 0);
  return (
    <li>
      <strong>{order.data.channelOrderRef}</strong>{' '}
      <span className="small muted">
        {items} {items === 1 ? 'item' : 'items'} picked · closed
      </span>
    </li>
  );
}

/**
 * The job's lines in the order first seen: a substitute takes the place of the line it replaced
 * (the server appends it), so nothing jumps while the picker works down the list.
 */
function useStableOrder(jobId: string, lineIds: string[]): string[] {
  const seen = useRef<{ job: string; ids: (string | null)[] }>({ job: jobId, ids: [] });
  if (seen.current.job !== jobId) seen.current = { job: jobId, ids: [] };
  const now = new Set(lineIds);
  const ids = seen.current.ids.map((id) => (id && now.has(id) ? id : null));
  for (const id of lineIds) {
    if (ids.includes(id)) continue;
    const hole = ids.indexOf(null);
    if (hole >= 0) ids[hole] = id;
    else ids.push(id);
  }
  seen.current.ids = ids;
  return ids.filter((id): id is string => id !== null);
}

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
  // The picker's limits and what it may do per line come from the server (lines.<id>.limits).
  const editability = useAsync(
    () => get<Editability>(`/v1/orders/${job.orderId}/editability`),
    [job.orderId, tick],
  );
  const products = useProductNames();
  const [missing, setMissing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const order_ = useStableOrder(
    job.id,
    job.lines.map((l) => l.lineId),
  );
  const names: Names = { order: order.data, products };
  const send = async (path: string, body: unknown) => {
    setError(null);
    setBusy(true);
    try {
      await call(path, { method: 'POST', body });
      onPicked();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (!order.data)
    return (
      <section className="card">
        <Loading />
      </section>
    );
  const o = order.data;
  const allPicked = job.lines.every((l) => l.picked >= l.quantity);
  return (
    <section className="card job" aria-labelledby={`job-${job.id}`}>
      <h2 id={`job-${job.id}`}>
        {o.channelOrderRef}{' '}
        <span className="small muted">
          {job.status === 'picked' || allPicked ? 'all picked' : job.status.replace('-', ' ')}
        </span>
      </h2>
      <ProblemBox error={error} names={names} />
      <ul className="pick-lines">
        {order_.map((lineId) => {
          const jl = job.lines.find((l) => l.lineId === lineId);
          const line = o.lines.find((l) => l.lineId === lineId);
          if (!jl || !line) return null;
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
                  <button
                    type="button"
                    className="primary"
                    disabled={busy}
                    onClick={() =>
                      send(`/v1/pick-jobs/${job.id}/picks`, {
                        lines: [{ lineId: jl.lineId, quantity: left }],
                      })
                    }
                  >
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
                  facilityId={job.facilityId}
                  names={names}
                  rules={editability.data?.lines[line.lineId]}
                  onSend={async (what, op, reason) => {
                    setMissing(null);
                    await onRequest(
                      o.id,
                      `${o.channelOrderRef} · ${line.name}: ${what}`,
                      op,
                      reason,
                      names,
                    );
                  }}
                />
              )}
            </li>
          );
        })}
      </ul>
      {allPicked && (
        <div className="close-step">
          <p>Everything is picked. Close the job to hand the order over for packing.</p>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() => send(`/v1/pick-jobs/${job.id}/close`, {})}
          >
            Close pick job
          </button>
        </div>
      )}
    </section>
  );
}

interface Limits {
  minQuantity: number;
  maxQuantity: number;
  maxUnitPrice: number;
}
type LineRules = Record<
  string,
  { allowed?: boolean; refusals?: { detail: string }[] } | Limits | undefined
>;
const allowedOf = (rules: LineRules | undefined, op: string) => {
  const r = rules?.[op] as { allowed?: boolean; refusals?: { detail: string }[] } | undefined;
  return { allowed: r?.allowed !== false, why: r?.refusals?.map((x) => x.detail).join(' ') };
};

function MissingPanel({
  line,
  picked,
  facilityId,
  names,
  rules,
  onSend,
}: {
  line: Line;
  picked: number;
  facilityId: string;
  names: Names;
  rules: LineRules | undefined;
  onSend: (what: string, op: Record<string, unknown>, reason: string) => Promise<void>;
}) {
  const limits = rules?.limits as Limits | undefined;
  // At least what is picked, below the ordered quantity; the server's picker limits
  // (lines.<id>.limits) say how far the picker may go before a supervisor must approve.
  const min = Math.max(1, picked);
  const max = line.quantity - 1;
  const free = Math.max(min, limits?.minQuantity ?? min);
  const [quantity, setQuantity] = useState(Math.max(min, Math.min(max, line.quantity - 1)));
  const [other, setOther] = useState<FoundProduct | null>(null);
  const [confirming, setConfirming] = useState(false);
  const replace = allowedOf(rules, 'replaceItem');
  const reduce = allowedOf(rules, 'setQuantity');
  const remove = allowedOf(rules, 'removeItem');
  const nameOf = (sku: string) => names.products?.get(sku) ?? sku;
  return (
    <div className="missing" role="group" aria-label={`${line.name} is missing`}>
      <p className="small">Substitute with:</p>
      {!replace.allowed ? (
        <p className="small muted">{plain(replace.why, names) || 'No substitute is possible.'}</p>
      ) : (
        <>
          <div className="subs">
            {line.allowedSubstitutes.map((s) => (
              <button
                key={s}
                type="button"
                onClick={() =>
                  onSend(
                    `substitute with ${nameOf(s)}`,
                    { op: 'replaceItem', lineId: line.lineId, sku: s, quantity: line.quantity },
                    'SUBSTITUTION',
                  )
                }
              >
                {nameOf(s)} <span className="small muted">{s}</span>
              </button>
            ))}
            {line.allowedSubstitutes.length === 0 && (
              <span className="small muted">No substitute is listed for this item.</span>
            )}
          </div>
          <div className="row">
            <ProductSearch
              label="Other product"
              facilityId={facilityId}
              first={line.allowedSubstitutes}
              picked={other}
              onPick={setOther}
            />
            <button
              type="button"
              disabled={!other}
              onClick={() =>
                other &&
                onSend(
                  `substitute with ${other.name}`,
                  {
                    op: 'replaceItem',
                    lineId: line.lineId,
                    sku: other.sku,
                    quantity: line.quantity,
                  },
                  'SUBSTITUTION',
                )
              }
            >
              Substitute
            </button>
          </div>
        </>
      )}
      {reduce.allowed && max >= min ? (
        <div className="row">
          <label htmlFor={`reduce-${line.lineId}`}>Reduce to</label>
          <input
            id={`reduce-${line.lineId}`}
            type="number"
            min={min}
            max={max}
            value={quantity}
            onChange={(e) => setQuantity(Number(e.target.value))}
          />
          <button
            type="button"
            disabled={quantity < min || quantity > max}
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
          <span className="small muted" data-testid="reduce-limit">
            {quantity < free
              ? `Below ${free} a supervisor must approve.`
              : min === max
                ? `only to ${min}`
                : `${min} to ${max}`}
          </span>
        </div>
      ) : (
        <p className="small muted">
          {reduce.allowed
            ? `This item cannot be reduced below the ${picked} already picked.`
            : plain(reduce.why, names)}
        </p>
      )}
      {!remove.allowed ? (
        <p className="small muted">{plain(remove.why, names)}</p>
      ) : confirming ? (
        <div className="alert alert-warn confirm" role="alert">
          <p>
            <strong>Remove {line.name} from the order?</strong> The customer will not get it.
          </p>
          <div className="row">
            <button type="button" autoFocus onClick={() => setConfirming(false)}>
              Keep it
            </button>
            <button
              type="button"
              className="danger"
              onClick={() =>
                onSend(
                  'remove from the order',
                  { op: 'removeItem', lineId: line.lineId },
                  'ITEM_MISSING',
                )
              }
            >
              Yes, remove
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Remove from order…
        </button>
      )}
    </div>
  );
}
