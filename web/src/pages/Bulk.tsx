/** Bulk edit: one operation on many orders (ids or a filter), a dry run first, then a job with progress and results. */
import { useEffect, useState, type FormEvent } from 'react';
import { call, get, idempotencyKey } from '../api';
import type { BulkJob, Settings } from '../api/client';
import { BulkJobView, useOrderRefs } from '../components/BulkJobView';
import { ProblemBox, useAsync } from '../components/ui';

type Job = BulkJob;
const OPERATIONS: Record<
  string,
  { name: string; label: string; type?: string; build: (v: string) => Record<string, unknown> }
> = {
  setDeliveryDate: {
    name: 'Change the delivery date',
    label: 'Preferred delivery date',
    type: 'date',
    build: (v) => ({ op: 'setDeliveryDate', date: v }),
  },
  adjustTotal: {
    name: 'Give an extra discount',
    label: 'Extra discount (EUR)',
    type: 'number',
    build: (v) => ({ op: 'adjustTotal', discount: Math.round(Number(v) * 100) }),
  },
  setCustomAttributes: {
    name: 'Set a custom attribute',
    label: 'Custom attribute (key=value)',
    build: (v) => {
      const [k, ...rest] = v.split('=');
      return { op: 'setCustomAttributes', set: { [k ?? '']: rest.join('=') } };
    },
  },
  changeCarrier: {
    name: 'Change the carrier',
    label: 'Carrier',
    build: (v) => ({ op: 'changeCarrier', carrier: v }),
  },
};

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
/** The orders list's filters beyond status, channel and search, carried over when it sent us here. */
const EXTRA = ['facilityId', 'origin', 'modified', 'unroutable', 'awaitingApproval'];

