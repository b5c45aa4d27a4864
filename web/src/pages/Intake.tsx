/** Intake: every order source with its health, the dead letters in impact order, one record worked at a time, bulk replay. */
import { useEffect, useState } from 'react';
import { call, get, idempotencyKey, money, when } from '../api';
import { Empty, Loading, ProblemBox, ProgressBar, StatusBadge, useAsync } from '../components/ui';
import type { IntakeRecord, Page, Source, SourceHealth } from '../api/client';
import { IntakeRecordPanel } from './IntakeRecord';
import { Link } from '../router';

interface Job {
  id: string;
  status: string;
  total: number;
  done: number;
  succeeded: number;
  failed: number;
}

function Sources({ tick }: { tick: number }) {
  const sources = useAsync(async () => {
    const list = (await get<Page<Source>>('/v1/sources')).items;
    return Promise.all(
      list.map(async (s) => ({
        ...s,
        health: await get<SourceHealth>(`/v1/sources/${s.id}/health`),
      })),
    );
  }, [tick]);
  if (sources.loading && !sources.data) return <Loading what="Reading the sources" />;
  if (sources.error) return <ProblemBox error={sources.error} />;
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">Order sources and their health</caption>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Health</th>
            <th scope="col" className="num">
              Received 24 h
            </th>
            <th scope="col" className="num">
              Imported 24 h
            </th>
            <th scope="col" className="num">
              Dead letters
            </th>
            <th scope="col" className="num">
              Retrying
            </th>
            <th scope="col" className="num">
              Errors 1 h
            </th>
            <th scope="col" className="num">
              Lag p50
            </th>
            <th scope="col">Last received</th>
          </tr>
        </thead>
        <tbody>
          {sources.data?.map((s) => (
            <tr key={s.id}>
              <td>
                <strong>{s.name}</strong>{' '}
                <span className="muted small">
                  {s.id} · {s.kind}
                  {s.enabled ? '' : ' · disabled'}
                </span>
              </td>
              <td>
                <StatusBadge status={s.health.status} />
              </td>
              <td className="num">{s.health.received24h}</td>
              <td className="num">{s.health.imported24h}</td>
              <td className="num">{s.health.openDeadLetters}</td>
              <td className="num">{s.health.retrying}</td>
              <td className="num">{Math.round(s.health.errorRate1h * 100)} %</td>
              <td className="num">
                {s.health.lagMs.p50 === null ? '—' : `${Math.round(s.health.lagMs.p50)} ms`}
              </td>
              <td>{when(s.health.lastReceivedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BulkReplay({
  codes,
  sources,
  onDone,
}: {
  codes: string[];
  sources: string[];
  onDone: () => void;
}) {
  const [sourceId, setSourceId] = useState('');
  const [code, setCode] = useState('');
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!job) return;
    if (job.status === 'completed') {
      onDone();
      return;
    }
    const t = setTimeout(
      async () =>
        setJob(await get<Job>(`/v1/bulk-changes/${job.id}`).catch((e) => (setError(e), job))),
      400,
    );
    return () => clearTimeout(t);
  }, [job]); // eslint-disable-line react-hooks/exhaustive-deps
  const start = async () => {
    setError(null);
    try {
      const body = { ...(sourceId ? { sourceId } : {}), ...(code ? { code } : {}) };
      setJob(
        (
          await call<Job>('/v1/intake/replay', {
            method: 'POST',
            body,
            headers: { 'idempotency-key': idempotencyKey() },
          })
        ).data,
      );
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card" aria-labelledby="bulk-h">
      <h2 id="bulk-h">Bulk replay</h2>
      <div className="row wrap">
        <div className="field">
          <label htmlFor="br-source">Source</label>
          <select id="br-source" value={sourceId} onChange={(e) => setSourceId(e.target.value)}>
            <option value="">every source</option>
            {sources.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="br-code">Code</label>
          <select id="br-code" value={code} onChange={(e) => setCode(e.target.value)}>
            <option value="">every code</option>
            {codes.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <button
            type="button"
            className="primary"
            onClick={start}
            disabled={!!job && job.status !== 'completed'}
          >
            Replay these dead letters
          </button>
        </div>
      </div>
      <ProblemBox error={error} />
      {job && (
        <div aria-live="polite">
          <ProgressBar done={job.done} total={job.total} label="Dead letters replayed" />
          <p>
            {job.done} of {job.total} replayed · imported {job.succeeded} · still failing{' '}
            {job.failed} <StatusBadge status={job.status} />
          </p>
        </div>
      )}
    </section>
  );
}

export function IntakePage({ canAdminSources }: { canAdminSources: boolean }) {
  const [tick, setTick] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [done, setDone] = useState<{ id: string; status: string; orderId?: string | null } | null>(
    null,
  );
  const letters = useAsync(
    () => get<Page<IntakeRecord>>('/v1/intake?sort=impact&status=dead-lettered&limit=100'),
    [tick],
  );
  const record = useAsync(
    () => (selected ? get<IntakeRecord>(`/v1/intake/${selected}`) : Promise.resolve(null)),
    [selected, tick],
  );
  const items = letters.data?.items ?? [];
  const refresh = () => setTick((t) => t + 1);
  return (
    <>
      <h1>Intake</h1>
      {canAdminSources && (
        <section className="card" aria-labelledby="src-h">
          <h2 id="src-h">Sources</h2>
          <Sources tick={tick} />
        </section>
      )}
      {done && (
        <div
          className={`alert ${done.status === 'imported' ? 'alert-ok' : 'alert-error'}`}
          role="status"
        >
          Record {done.id}: <StatusBadge status={done.status} />{' '}
          {done.orderId && (
            <>
              order <Link to={`/orders/${done.orderId}`}>imported</Link>
            </>
          )}
        </div>
      )}
      <section className="card" aria-labelledby="dl-h">
        <h2 id="dl-h">Dead letters, most urgent first</h2>
        {letters.loading && !letters.data ? (
          <Loading what="Reading the dead letters" />
        ) : letters.error ? (
          <ProblemBox error={letters.error} />
        ) : items.length === 0 ? (
          <Empty>No dead letters: every payload was imported or handled.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    Impact
                  </th>
                  <th scope="col">Code</th>
                  <th scope="col">Source</th>
                  <th scope="col">Channel order</th>
                  <th scope="col" className="num">
                    Value
                  </th>
                  <th scope="col">Why first</th>
                  <th scope="col">Received</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr
                    key={r.id}
                    aria-selected={selected === r.id}
                    className={selected === r.id ? 'selected' : undefined}
                  >
                    <td className="num">{r.impact.score}</td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        onClick={() => setSelected(r.id)}
                        aria-label={`Open ${r.code} of ${r.channelOrderRef ?? r.id}`}
                      >
                        <code className="code">{r.code}</code>
                      </button>
                    </td>
                    <td>{r.sourceId}</td>
                    <td>{r.channelOrderRef ?? '—'}</td>
                    <td className="num">
                      {money(
                        r.valueMinor,
                        (r.canonical as { currency?: string } | null)?.currency ?? 'EUR',
                      )}
                    </td>
                    <td className="small">
                      {r.impact.reasons
                        .filter((x) => x.factor !== 'age')
                        .map((x) => x.detail)
                        .join(' · ') || '—'}
                    </td>
                    <td>{when(r.receivedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {selected && record.data && (
        <IntakeRecordPanel
          key={`${record.data.id}-${record.data.updatedAt}`}
          record={record.data}
          canMapSkus={canAdminSources}
          onChanged={(r) => {
            setDone(r);
            refresh();
          }}
        />
      )}
      <BulkReplay
        codes={[...new Set(items.map((r) => r.code as string))]}
        sources={[...new Set(items.map((r) => r.sourceId))]}
        onDone={refresh}
      />
    </>
  );
}
