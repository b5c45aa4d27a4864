/**
 * The picker view (seed 000), phone-sized: my pick jobs; per line picked, or missing → remove, reduce
 * or substitute (allowed substitutes first). Each request shows "pending", then its outcome pushed
 * live over the event stream — accepted, or rejected with the sentence and what to do — and every
 * outcome waits in the inbox until acknowledged.
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, call, get, idempotencyKey, session } from '../api';
import type { Change, InboxEntry, Line, Me, Order, Page, PickJob } from '../types';
import { Empty, Loading, ProblemBox, useAsync } from '../components/ui';

interface Banner { changeId?: string; state: 'pending' | 'applied' | 'rejected' | 'failed' | 'waiting'; title: string; detail?: string; nextStep?: string }
const FINAL = ['CHANGE_APPLIED', 'CHANGE_REJECTED', 'CHANGE_FAILED', 'CHANGE_CANCELED', 'CHANGE_AWAITING_APPROVAL'];

function bannerOf(change: Change): Banner {
  if (change.status === 'applied') return { changeId: change.id, state: 'applied', title: 'Accepted: the order is updated.', detail: `${change.ticket} applied.` };
  if (change.status === 'awaiting-approval') return { changeId: change.id, state: 'waiting', title: 'Sent to a supervisor for approval.', detail: change.approval?.reasons.map((r) => r.detail).join(' ') };
  if (['rejected', 'failed', 'canceled'].includes(change.status)) {
    return { changeId: change.id, state: change.status === 'failed' ? 'failed' : 'rejected', title: `Rejected: ${change.outcome?.detail ?? change.status}`, nextStep: change.outcome?.nextStep };
  }
  return { changeId: change.id, state: 'pending', title: 'Pending…', detail: `${change.ticket} is ${change.status}.` };
}

export function PickerPage({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const [tab, setTab] = useState<'jobs' | 'inbox'>('jobs');
  const [tick, setTick] = useState(0);
  const [banner, setBanner] = useState<Banner | null>(null);
  const jobs = useAsync(() => get<Page<PickJob>>('/v1/pick-jobs?mine=true&limit=50'), [tick]);
  const inbox = useAsync(() => get<Page<InboxEntry> & { unacknowledgedRejections?: number }>('/v1/inbox?unacknowledged=true'), [tick]);
  const refresh = useCallback(() => setTick((t) => t + 1), []);

  // Outcomes are pushed: the stream of my own changes.
  useEffect(() => {
    const source = new EventSource(`/v1/events?mine=true&access_token=${encodeURIComponent(session.key() ?? '')}`);
    const onEvent = (e: MessageEvent) => {
      const event = JSON.parse(e.data) as { changeId: string; data: Change };
      setBanner((b) => (b && b.changeId === event.changeId ? bannerOf(event.data) : b));
      refresh();
    };
    for (const type of FINAL) source.addEventListener(type, onEvent as EventListener);
    return () => source.close();
  }, [refresh]);

  const request = async (orderId: string, operation: Record<string, unknown>, reason: string) => {
    setBanner({ state: 'pending', title: 'Pending…', detail: 'Your request was sent; the answer appears here.' });
    try {
      const answer = await call<Change>(`/v1/orders/${orderId}/changes`, { method: 'POST', body: { operations: [operation], reason: { code: reason }, app: 'picker' }, headers: { 'idempotency-key': idempotencyKey() } });
      setBanner(answer.status === 200 ? bannerOf(answer.data) : { changeId: answer.data.id, state: 'pending', title: 'Pending…', detail: `${answer.data.ticket} is being applied.` });
    } catch (e) {
      if (e instanceof ApiError && e.problem.changeId) {
        const change = await get<Change>(`/v1/changes/${e.problem.changeId}`).catch(() => null);
        setBanner(change ? bannerOf(change) : { state: 'rejected', title: `Rejected: ${e.problem.detail}`, nextStep: e.problem.hint });
      } else if (e instanceof ApiError) setBanner({ state: 'rejected', title: `Not sent: ${e.problem.detail ?? e.problem.code}`, nextStep: e.problem.hint });
      else setBanner({ state: 'rejected', title: 'Amend could not be reached.', nextStep: 'Check the connection and try again.' });
    }
    refresh();
  };

  const unread = inbox.data?.items.length ?? 0;
  return (
    <div className="picker">
      <header className="picker-bar">
        <strong>Picker</strong><span className="small">{me.actorId.replace(/^usr_(demo_)?/, '')}</span>
        <button type="button" className="ghost" onClick={onSignOut}>Sign out</button>
      </header>
      {banner && (
        <div className={`banner banner-${banner.state}`} role={banner.state === 'rejected' || banner.state === 'failed' ? 'alert' : 'status'} aria-live="assertive" data-testid="outcome-banner">
          <p className="banner-title">{banner.state === 'pending' && <span className="spinner" aria-hidden="true" />} {banner.title}</p>
          {banner.detail && <p>{banner.detail}</p>}
          {banner.nextStep && <p className="banner-next"><strong>What to do:</strong> {banner.nextStep}</p>}
          {banner.state !== 'pending' && <button type="button" className="ghost" onClick={() => setBanner(null)}>Dismiss</button>}
        </div>
      )}
      <nav className="tabs" aria-label="Picker">
        <button type="button" aria-pressed={tab === 'jobs'} onClick={() => setTab('jobs')}>My pick jobs</button>
        <button type="button" aria-pressed={tab === 'inbox'} onClick={() => setTab('inbox')}>Inbox{unread > 0 && <span className="count" aria-label={`${unread} unacknowledged`}>{unread}</span>}</button>
      </nav>
      <main id="main">
        {tab === 'jobs' ? (
          <>
            <ProblemBox error={jobs.error} title="Your pick jobs could not be loaded" />
            {jobs.loading && !jobs.data && <Loading what="Loading your pick jobs" />}
            {jobs.data && jobs.data.items.filter((j) => j.status === 'open' || j.status === 'in-progress').length === 0 && <Empty>No pick job is assigned to you.</Empty>}
            {jobs.data?.items.filter((j) => j.status === 'open' || j.status === 'in-progress').map((j) => <JobCard key={j.id} job={j} tick={tick} onRequest={request} onPicked={refresh} />)}
          </>
        ) : <Inbox entries={inbox.data?.items} onAck={refresh} />}
      </main>
    </div>
  );
}

function JobCard({ job, tick, onRequest, onPicked }: { job: PickJob; tick: number; onRequest: (orderId: string, op: Record<string, unknown>, reason: string) => Promise<void>; onPicked: () => void }) {
  const order = useAsync(() => get<Order>(`/v1/orders/${job.orderId}`), [job.orderId, tick]);
  const [missing, setMissing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const pick = async (lineId: string, quantity: number) => {
    setError(null);
    try { await call(`/v1/pick-jobs/${job.id}/picks`, { method: 'POST', body: { lines: [{ lineId, quantity }] } }); onPicked(); } catch (e) { setError(e); }
  };
  if (!order.data) return <section className="card"><Loading /></section>;
  const o = order.data;
  return (
    <section className="card job" aria-labelledby={`job-${job.id}`}>
      <h2 id={`job-${job.id}`}>{o.channelOrderRef} <span className="small muted">{job.facilityId} · {job.status}</span></h2>
      <ProblemBox error={error} />
      <ul className="pick-lines">
        {job.lines.map((jl) => {
          const line = o.lines.find((l) => l.lineId === jl.lineId);
          if (!line) return null;
          const left = jl.quantity - jl.picked;
          return (
            <li key={jl.lineId} className={left === 0 ? 'done' : undefined}>
              <div className="pick-item"><strong>{line.name}</strong><span className="small muted">{line.sku}</span><span className="qty" aria-label={`${jl.picked} of ${jl.quantity} picked`}>{jl.picked}/{jl.quantity}</span></div>
              {left > 0 && (
                <div className="pick-actions">
                  <button type="button" className="primary" onClick={() => pick(jl.lineId, left)}>Picked</button>
                  <button type="button" aria-expanded={missing === jl.lineId} onClick={() => setMissing(missing === jl.lineId ? null : jl.lineId)}>Missing…</button>
                </div>
              )}
              {missing === jl.lineId && <MissingPanel line={line} picked={jl.picked} onSend={async (op, reason) => { setMissing(null); await onRequest(o.id, op, reason); }} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function MissingPanel({ line, picked, onSend }: { line: Line; picked: number; onSend: (op: Record<string, unknown>, reason: string) => Promise<void> }) {
  const [quantity, setQuantity] = useState(Math.max(1, line.quantity - 1));
  const [other, setOther] = useState('');
  return (
    <div className="missing" role="group" aria-label={`${line.name} is missing`}>
      <p className="small">Substitute with:</p>
      <div className="subs">
        {line.allowedSubstitutes.map((s) => <button key={s} type="button" onClick={() => onSend({ op: 'replaceItem', lineId: line.lineId, sku: s, quantity: line.quantity }, 'SUBSTITUTION')}>{s}</button>)}
        {line.allowedSubstitutes.length === 0 && <span className="small muted">No substitute is allowed for this item.</span>}
      </div>
      {line.allowedSubstitutes.length > 0 && (
        <div className="row">
          <label className="sr-only" htmlFor={`other-${line.lineId}`}>Other SKU</label>
          <input id={`other-${line.lineId}`} placeholder="other SKU" value={other} onChange={(e) => setOther(e.target.value)} />
          <button type="button" disabled={!other} onClick={() => onSend({ op: 'replaceItem', lineId: line.lineId, sku: other.trim(), quantity: line.quantity }, 'SUBSTITUTION')}>Substitute</button>
        </div>
      )}
      <div className="row">
        <label htmlFor={`reduce-${line.lineId}`}>Reduce to</label>
        <input id={`reduce-${line.lineId}`} type="number" min={Math.max(1, picked)} max={line.quantity - 1} value={quantity} onChange={(e) => setQuantity(Number(e.target.value))} />
        <button type="button" disabled={quantity >= line.quantity} onClick={() => onSend({ op: 'setQuantity', lineId: line.lineId, quantity }, 'ITEM_MISSING')}>Reduce</button>
      </div>
      <button type="button" className="danger" onClick={() => onSend({ op: 'removeItem', lineId: line.lineId }, 'ITEM_MISSING')}>Remove from order</button>
    </div>
  );
}

function Inbox({ entries, onAck }: { entries: InboxEntry[] | undefined; onAck: () => void }) {
  if (!entries) return <Loading />;
  if (entries.length === 0) return <Empty>Nothing to acknowledge.</Empty>;
  return (
    <ul className="inbox">
      {entries.map((e) => (
        <li key={e.id} className={`card inbox-${e.outcome}`}>
          <p><strong>{e.outcome === 'applied' ? 'Accepted' : e.outcome === 'rejected' ? 'Rejected' : e.outcome}</strong> <code className="code">{e.code}</code> <span className="small muted">{e.orderId}</span></p>
          <p>{e.detail}</p>
          {e.outcome !== 'applied' && <p className="small"><strong>What to do:</strong> {e.nextStep}</p>}
          <button type="button" onClick={async () => { await call(`/v1/inbox/${e.id}/ack`, { method: 'POST', body: {} }); onAck(); }}>Got it</button>
        </li>
      ))}
    </ul>
  );
}
