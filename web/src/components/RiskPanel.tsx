/** The KPI page's risk panel: the policy in force, the model's version and AUC, its calibration, unusual actors. */
import { ApiError, get } from '../api';
import type { RiskSummary } from '../api/client';
import { ProblemBox, useAsync } from './ui';
import { UnusualActorFlag } from './RiskBadge';
import { person } from '../format';
import { usePeople } from '../names';

const f3 = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(3));

/** Predicted against observed per bin; the diagonal is a perfectly calibrated model. */
function Calibration({
  bins,
}: {
  bins: NonNullable<RiskSummary['evaluation']>['model']['calibration'];
}) {
  const S = 200;
  const pts = bins.filter((b) => b.count > 0 && b.predicted !== null && b.observed !== null);
  return (
    <svg
      role="img"
      aria-label={`Calibration: ${pts.map((b) => `${f3(b.predicted)} predicted, ${f3(b.observed)} observed`).join('; ')}`}
      viewBox={`-24 -8 ${S + 32} ${S + 32}`}
      width="240"
    >
      <rect
        x="0"
        y="0"
        width={S}
        height={S}
        className="chart-frame"
        fill="none"
        stroke="currentColor"
        opacity="0.3"
      />
      <line x1="0" y1={S} x2={S} y2="0" stroke="currentColor" strokeDasharray="4 4" opacity="0.5" />
      <polyline
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        points={pts
          .map((b) => `${(b.predicted as number) * S},${S - (b.observed as number) * S}`)
          .join(' ')}
      />
      {pts.map((b, i) => (
        <circle
          key={i}
          cx={(b.predicted as number) * S}
          cy={S - (b.observed as number) * S}
          r={3}
          className="chart-bar"
        >
          <title>{`${b.count} changes: ${f3(b.predicted)} predicted, ${f3(b.observed)} observed`}</title>
        </circle>
      ))}
      <text x="0" y={S + 16} className="chart-label">
        predicted
      </text>
      {/* Rotated about the origin: (x, y) lands at (y, −x), i.e. left of the frame, halfway up. */}
      <text x={-S / 2} y="-8" className="chart-label" textAnchor="middle" transform="rotate(-90)">
        observed
      </text>
    </svg>
  );
}

export function RiskPanel() {
  const people = usePeople();
  const r = useAsync(() => get<RiskSummary>('/v1/risk'), []);
  if (r.error instanceof ApiError && r.error.status === 404) return null;
  const s = r.data;
  return (
    <section className="card" aria-labelledby="risk-title">
      <h2 id="risk-title">Risk model</h2>
      <ProblemBox error={r.error} title="The risk model could not be loaded" />
      {s && (
        <>
          <p className="small">
            {s.model
              ? `Model v${s.model.version}, trained ${new Date(s.model.trainedAt).toLocaleString()} on ${s.model.decisions} decisions`
              : `No model yet (${s.decisions} decisions)`}{' '}
            · mode <code>{s.mode}</code> ·{' '}
            {s.modelInCharge ? 'the model decides' : 'the rules decide'}
          </p>
          {s.evaluation && (
            <div className="row wrap risk-evaluation">
              <div>
                <p>
                  AUC <strong>{f3(s.evaluation.model.auc)}</strong>{' '}
                  <span className="muted">(fixed rules {f3(s.evaluation.rules.auc)})</span>
                </p>
                <p className="small muted">
                  on the last {s.evaluation.heldOut} decisions, trained on the{' '}
                  {s.evaluation.trainedOn} before; the model would approve{' '}
                  {(s.evaluation.autoApproved.share * 100).toFixed(0)} % by itself
                </p>
              </div>
              <figure>
                <figcaption className="small">Calibration</figcaption>
                <Calibration bins={s.evaluation.model.calibration} />
              </figure>
            </div>
          )}
          <h3>Unusual actors today</h3>
          {s.unusualActors.length === 0 ? (
            <p className="muted small">None.</p>
          ) : (
            s.unusualActors.map((u) => (
              <UnusualActorFlag
                key={u.actorId}
                reason={`${person(u.actorId, { people })}: ${u.reason}`}
              />
            ))
          )}
        </>
      )}
    </section>
  );
}
