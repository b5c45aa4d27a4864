/** One intake record: raw and canonical payload side by side (failing fields marked), fix and replay, map a sku, discard. */
import { useState } from 'react';
import { call, idempotencyKey, money, when } from '../api';
import { JsonView } from '../components/JsonView';
import { ProblemBox, StatusBadge } from '../components/ui';
import { Link } from '../router';
import type { IntakeRecord } from '../api/client';

export function IntakeRecordPanel({
  record,
  canMapSkus,
  onChanged,
}: {
  record: IntakeRecord;
  canMapSkus: boolean;
  onChanged: (r: { id: string; status: string; orderId?: string | null }) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(() => JSON.stringify(record.payload, null, 2));
  const [reason, setReason] = useState('');
  const [skus, setSkus] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = record.errors.map((e) => e.field).filter((f): f is string => !!f);
  const payloadMarks = record.code === 'INTAKE_PAYLOAD_INVALID' ? fields : [];
  const canonicalMarks = record.code === 'INTAKE_PAYLOAD_INVALID' ? [] : fields;
  const unmapped = record.errors.filter((e) => e.code === 'INTAKE_SKU_UNMAPPED');
  const open = record.status === 'dead-lettered' || record.status === 'retrying';
  const currency = (record.canonical as { currency?: string } | null)?.currency ?? 'EUR';

  const act = async (run: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const replay = (payload?: unknown) =>
    act(async () => {
      const answer = await call<{ id: string; status: string; orderId?: string | null }>(
        `/v1/intake/${record.id}/replay`,
        {
          method: 'POST',
          body: payload === undefined ? {} : { payload },
          headers: { prefer: 'wait=10', 'idempotency-key': idempotencyKey() },
        },
      );
      onChanged(answer.data);
    });
  const replayEdited = () => {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch (e) {
      setError(new Error(`The edited payload is not JSON: ${(e as Error).message}`));
      return;
    }
    void replay(payload);
  };
  const mapAndReplay = () =>
    act(async () => {
      await call(`/v1/sources/${record.sourceId}`, { method: 'PATCH', body: { skuMap: skus } });
      const answer = await call<{ id: string; status: string; orderId?: string | null }>(
        `/v1/intake/${record.id}/replay`,
        {
          method: 'POST',
          body: {},
          headers: { prefer: 'wait=10', 'idempotency-key': idempotencyKey() },
        },
      );
      onChanged(answer.data);
    });
  const discard = () =>
    act(async () => {
      const answer = await call<IntakeRecord>(`/v1/intake/${record.id}/discard`, {
        method: 'POST',
        body: { reason },
        headers: { 'idempotency-key': idempotencyKey() },
      });
      onChanged(answer.data);
    });

  return (
    <section className="card" aria-labelledby="rec-h">
      <h2 id="rec-h">
        {record.sourceId} · {record.channelOrderRef ?? record.id}{' '}
        <StatusBadge status={record.status} />
      </h2>
      <p className="muted">
        Received {when(record.receivedAt)} · {record.attempts} attempts · value{' '}
        {money(record.valueMinor, currency)}
        {record.orderId && (
          <>
            {' '}
            · order{' '}
            <Link to={`/orders/${record.orderId}`}>{record.channelOrderRef ?? 'imported'}</Link>
          </>
        )}
      </p>
      {record.code && (
        <div className="alert alert-error" role="alert">
          <code className="code">{record.code}</code> {record.detail}
          {record.hint && <p className="hint">What to do: {record.hint}</p>}
          {record.errors.length > 1 && (
            <ul>
              {record.errors.map((e, i) => (
                <li key={i}>
                  <code className="code">{e.field ?? e.code}</code> {e.detail}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <p className="small">
        Impact {record.impact.score}:{' '}
        {record.impact.reasons.map((r) => `${r.detail} (+${r.points})`).join(' · ') || 'no factor'}
      </p>
      <div className="side-by-side">
        <div>
          <h3>
            Channel payload{' '}
            {payloadMarks.length > 0 && <span className="tag">failing fields marked</span>}
          </h3>
          {editing ? (
            <>
              <label htmlFor="rec-edit">
                Corrected payload (the original stays in the history)
              </label>
              <textarea
                id="rec-edit"
                className="json-edit"
                rows={24}
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            </>
          ) : (
            <JsonView label="Channel payload" value={record.payload} marks={payloadMarks} />
          )}
        </div>
        <div>
          <h3>
            Canonical order{' '}
            {canonicalMarks.length > 0 && <span className="tag">failing fields marked</span>}
          </h3>
          <JsonView label="Canonical order" value={record.canonical} marks={canonicalMarks} />
        </div>
      </div>
      <ProblemBox error={error} />
      {open && (
        <div className="actions-bar">
          {canMapSkus && unmapped.length > 0 && (
            <fieldset className="card">
              <legend>Map the channel skus, then replay</legend>
              {unmapped.map((e) => {
                const channelSku = (e.channelSkus as string[] | undefined)?.[0] ?? '';
                return (
                  <div key={e.field} className="field inline">
                    <label htmlFor={`map-${channelSku}`}>Amend sku for {channelSku}</label>
                    <input
                      id={`map-${channelSku}`}
                      value={skus[channelSku] ?? ''}
                      onChange={(ev) => setSkus({ ...skus, [channelSku]: ev.target.value })}
                    />
                  </div>
                );
              })}
              <button
                type="button"
                className="primary"
                disabled={busy || Object.values(skus).filter(Boolean).length === 0}
                onClick={mapAndReplay}
              >
                Save sku map and replay
              </button>
            </fieldset>
          )}
          <div className="row wrap">
            <button type="button" className="primary" disabled={busy} onClick={() => replay()}>
              Replay
            </button>
            {editing ? (
              <button type="button" disabled={busy} onClick={replayEdited}>
                Replay with the corrected payload
              </button>
            ) : (
              <button type="button" disabled={busy} onClick={() => setEditing(true)}>
                Fix the payload…
              </button>
            )}
            <div className="field inline grow">
              <label htmlFor="rec-reason">Reason to discard</label>
              <input id="rec-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
              <button
                type="button"
                className="danger"
                disabled={busy || !reason.trim()}
                onClick={discard}
              >
                Discard
              </button>
            </div>
          </div>
        </div>
      )}
      <details>
        <summary>History ({record.history.length})</summary>
        <ol>
          {record.history.map((h, i) => (
            <li key={i}>
              {when(h.at)} <StatusBadge status={h.status} />{' '}
              {h.code && <code className="code">{h.code}</code>} {h.detail}
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
