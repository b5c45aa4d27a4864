/** KPIs with small hand-drawn charts: modification rate, resolution time, rejections, changes by app and channel, integrity. */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { ApiError, get } from '../api';
import { KpiTargets, type KpiTargetStatus } from '../components/KpiTargets';
import { Loading, ProblemBox, useAsync } from '../components/ui';
import { RiskPanel } from '../components/RiskPanel';
import { appLabel, codeLabel, statusLabel } from '../format';

interface Kpis {
  from: string;
  to: string;
  modificationRate: number;
  ordersCreated: number;
  ordersModified: number;
  resolutionMs: { p50: number | null; p90: number | null; count: number };
  rejectionsByCode: Record<string, number>;
  changesByApp: Record<string, number>;
  changesByChannel: Record<string, number>;
  changesByStatus: Record<string, number>;
  integrityErrors: number | null;
  lastVerify: { at: string } | null;
  unacknowledgedRejections: number;
  daily: { date: string; changes: number; rejected: number }[];
  targets: KpiTargetStatus[];
}

const duration = (ms: number | null) =>
  ms === null
    ? '—'
    : ms < 1000
      ? `${Math.round(ms)} ms`
      : ms < 120_000
        ? `${(ms / 1000).toFixed(1)} s`
        : `${(ms / 60_000).toFixed(1)} min`;

/**
 * Counts as bars in HTML, so that a long label wraps instead of running out of the card: each key is
 * shown as `label` says (a code as its catalogue title), the key itself kept as the row's tooltip.
 */
function Bars({
  title,
  data,
  label = (k) => k,
}: {
  title: string;
  data: Record<string, number>;
  label?: (key: string) => string;
}) {
  const entries = Object.entries(data).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  return (
    <figure className="card chart">
      <figcaption>{title}</figcaption>
      {entries.length === 0 ? (
        <p className="muted">None in this period.</p>
      ) : (
        <div
          role="img"
          className="hbars"
          aria-label={`${title}: ${entries.map(([k, n]) => `${label(k)} ${n}`).join(', ')}`}
        >
          {entries.map(([k, n]) => (
            <div key={k} className="hbar" data-key={k} title={label(k) === k ? undefined : k}>
              <span className="hbar-label">{label(k)}</span>
              <span className="hbar-track">
                {/* The longest bar leaves room for its count. */}
                <span className="hbar-fill" style={{ width: `${(n / max) * 88}%` }} />
                <span className="hbar-value">{n}</span>
              </span>
            </div>
          ))}
        </div>
      )}
    </figure>
  );
}

/** Every day of the period, with the days without a change as zero (the server lists only days with one). */
function everyDay(daily: Kpis['daily'], from: string, to: string): Kpis['daily'] {
  const known = new Map(daily.map((d) => [d.date, d]));
  const out: Kpis['daily'] = [];
  const end = new Date(to ?? Date.now());
  for (
    let t = new Date(`${(from ?? daily[0]?.date ?? end.toISOString()).slice(0, 10)}T00:00:00Z`);
    t <= end && out.length < 120;
    t = new Date(t.getTime() + 86_400_000)
  ) {
    const date = t.toISOString().slice(0, 10);
    out.push(known.get(date) ?? { date, changes: 0, rejected: 0 });
  }
  return out.length ? out : daily;
}

/** The element's width in CSS pixels, so that a chart draws in pixels and its text keeps its size. */
function useWidth<T extends HTMLElement>(fallback: number): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    if (!ref.current) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(240, Math.round(entry.contentRect.width)));
    });
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

