/** Orders: search, filters and paging over GET /v1/orders. */
import { useState, type FormEvent } from 'react';
import { get, money, when } from '../api';
import { Link, navigate } from '../router';
import type { Order, Page } from '../api/client';
import { Empty, Loading, ProblemBox, StatusBadge, useAsync } from '../components/ui';

const STATUSES = [
  'payment-pending',
  'payment-approved',
  'handling',
  'ready-for-invoice',
  'invoiced',
  'shipped',
  'delivered',
  'canceled',
];
const FILTERS = [
  'q',
  'status',
  'channel',
  'facilityId',
  'modified',
  'unroutable',
  'awaitingApproval',
] as const;

export function OrdersPage({ url, canBulk = false }: { url: URL; canBulk?: boolean }) {
  const params = url.searchParams;
  const [draft, setDraft] = useState(
    () =>
      Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<
        (typeof FILTERS)[number],
        string
      >,
  );
  const query = new URLSearchParams();
  for (const f of FILTERS) if (params.get(f)) query.set(f, params.get(f) as string);
  if (params.get('cursor')) query.set('cursor', params.get('cursor') as string);
  query.set('limit', '20');
  const { data, error, loading } = useAsync(
    () => get<Page<Order>>(`/v1/orders?${query}`),
    [query.toString()],
  );
  const facilities = useAsync(
    () => get<Page<{ id: string; name: string }>>('/v1/facilities?limit=200'),
    [],
  );

  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string, on: boolean) =>
    setSelected((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));
  const filterQuery = () => {
    const f = new URLSearchParams();
    for (const k of FILTERS) if (params.get(k)) f.set(k, params.get(k) as string);
    return f.toString();
  };

  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    const next = new URLSearchParams();
    for (const f of FILTERS) if (draft[f]) next.set(f, draft[f]);
    navigate(`/orders?${next}`);
  };
  const set = (f: (typeof FILTERS)[number], v: string) => setDraft((d) => ({ ...d, [f]: v }));
  const filtered = FILTERS.some((f) => params.get(f));

  return (
    <>
      <h1>Orders</h1>
      <form className="filters" onSubmit={apply} role="search" aria-label="Find orders">
        <div className="field grow">
          <label htmlFor="q">Search</label>
          <input
            id="q"
            type="search"
            placeholder="Order id, channel ref, customer name or e-mail"
            value={draft.q}
            onChange={(e) => set('q', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" value={draft.status} onChange={(e) => set('status', e.target.value)}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="channel">Channel</label>
          <input
            id="channel"
            value={draft.channel}
            onChange={(e) => set('channel', e.target.value)}
            placeholder="web, app, …"
            size={10}
          />
        </div>
        <div className="field">
          <label htmlFor="facility">Facility</label>
          <select
            id="facility"
            value={draft.facilityId}
            onChange={(e) => set('facilityId', e.target.value)}
          >
            <option value="">any</option>
            {facilities.data?.items.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="checks">
          <legend>Only</legend>
          {(
            [
              ['modified', 'modified'],
              ['unroutable', 'unroutable'],
              ['awaitingApproval', 'awaiting approval'],
            ] as const
          ).map(([f, label]) => (
            <label key={f}>
              <input
                type="checkbox"
                checked={draft[f] === 'true'}
                onChange={(e) => set(f, e.target.checked ? 'true' : '')}
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        <div className="field actions">
          <button type="submit" className="primary">
            Apply
          </button>
          {filtered && (
            <button
              type="button"
              onClick={() => {
                setDraft(Object.fromEntries(FILTERS.map((f) => [f, ''])) as typeof draft);
                navigate('/orders');
              }}
            >
              Clear
            </button>
          )}
        </div>
      </form>
      <ProblemBox error={error} title="The orders could not be loaded" />
      {loading && <Loading what="Loading orders" />}
      {data && data.items.length === 0 && <Empty>No order matches these filters.</Empty>}
      {canBulk && data && data.items.length > 0 && (
        <div className="bulk-bar" role="region" aria-label="Bulk edit">
          <span>
            {selected.length
              ? `${selected.length} selected`
              : 'Select orders to change them together, or take the whole filter.'}
          </span>
          <button
            type="button"
            disabled={!selected.length}
            onClick={() => navigate(`/bulk?ids=${encodeURIComponent(selected.join(','))}`)}
          >
            Bulk edit selected
          </button>
          {filtered && (
            <button type="button" onClick={() => navigate(`/bulk?${filterQuery()}`)}>
              Bulk edit all matching
            </button>
          )}
          {selected.length > 0 && (
            <button type="button" className="ghost" onClick={() => setSelected([])}>
              Clear selection
            </button>
          )}
        </div>
      )}
      {data && data.items.length > 0 && (
        <div className="table-wrap">
          <table className="orders">
            <caption className="sr-only">Orders, newest first</caption>
            <thead>
              <tr>
                {canBulk && (
                  <th scope="col">
                    <span className="sr-only">Select</span>
                  </th>
                )}
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Status</th>
                <th scope="col">Channel</th>
                <th scope="col">Facility</th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col">Version</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((o) => (
                <tr key={o.id} className={selected.includes(o.id) ? 'selected' : undefined}>
                  {canBulk && (
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${o.channelOrderRef}`}
                        checked={selected.includes(o.id)}
                        onChange={(e) => toggle(o.id, e.target.checked)}
                      />
                    </td>
                  )}
                  <td>
                    <Link to={`/orders/${o.id}`}>{o.channelOrderRef}</Link>
                  </td>
                  <td>{o.customer.name}</td>
                  <td>
                    <StatusBadge status={o.status} />
                    {o.fulfilment?.routing.status === 'unroutable' && (
                      <StatusBadge status="unroutable" />
                    )}
                    {o.origin !== 'direct' && <span className="tag">{o.origin}</span>}
                  </td>
                  <td>{o.channel}</td>
                  <td>{o.facilityId ?? '—'}</td>
                  <td className="num">{money(o.totals.grandTotal, o.currency)}</td>
                  <td>
                    {o.version > 0 ? (
                      <span className="tag">v{o.version}</span>
                    ) : (
                      <span className="muted">v0</span>
                    )}
                  </td>
                  <td>{when(o.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pages">
        {params.get('cursor') && (
          <button
            type="button"
            onClick={() => {
              const p = new URLSearchParams(params);
              p.delete('cursor');
              navigate(`/orders?${p}`);
            }}
          >
            ← First page
          </button>
        )}
        {data?.nextCursor && (
          <button
            type="button"
            onClick={() => {
              const p = new URLSearchParams(params);
              p.set('cursor', data.nextCursor as string);
              navigate(`/orders?${p}`);
            }}
          >
            Next page →
          </button>
        )}
      </nav>
    </>
  );
}
