/** The supervisors' queue: changes the policy sent for approval, with its reasons; approve or reject with a note. */
import { useState } from 'react';
import { RiskBadge } from '../components/RiskBadge';
import { call, get, idempotencyKey } from '../api';
import { Link } from '../router';
import type { Change, Me, Order, Page, Settings } from '../api/client';
import { Empty, Loading, ProblemBox, useAsync } from '../components/ui';
import {
  appLabel,
  money,
  operationSentence,
  paymentSentence,
  person,
  plain,
  when,
  type Names,
} from '../format';
import { usePeople, useProductNames } from '../names';
import { Outcome } from './EditOrder';
import { useEvents } from '../events';

/** `me` is null until /v1/me answers: the queue loads meanwhile, only "your own change" waits for it. */
export function ApprovalsPage({ me }: { me: Me | null }) {
  const queue = useAsync(() => get<Page<Change>>('/v1/approvals'), []);
  const settings = useAsync(() => get<Settings>('/v1/settings'), []);
  const [done, setDone] = useState<Record<string, Change>>({});
  const people = usePeople();
  const products = useProductNames();
  // Each card names its order's items and number: the orders of the queue, read once each.
  const ids = [
    ...new Set([...(queue.data?.items ?? []), ...Object.values(done)].map((c) => c.orderId)),
  ];
  const orders = useAsync(
    () =>
      Promise.all(
        ids.map((id) => get<Order>(`/v1/orders/${encodeURIComponent(id)}`).catch(() => null)),
      ).then((os) => new Map(os.filter((o): o is Order => o !== null).map((o) => [o.id, o]))),
    [ids.join(',')],
  );
  const namesOf = (orderId: string): Names => ({
    order: orders.data?.get(orderId),
    people,
    products,
  });
  // The queue follows the tenant's changes live: new requests come in, others' decisions leave.
  useEvents(
    '',
    [
      'CHANGE_AWAITING_APPROVAL',
      'CHANGE_APPROVED',
      'CHANGE_REJECTED',
      'CHANGE_CANCELED',
      'CHANGE_APPLIED',
    ],
    queue.reload,
  );
  const waiting = (queue.data?.items ?? []).filter((c) => !done[c.id]);
  return (
    <>
      <h1>Approvals</h1>
      <p className="muted">
        Changes the tenant's policy found risky, riskiest first. Nobody approves their own change.
      </p>
      <ProblemBox error={queue.error} title="The queue could not be loaded" />
      {queue.loading && !queue.data && <Loading what="Loading the queue" />}
      {Object.keys(done).length > 0 && (
        <ul className="cards" aria-label="Decided just now">
          {Object.values(done).map((c) => (
            <li key={c.id} className="card approval">
              <h2>
                {c.ticket} ·{' '}
                <Link to={`/orders/${c.orderId}`}>
                  {orders.data?.get(c.orderId)?.channelOrderRef ?? 'the order'}
                </Link>
              </h2>
              <Outcome change={c} order={orders.data?.get(c.orderId)} />
            </li>
          ))}
        </ul>
      )}
      {queue.data && waiting.length === 0 && <Empty>Nothing waits for approval.</Empty>}
      <ul className="cards" aria-label="Waiting for approval">
        {waiting.map((c) => (
          <li key={c.id} className="card approval">
            <ApprovalCard
              change={c}
              me={me}
              names={namesOf(c.orderId)}
              settings={settings.data}
              onDecided={(x) => setDone((d) => ({ ...d, [c.id]: x }))}
            />
          </li>
        ))}
      </ul>
    </>
  );
}

function ApprovalCard({
  change: c,
  me,
  names,
  settings,
  onDecided,
}: {
  change: Change;
  me: Me | null;
  names: Names;
  settings: Settings | undefined;
  onDecided: (c: Change) => void;
}) {
  const [note, setNote] = useState('');
  const [reasonCode, setReasonCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const own = me !== null && c.requestedBy.actorId === me.actorId;
  const decide = async (verb: 'approve' | 'reject') => {
    setBusy(true);
    setError(null);
    try {
      const body =
        verb === 'approve'
          ? { ...(note ? { note } : {}) }
          : { reasonCode, ...(note ? { note } : {}) };
      onDecided(
        (
          await call<Change>(`/v1/changes/${c.id}/${verb}`, {
            method: 'POST',
            body,
            headers: { prefer: 'wait=10', 'idempotency-key': idempotencyKey() },
          })
        ).data,
      );
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const t = c.plan?.totals;
  const currency = names.order?.currency ?? 'EUR';
  const reasonLabel = (code: string) =>
    Object.values(settings?.reasons ?? {})
      .flat()
      .find((r) => r.code === code)?.label ?? code.replace(/_/g, ' ').toLowerCase();
  return (
    <article aria-labelledby={`ap-${c.id}`}>
      <header className="row between">
        <h2 id={`ap-${c.id}`}>
          {c.ticket} ·{' '}
          <Link to={`/orders/${c.orderId}`}>{names.order?.channelOrderRef ?? 'the order'}</Link>
        </h2>
        <span className="score" title="Risk score 0–100">
          risk {c.approval?.risk?.score ?? c.approval?.score ?? 0} of 100
        </span>
      </header>
      <ul className="plain what">
        {c.operations.map((o, i) => (
          <li key={i}>
            <strong>{operationSentence(o, names)}</strong>
          </li>
        ))}
      </ul>
      <p className="small muted">
        Asked by {person(c.requestedBy.actorId, names)} ({appLabel(c.requestedBy.app)}) ·{' '}
        {when(c.createdAt)}
        {c.reason &&
          ` · ${reasonLabel(c.reason.code)}${c.reason.text ? `: “${c.reason.text}”` : ''}`}
      </p>
      <RiskBadge risk={c.approval?.risk} />
      <p className="small">Why it needs approval:</p>
      <ul className="reasons">
        {c.approval?.reasons.map((r, i) => (
          <li key={i} data-code={r.code}>
            {plain(r.detail, names)}
          </li>
        ))}
      </ul>
      {t && (
        <p className="small">
          Total {money(t.before.grandTotal, currency)} →{' '}
          <strong>{money(t.after.grandTotal, currency)}</strong>
          {c.plan?.payments.length
            ? ` · ${c.plan.payments.map((p) => paymentSentence(p, currency)).join(' · ')}`
            : ''}
        </p>
      )}
      <div className="row wrap">
        <div className="field grow">
          <label htmlFor={`note-${c.id}`}>Note</label>
          <input id={`note-${c.id}`} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`rr-${c.id}`}>Rejection reason</label>
          <select
            id={`rr-${c.id}`}
            value={reasonCode}
            onChange={(e) => setReasonCode(e.target.value)}
          >
            <option value="">—</option>
            {settings?.reasons.rejection?.map((r) => (
              <option key={r.code} value={r.code}>
                {r.label ?? r.code}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ProblemBox error={error} names={names} />
      {own && (
        <p className="small muted">You asked for this change: another supervisor must decide.</p>
      )}
      <div className="dialog-actions">
        <button
          type="button"
          className="danger"
          disabled={busy || !reasonCode}
          onClick={() => decide('reject')}
        >
          Reject
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => decide('approve')}>
          Approve
        </button>
      </div>
    </article>
  );
}