function Daily({ days }: { days: Kpis['daily'] }) {
  const max = Math.max(1, ...days.map((d) => d.changes));
  const [box, W] = useWidth<HTMLElement>(640);
  const [H, left, bottom, right] = [180, 34, 22, 24];
  const slot = (W - left - right) / Math.max(days.length, 7);
  const bar = Math.max(3, Math.min(slot - 4, 36));
  const y = (n: number) => H - bottom - (n / max) * (H - bottom - 10);
  const every = Math.ceil(days.length / Math.max(2, Math.floor(W / 90)));
  const label = (iso: string) =>
    new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    });
  return (
    <figure className="card chart wide" ref={box}>
      <figcaption>
        Changes per day{' '}
        <span className="legend">
          <span className="key key-ok" /> accepted or pending <span className="key key-bad" />{' '}
          rejected
        </span>
      </figcaption>
      {days.length === 0 ? (
        <p className="muted">No changes in this period.</p>
      ) : (
        <svg
          role="img"
          aria-label={`Changes per day: ${
            days
              .filter((d) => d.changes > 0)
              .map((d) => `${d.date} ${d.changes} changes, ${d.rejected} rejected`)
              .join('; ') || 'none'
          }`}
          viewBox={`0 0 ${W} ${H}`}
          width="100%"
        >
          {[0, Math.round(max / 2), max]
            .filter((v, i, a) => a.indexOf(v) === i)
            .map((v) => (
              <g key={v}>
                <line x1={left} x2={W - right} y1={y(v)} y2={y(v)} className="chart-grid" />
                <text x={left - 6} y={y(v) + 4} className="chart-value" textAnchor="end">
                  {v}
                </text>
              </g>
            ))}
          {days.map((d, i) => {
            const x = left + i * slot + (slot - bar) / 2;
            return (
              <g key={d.date}>
                <title>{`${d.date}: ${d.changes} changes, ${d.rejected} rejected`}</title>
                <rect
                  x={x}
                  y={y(d.changes)}
                  width={bar}
                  height={y(0) - y(d.changes)}
                  className="chart-bar"
                />
                {d.rejected > 0 && (
                  <rect
                    x={x}
                    y={y(d.rejected)}
                    width={bar}
                    height={y(0) - y(d.rejected)}
                    className="chart-bar-bad"
                  />
                )}
                {i % every === 0 && (
                  <text x={x + bar / 2} y={H - 6} className="chart-value" textAnchor="middle">
                    {label(d.date)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}

/** Which changes count: bulk edits apart by default, so that one big job does not swamp the figures. */
const APP_FILTERS: Record<string, { label: string; query: string }> = {
  'not-bulk': { label: 'all but bulk edits', query: '&excludeApp=bulk' },
  all: { label: 'every app', query: '' },
  console: { label: 'console only', query: '&app=console' },
  picker: { label: 'picker app only', query: '&app=picker' },
  bulk: { label: 'bulk edits only', query: '&app=bulk' },
  api: { label: 'API and channels only', query: '&app=api,vtex' },
};

export function KpiPage() {
  const [days, setDays] = useState(30);
  const [apps, setApps] = useState('not-bulk');
  const k = useAsync(
    () =>
      get<Kpis>(
        `/v1/kpis?from=${encodeURIComponent(new Date(Date.now() - days * 86_400_000).toISOString())}${APP_FILTERS[apps]?.query ?? ''}`,
      ),
    [days, apps],
  );
  if (k.error instanceof ApiError && k.error.status === 404)
    return (
      <>
        <h1>KPIs</h1>
        <p className="alert alert-info">This server does not serve KPIs yet.</p>
      </>
    );
  return (
    <>
      <div className="row between">
        <h1>KPIs</h1>
        <div className="field inline">
          <label htmlFor="k-apps">Changes from</label>
          <select id="k-apps" value={apps} onChange={(e) => setApps(e.target.value)}>
            {Object.entries(APP_FILTERS).map(([v, f]) => (
              <option key={v} value={v}>
                {f.label}
              </option>
            ))}
          </select>
          <label htmlFor="k-days">Period</label>
          <select id="k-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={1}>last 24 h</option>
            <option value={7}>last 7 days</option>
            <option value={30}>last 30 days</option>
            <option value={90}>last 90 days</option>
          </select>
        </div>
      </div>
      <ProblemBox error={k.error} title="The KPIs could not be loaded" />
      {k.loading && <Loading what="Counting" />}
      {k.data && (
        <>
          <div className="stats">
            <div className="card stat">
              <span className="stat-label">Modification rate</span>
              <span className="stat-value">{(k.data.modificationRate * 100).toFixed(1)} %</span>
              <span className="small muted">
                {k.data.ordersModified} of {k.data.ordersCreated} orders
              </span>
            </div>
            <div className="card stat">
              <span className="stat-label">Edit resolution (median)</span>
              <span className="stat-value">{duration(k.data.resolutionMs.p50)}</span>
              <span className="small muted">
                p90 {duration(k.data.resolutionMs.p90)} · target under 2 min
              </span>
            </div>
            <div className={`card stat${k.data.integrityErrors ? ' stat-bad' : ''}`}>
              <span className="stat-label">Integrity errors</span>
              <span className="stat-value">{k.data.integrityErrors ?? '—'}</span>
              <span className="small muted">
                {k.data.lastVerify
                  ? `last amend verify ${new Date(k.data.lastVerify.at).toLocaleString()}`
                  : 'amend verify has not run'}
              </span>
            </div>
            <div className={`card stat${k.data.unacknowledgedRejections ? ' stat-warn' : ''}`}>
              <span className="stat-label">Unacknowledged rejections</span>
              <span className="stat-value">{k.data.unacknowledgedRejections}</span>
              <span className="small muted">requesters not yet told</span>
            </div>
          </div>
          <KpiTargets targets={k.data.targets} />
          <Daily days={everyDay(k.data.daily, k.data.from, k.data.to)} />
          <div className="charts">
            <Bars title="Rejections by reason" data={k.data.rejectionsByCode} label={codeLabel} />
            <Bars title="Changes by app" data={k.data.changesByApp} label={appLabel} />
            <Bars title="Changes by channel" data={k.data.changesByChannel} />
            <Bars title="Changes by status" data={k.data.changesByStatus} label={statusLabel} />
          </div>
          <RiskPanel />
        </>
      )}
    </>
  );
}
