/** One order: lines, totals, payments, fulfilment, the timeline of changes and the audit, earlier versions. */
import { useEffect, useRef, useState } from 'react';
import { get } from '../api';
import { Link } from '../router';
import type { Change, Editability, HistoryEntry, Order, Page, Settings } from '../api/client';
import { CustomerNotifications } from '../components/CustomerNotifications';
import { Loading, ProblemBox, StatusBadge, useAsync } from '../components/ui';
import {
  appLabel,
  day,
  fieldLabel,
  lineTotal,
  method,
  money,
  operationsSentence,
  person,
  personHint,
  plain,
  valueAt,
  when,
  type Names,
} from '../format';
import { usePeople, useProductNames } from '../names';
import { ORDER_EVENTS, useEvents } from '../events';
import { EditOrderDialog } from './EditOrder';
import { ProcessActions, type Action } from './ProcessActions';

export function OrderPage({ id }: { id: string }) {
  const [version, setVersion] = useState<number | null>(null);
  const [editing, setEditing] = useState(false);
  const [acting, setActing] = useState<Action | null>(null);
  const [tick, setTick] = useState(0);
  /** Something happened to the order while a dialog was open: shown, and loaded when it closes. */
  const [stale, setStale] = useState(false);
  const order = useAsync(() => get<Order>(`/v1/orders/${encodeURIComponent(id)}`), [id, tick]);
  const past = useAsync(
    () =>
      version === null
        ? Promise.resolve(null)
        : get<Order>(`/v1/orders/${encodeURIComponent(id)}?version=${version}`),
    [id, version, tick],
  );
  const changes = useAsync(
    () => get<Page<Change>>(`/v1/orders/${encodeURIComponent(id)}/changes`),
    [id, tick],
  );
  const history = useAsync(
    () => get<Page<HistoryEntry>>(`/v1/orders/${encodeURIComponent(id)}/history`),
    [id, tick],
  );
  const editability = useAsync(
    () => get<Editability>(`/v1/orders/${encodeURIComponent(id)}/editability`),
    [id, tick],
  );
  const people = usePeople();
  const products = useProductNames();
  const settings = useAsync(() => get<Settings>('/v1/settings').catch(() => null), []);
  const reasonLabel = (code: string | null | undefined) => {
    if (!code) return '—';
    const all = Object.values(settings.data?.reasons ?? {}).flat();
    return all.find((r) => r.code === code)?.label ?? code.replace(/_/g, ' ').toLowerCase();
  };
  const reload = () => {
    setStale(false);
    setTick((t) => t + 1);
  };

  // Live: whatever happens to this order (an approval, a picker's change, a worker's outcome) shows up
  // without a reload, but never under an open dialog, whose version check must stay the one it opened with.
  const dialogOpen = editing || acting !== null;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const live = useEvents(`orderId=${encodeURIComponent(id)}`, ORDER_EVENTS, () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => (dialogOpen ? setStale(true) : reload()), 250);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => {
    if (!dialogOpen && stale) reload();
  }, [dialogOpen]); // eslint-disable-line react-hooks/exhaustive-deps

  if (order.error)
    return (
      <>
        <p>
          <Link to="/orders">← Orders</Link>
        </p>
        <ProblemBox error={order.error} title="This order could not be loaded" />
      </>
    );
  if (!order.data) return <Loading what="Loading the order" />;
  const o = order.data;
  const shown =
    version !== null && past.data
      ? { ...o, ...past.data, status: o.status, fulfilment: o.fulfilment }
      : o;
  const names: Names = { order: shown, people, products };
  const noteOf = new Map((changes.data?.items ?? []).map((c) => [c.id, c.reason?.text]));
  const anyEdit =
    editability.data &&
    (Object.values(editability.data.operations).some((a) => a.visible !== false && a.allowed) ||
      Object.values(editability.data.lines).some((l) =>
        Object.values(l).some((a) => 'allowed' in a && a.allowed),
      ));

  return (
    <>
      <p>
        <Link to="/orders">← Orders</Link>
      </p>
      <div className="order-head">
        <div>
          <h1>
            Order {o.channelOrderRef}{' '}
            <span
              className={`live-dot live-${live}`}
              title={live === 'live' ? 'Updates live' : 'Live updates reconnecting'}
            >
              <span className="sr-only">
                {live === 'live' ? 'updates live' : 'live updates reconnecting'}
              </span>
            </span>
          </h1>
          <p className="meta">
            <StatusBadge status={o.status} />{' '}
            {o.origin !== 'direct' && <span className="tag">{o.origin}</span>}{' '}
            <span>{o.channel}</span> · <span>{o.customer.name}</span> ·{' '}
            <span>store or warehouse {o.facilityId ?? '—'}</span> ·{' '}
            <span>carrier {o.carrier ?? '—'}</span>
          </p>
        </div>
        <div className="head-actions">
          <label className="inline" htmlFor="version">
            Version
          </label>
          <select
            id="version"
            value={version ?? 'current'}
            onChange={(e) =>
              setVersion(e.target.value === 'current' ? null : Number(e.target.value))
            }
          >
            <option value="current">current (v{o.version})</option>
            {Array.from({ length: o.version }, (_, i) => o.version - 1 - i).map((v) => (
              <option key={v} value={v}>
                v{v}
                {v === 0 ? ' (as imported)' : ''}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="primary"
            onClick={() => setEditing(true)}
            disabled={!anyEdit || version !== null}
            aria-describedby={!anyEdit || version !== null ? 'why-no-edit' : undefined}
          >
            Edit order
          </button>
        </div>
      </div>
      {editability.data && (!anyEdit || version !== null) && (
        <p className="why" id="why-no-edit">
          {version !== null
            ? 'You are looking at an earlier version: choose “current” to edit the order.'
            : `Nothing of this order can be changed by you now: ${
                [
                  ...new Set(
                    Object.values(editability.data.operations)
                      .filter((a) => a.visible !== false)
                      .flatMap((a) => a.refusals ?? [])
                      .map((r) => plain(r.detail, names)),
                  ),
                ]
                  .slice(0, 2)
                  .join(' ') || 'your role may not edit it.'
              }`}
        </p>
      )}
      {version !== null && (
        <div className="alert alert-info" role="status">
          You are looking at version {version}. Lines, addresses, totals and payments are as they
          were then; status and fulfilment are today's.
        </div>
      )}
      <ProcessActions
        order={o}
        editability={editability.data}
        open={acting}
        onOpen={setActing}
        onDone={reload}
      />

      <div className="grid">
        <div>
          <section className="card" aria-labelledby="lines-h">
            <h2 id="lines-h">Lines</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col" className="num">
                    Qty
                  </th>
                  <th scope="col" className="num">
                    Unit price
                  </th>
                  <th scope="col" className="num">
                    Discount
                  </th>
                  <th scope="col" className="num">
                    Line total
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.lines.map((l) => (
                  <tr key={l.lineId}>
                    <td>
                      {l.name} <span className="muted small">{l.sku}</span>
                      {l.weighable && (
                        <span className="tag">
                          × {l.unitMultiplier} {l.measurementUnit}
                        </span>
                      )}
                      {l.bundleId && <span className="tag">bundle</span>}
                      {l.parentLineId && <span className="tag">service</span>}
                    </td>
                    <td className="num">{l.quantity}</td>
                    <td className="num">{money(l.unitPrice, o.currency)}</td>
                    <td className="num">{l.discount ? money(-l.discount, o.currency) : '—'}</td>
                    <td className="num">{money(lineTotal(l), o.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="card" aria-labelledby="ful-h">
            <h2 id="ful-h">Fulfilment</h2>
            {o.fulfilment && (
              <>
                <p>
                  Routing: <StatusBadge status={o.fulfilment.routing.status} />
                  {o.fulfilment.routing.reasons.map((r) => (
                    <span key={r.lineId} className="small">
                      {' '}
                      {o.lines.find((l) => l.lineId === r.lineId)?.name ?? r.sku} lacks {r.missing}
                    </span>
                  ))}
                  {o.fulfilment.routing.blacklist.length > 0 && (
                    <span className="small">
                      {' '}
                      · blacklisted: {o.fulfilment.routing.blacklist.join(', ')}
                    </span>
                  )}
                </p>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Pick job</th>
                      <th scope="col">Facility</th>
                      <th scope="col">Status</th>
                      <th scope="col">Assignee</th>
                      <th scope="col">Lines (picked / to pick)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {o.fulfilment.pickJobs.map((j, i) => (
                      <tr key={j.id}>
                        <td>Pick list {i + 1}</td>
                        <td>{j.facilityId}</td>
                        <td>
                          <StatusBadge status={j.status} />{' '}
                          {j.subStatus && <span className="small muted">{j.subStatus}</span>}
                        </td>
                        <td>{j.assigneeId ? person(j.assigneeId, names) : '—'}</td>
                        <td className="small">
                          {j.lines
                            .map(
                              (l) =>
                                `${o.lines.find((x) => x.lineId === l.lineId)?.name ?? 'an item'} ${l.picked}/${l.quantity}`,
                            )
                            .join(' · ')}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p className="small">
                  Labels:{' '}
                  {o.fulfilment.labels.length
                    ? o.fulfilment.labels.map((l) => `${l.carrier} ${l.status}`).join(', ')
                    : 'none'}{' '}
                  · Packages: {o.fulfilment.packages.length} · Hand-over:{' '}
                  {o.fulfilment.handover?.status ?? '—'}
                </p>
              </>
            )}
          </section>
        </div>
        <div>
          <section className="card" aria-labelledby="totals-h">
            <h2 id="totals-h">Totals</h2>
            <dl className="totals">
              <dt>Items</dt>
              <dd>{money(shown.totals.items, o.currency)}</dd>
              <dt>Discounts</dt>
              <dd>{shown.totals.discounts ? money(-shown.totals.discounts, o.currency) : '—'}</dd>
              <dt>Increments</dt>
              <dd>{shown.totals.increments ? money(shown.totals.increments, o.currency) : '—'}</dd>
              <dt>Shipping</dt>
              <dd>{money(shown.totals.shipping, o.currency)}</dd>
              <dt>Tax (included)</dt>
              <dd>{money(shown.totals.tax, o.currency)}</dd>
              <dt className="grand">Grand total</dt>
              <dd className="grand">{money(shown.totals.grandTotal, o.currency)}</dd>
            </dl>
            <h3>Payments</h3>
            {shown.payments.length === 0 && <p className="muted">No payment.</p>}
            <ul className="plain">
              {shown.payments.map((p) => (
                <li key={p.id}>
                  <strong>{method(p.method)}</strong>
                  {p.settledByApi && <span className="tag">settled by API</span>}
                  <br />
                  <span className="small">
                    authorized {money(p.authorized, o.currency)} · captured{' '}
                    {money(p.captured, o.currency)} · refunded {money(p.refunded, o.currency)}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section className="card" aria-labelledby="ship-h">
            <h2 id="ship-h">Delivery</h2>
            <address>
              {shown.shippingAddress.name}
              <br />
              {shown.shippingAddress.street}
              <br />
              {shown.shippingAddress.postalCode} {shown.shippingAddress.city}
              <br />
              {shown.shippingAddress.country}
            </address>
            <p className="small">
              Preferred date: {day(shown.preferredDeliveryDate)}
              {shown.deliveryWindow && (
                <>
                  {' '}
                  · window {when(shown.deliveryWindow.from)} – {when(shown.deliveryWindow.to)}
                </>
              )}
            </p>
            {Object.keys(shown.customAttributes).length > 0 && (
              <p className="small">
                Attributes:{' '}
                {Object.entries(shown.customAttributes)
                  .map(
                    ([k, v]) => `${k} = ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
                  )
                  .join(', ')}
              </p>
            )}
          </section>
        </div>
      </div>

      <section className="card" aria-labelledby="timeline-h">
        <h2 id="timeline-h">Changes</h2>
        {changes.loading && <Loading />}
        {changes.data && changes.data.items.length === 0 && <p className="muted">No change yet.</p>}
        <ol className="timeline">
          {changes.data?.items
            .slice()
            .reverse()
            .map((c) => (
              <li key={c.id}>
                <div className="tl-head">
                  <StatusBadge status={c.status} /> <strong>{c.ticket}</strong>{' '}
                  {operationsSentence(c.operations, names)}
                  <span className="muted small">
                    {' '}
                    by {person(c.requestedBy.actorId, names)} ({appLabel(c.requestedBy.app)}) ·{' '}
                    {when(c.createdAt)}
                    {c.reason && (
                      <>
                        {' '}
                        · {reasonLabel(c.reason.code)}
                        {c.reason.text && `: “${c.reason.text}”`}
                      </>
                    )}
                  </span>
                </div>
                {c.outcome && c.status !== 'applied' && (
                  <p className="small">
                    {plain(c.outcome.detail, names)}{' '}
                    <span className="muted">
                      {plain(personHint(c.outcome.code, c.outcome.nextStep), names)}
                    </span>
                  </p>
                )}
                {c.approval?.required && (
                  <p className="small">
                    Needed approval:{' '}
                    {c.approval.reasons.map((r) => plain(r.detail, names)).join(' ')}{' '}
                    {c.approval.decidedBy &&
                      `(${c.approval.decision ?? 'decided'} by ${person(c.approval.decidedBy, names)}${c.approval.note ? `: “${c.approval.note}”` : ''})`}
                  </p>
                )}
              </li>
            ))}
        </ol>
      </section>
      <CustomerNotifications orderId={id} tick={tick} />
      <section className="card" aria-labelledby="audit-h">
        <h2 id="audit-h">History (who changed what)</h2>
        {history.data && history.data.items.length === 0 && (
          <p className="muted">Nothing changed since the import.</p>
        )}
        {history.data && history.data.items.length > 0 && (
          <table className="audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Field</th>
                <th scope="col">Old → new</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {history.data.items
                .slice()
                .reverse()
                .map((h, i) => (
                  <tr key={i}>
                    <td className="small">
                      {when(h.at)}
                      <br />
                      <span className="muted">{h.ticket}</span>
                    </td>
                    <td className="small">
                      {person(h.actor.id, names)}
                      <br />
                      <span className="muted">
                        {h.actor.role} · {appLabel(h.actor.app)}
                      </span>
                    </td>
                    <td>{fieldLabel(h.path, names)}</td>
                    <td className="diff">
                      <span className="old">{valueAt(h.path, h.old, names)}</span> →{' '}
                      <span className="new">{valueAt(h.path, h.new, names)}</span>
                    </td>
                    <td className="small">
                      {reasonLabel(h.reasonCode)}
                      {noteOf.get(h.changeId) && (
                        <>
                          <br />“{noteOf.get(h.changeId)}”
                        </>
                      )}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        )}
      </section>
      {editing && editability.data && (
        <EditOrderDialog
          order={o}
          editability={editability.data}
          stale={stale}
          onClose={() => setEditing(false)}
          onDone={() => {
            reload();
          }}
        />
      )}
    </>
  );
}