export function BulkPage({ url }: { url: URL }) {
  const settings = useAsync(() => get<Settings>('/v1/settings'), []);
  const given = url.searchParams;
  const [by, setBy] = useState<'ids' | 'filter'>(given.get('ids') ? 'ids' : 'filter');
  const [ids, setIds] = useState(() =>
    (given.get('ids') ?? '').split(',').filter(Boolean).join('\n'),
  );
  const [filter, setFilter] = useState<Record<string, string>>(() => ({
    status: given.get('ids')
      ? 'payment-approved'
      : (given.get('status') ?? (given.size ? '' : 'payment-approved')),
    channel: given.get('channel') ?? '',
    q: given.get('q') ?? '',
    ...Object.fromEntries(
      EXTRA.filter((k) => given.get(k)).map((k) => [k, given.get(k) as string]),
    ),
  }));
  const [op, setOp] = useState('setDeliveryDate');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [job, setJob] = useState<Job | null>(null);
  const [dry, setDry] = useState(true);
  const [error, setError] = useState<unknown>(null);

  // A dry run answers for the form as it was: any edit asks for a new one before running.
  useEffect(() => {
    setJob((j) => (j && dry ? null : j));
  }, [by, ids, filter, op, value, reason]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (!job || job.status === 'completed' || job.status === 'canceled') return;
    const t = setTimeout(async () => {
      try {
        setJob(await get<Job>(`/v1/bulk-changes/${job.id}`));
      } catch (e) {
        setError(e);
      }
    }, 400);
    return () => clearTimeout(t);
  }, [job]);

  const start = async (dryRun: boolean, e?: FormEvent) => {
    e?.preventDefault();
    setError(null);
    setDry(dryRun);
    // The real job starts empty: the dry run's counts are never shown as the job's.
    setJob(null);
    const target =
      by === 'ids'
        ? { orderIds: ids.split(/[\s,]+/).filter(Boolean) }
        : { filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => v)) };
    try {
      const answer = await call<Job>('/v1/bulk-changes', {
        method: 'POST',
        body: {
          ...target,
          operations: [OPERATIONS[op]!.build(value)],
          reason: { code: reason },
          dryRun,
        },
        headers: { 'idempotency-key': idempotencyKey() },
      });
      setJob(answer.data);
    } catch (err) {
      setError(err);
      setJob(null);
    }
  };
  const count = (s: string) => job?.results.filter((r) => r.status === s).length ?? 0;
  const chosen = by === 'ids' ? ids.split(/[\s,]+/).filter(Boolean) : [];
  const orderRefs = useOrderRefs(chosen);

  return (
    <>
      <h1>Bulk edit</h1>
      <form className="card" onSubmit={(e) => start(true, e)}>
        <fieldset className="checks">
          <legend>Orders</legend>
          <label>
            <input
              type="radio"
              name="by"
              checked={by === 'filter'}
              onChange={() => setBy('filter')}
            />{' '}
            by filter
          </label>
          <label>
            <input type="radio" name="by" checked={by === 'ids'} onChange={() => setBy('ids')} /> by
            order ids
          </label>
        </fieldset>
        {by === 'ids' ? (
          <div className="field">
            <p className="chosen">
              {chosen.length === 0
                ? 'No order chosen yet.'
                : `${chosen.length} ${chosen.length === 1 ? 'order' : 'orders'}: ${chosen
                    .map((id) => orderRefs.get(id) ?? '…')
                    .join(', ')}`}
            </p>
            {/* Ids are for pasting from elsewhere; the orders chosen in the list are named above. */}
            <details open={given.get('ids') ? undefined : true}>
              <summary>Type or paste order ids</summary>
              <label htmlFor="b-ids">Order ids (comma or space separated)</label>
              <textarea id="b-ids" rows={3} value={ids} onChange={(e) => setIds(e.target.value)} />
            </details>
          </div>
        ) : (
          <div className="row wrap">
            <div className="field">
              <label htmlFor="b-status">Status</label>
              <select
                id="b-status"
                value={filter.status}
                onChange={(e) => setFilter({ ...filter, status: e.target.value })}
              >
                <option value="">any</option>
                {STATUSES.map((x) => (
                  <option key={x}>{x}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="b-channel">Channel</label>
              <input
                id="b-channel"
                value={filter.channel}
                onChange={(e) => setFilter({ ...filter, channel: e.target.value })}
              />
            </div>
            <div className="field grow">
              <label htmlFor="b-q">Search</label>
              <input
                id="b-q"
                value={filter.q}
                onChange={(e) => setFilter({ ...filter, q: e.target.value })}
              />
            </div>
            {EXTRA.filter((k) => filter[k]).map((k) => (
              <span key={k} className="tag">
                {k} = {filter[k]}{' '}
                <button
                  type="button"
                  className="ghost"
                  aria-label={`Drop the filter ${k}`}
                  onClick={() =>
                    setFilter(Object.fromEntries(Object.entries(filter).filter(([x]) => x !== k)))
                  }
                >
                  ✕
                </button>
              </span>
            ))}
          </div>
        )}
        <div className="row wrap">
          <div className="field">
            <label htmlFor="b-op">Operation</label>
            <select
              id="b-op"
              value={op}
              onChange={(e) => {
                setOp(e.target.value);
                setValue('');
              }}
            >
              {Object.entries(OPERATIONS).map(([k, o]) => (
                <option key={k} value={k}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field grow">
            <label htmlFor="b-val">{OPERATIONS[op]!.label}</label>
            <input
              id="b-val"
              type={OPERATIONS[op]!.type ?? 'text'}
              {...(OPERATIONS[op]!.type === 'number' ? { min: 0, step: '0.01' } : {})}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              required
            />
          </div>
          <div className="field">
            <label htmlFor="b-reason">Reason</label>
            <select
              id="b-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
            >
              <option value="">Choose…</option>
              {settings.data?.reasons.change?.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.label ?? r.code}
                </option>
              ))}
            </select>
          </div>
        </div>
        <ProblemBox error={error} />
        <div className="dialog-actions">
          <button type="submit">Preview (dry run)</button>
          <button
            type="button"
            className="primary"
            disabled={
              !job ||
              !dry ||
              job.status !== 'completed' ||
              count('would-apply') + count('would-need-approval') === 0
            }
            onClick={() => start(false)}
          >
            {job && dry
              ? `Run on ${count('would-apply') + count('would-need-approval')} orders`
              : 'Run (after a dry run)'}
          </button>
        </div>
      </form>
      {!job && !dry && !error && (
        <p className="muted" role="status">
          Starting the job…
        </p>
      )}
      {job && <BulkJobView job={job} dry={dry} />}
    </>
  );
}
