/** KPIs with small hand-drawn charts: modification rate, resolution time, rejections, changes by app and channel, integrity. */
import { useState } from 'react';
import { ApiError, get } from '../api';
import { Loading, ProblemBox, useAsync } from '../components/ui';

interface Kpis {
  from: string; to: string; modificationRate: number; ordersCreated: number; ordersModified: number;
  resolutionMs: { p50: number | null; p90: number | null; count: number }; rejectionsByCode: Record<string, number>;
  changesByApp: Record<string, number>; changesByChannel: Record<string, number>; changesByStatus: Record<string, number>;
  integrityErrors: number | null; lastVerify: { at: string } | null; unacknowledgedRejections: number; daily: { date: string; changes: number; rejected: number }[];
}

const duration = (ms: number | null) => (ms === null ? '—' : ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`);

function Bars({ title, data }: { title: string; data: Record<string, number> }) {
  const entries = Object.entries(data).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  return (
    <figure className="card chart">
      <figcaption>{title}</figcaption>
      {entries.length === 0 ? <p className="muted">None in this period.</p> : (
        <svg role="img" aria-label={`${title}: ${entries.map(([k, n]) => `${k} ${n}`).join(', ')}`} viewBox={`0 0 360 ${entries.length * 26}`} width="100%">
          {entries.map(([k, n], i) => (
            <g key={k} transform={`translate(0 ${i * 26})`}>
              <text x="0" y="16" className="chart-label"><title>{k}</title>{k.length > 28 ? `${k.slice(0, 27)}…` : k}</text>
              <rect x="190" y="4" height="16" rx="3" width={(n / max) * 140} className="chart-bar" />
              <text x={196 + (n / max) * 140} y="16" className="chart-value">{n}</text>
            </g>
          ))}
        </svg>
      )}
    </figure>
  );
}

function Daily({ days }: { days: Kpis['daily'] }) {
  const max = Math.max(1, ...days.map((d) => d.changes));
  const w = Math.max(1, days.length);
  return (
    <figure className="card chart wide">
      <figcaption>Changes per day (rejected in red)</figcaption>
      {days.length === 0 ? <p className="muted">No changes in this period.</p> : (
        <svg role="img" aria-label={days.map((d) => `${d.date}: ${d.changes} changes, ${d.rejected} rejected`).join('; ')} viewBox="0 0 600 140" width="100%" preserveAspectRatio="none">
          {days.map((d, i) => {
            const bw = Math.min(600 / w, 48);
            const h = (d.changes / max) * 120;
            const r = (d.rejected / max) * 120;
            return (
              <g key={d.date}>
                <rect x={i * bw + 2} y={130 - h} width={Math.max(2, bw - 4)} height={h} className="chart-bar" />
                <rect x={i * bw + 2} y={130 - r} width={Math.max(2, bw - 4)} height={r} className="chart-bar-bad" />
              </g>
            );
          })}
        </svg>
      )}
      {days.length > 0 && <p className="small muted">{days[0]?.date} – {days[days.length - 1]?.date}</p>}
    </figure>
  );
}

export function KpiPage() {
  const [days, setDays] = useState(30);
  const k = useAsync(() => get<Kpis>(`/v1/kpis?from=${encodeURIComponent(new Date(Date.now() - days * 86_400_000).toISOString())}`), [days]);
  if (k.error instanceof ApiError && k.error.status === 404) return <><h1>KPIs</h1><p className="alert alert-info">This server does not serve KPIs yet.</p></>;
  return (
    <>
      <div className="row between">
        <h1>KPIs</h1>
        <div className="field inline"><label htmlFor="k-days">Period</label>
          <select id="k-days" value={days} onChange={(e) => setDays(Number(e.target.value))}><option value={1}>last 24 h</option><option value={7}>last 7 days</option><option value={30}>last 30 days</option><option value={90}>last 90 days</option></select></div>
      </div>
      <ProblemBox error={k.error} title="The KPIs could not be loaded" />
      {k.loading && <Loading what="Counting" />}
      {k.data && (
        <>
          <div className="stats">
            <div className="card stat"><span className="stat-label">Modification rate</span><span className="stat-value">{(k.data.modificationRate * 100).toFixed(1)} %</span><span className="small muted">{k.data.ordersModified} of {k.data.ordersCreated} orders</span></div>
            <div className="card stat"><span className="stat-label">Edit resolution (median)</span><span className="stat-value">{duration(k.data.resolutionMs.p50)}</span><span className="small muted">p90 {duration(k.data.resolutionMs.p90)} · target under 2 min</span></div>
            <div className={`card stat${k.data.integrityErrors ? ' stat-bad' : ''}`}><span className="stat-label">Integrity errors</span><span className="stat-value">{k.data.integrityErrors ?? '—'}</span><span className="small muted">{k.data.lastVerify ? `last amend verify ${new Date(k.data.lastVerify.at).toLocaleString()}` : 'amend verify has not run'}</span></div>
            <div className={`card stat${k.data.unacknowledgedRejections ? ' stat-warn' : ''}`}><span className="stat-label">Unacknowledged rejections</span><span className="stat-value">{k.data.unacknowledgedRejections}</span><span className="small muted">requesters not yet told</span></div>
          </div>
          <Daily days={k.data.daily} />
          <div className="charts">
            <Bars title="Rejections by code" data={k.data.rejectionsByCode} />
            <Bars title="Changes by app" data={k.data.changesByApp} />
            <Bars title="Changes by channel" data={k.data.changesByChannel} />
            <Bars title="Changes by status" data={k.data.changesByStatus} />
          </div>
        </>
      )}
    </>
  );
}
