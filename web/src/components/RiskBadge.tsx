/** The risk of a change (docs/risk.md): score, band, the model version, its reasons and an unusual-actor flag. */
import type { Risk } from '../api/client';
import './risk.css';

export function UnusualActorFlag({ reason }: { reason: string }) {
  return (
    <p className="alert alert-warn small" role="note">
      <strong>Unusual activity:</strong> {reason}
    </p>
  );
}

export function RiskBadge({
  risk,
  detailed = true,
}: {
  risk: Risk | undefined;
  detailed?: boolean;
}) {
  if (!risk) return null;
  const by = risk.modelVersion === null ? 'fixed rules' : `model v${risk.modelVersion}`;
  return (
    <div
      className={`risk risk-${risk.band}`}
      aria-label={`Risk ${risk.score} of 100, ${risk.band}`}
    >
      <p className="small">
        <strong>
          Risk {risk.score}/100 · {risk.band}
        </strong>{' '}
        <span className="muted">scored by {by}</span>
        {risk.autoApproved && <span className="muted"> · approved by the model</span>}
      </p>
      {detailed && risk.reasons.length > 0 && (
        <ul className="reasons small">
          {risk.reasons.map((r, i) => (
            <li key={i}>{r.text}</li>
          ))}
        </ul>
      )}
      {risk.unusualActor && <UnusualActorFlag reason={risk.unusualActor.reason} />}
    </div>
  );
}
