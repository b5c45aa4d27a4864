/** The order's customer notices in its timeline: what was sent, is retrying, went dead or was not sent, and why. */
import { get } from '../api';
import { Loading, useAsync } from './ui';

interface Notice {
  id: string;
  changeId: string | null;
  to: string;
  subject: string;
  status: 'pending' | 'retrying' | 'sent' | 'dead' | 'not-sent';
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

const BADGE: Record<Notice['status'], string> = {
  pending: 'badge',
  retrying: 'badge',
  sent: 'badge badge-applied',
  dead: 'badge badge-rejected',
  'not-sent': 'badge badge-rejected',
};

export function CustomerNotifications({ orderId, tick }: { orderId: string; tick: number }) {
  const notices = useAsync(
    () => get<{ items: Notice[] }>(`/v1/orders/${encodeURIComponent(orderId)}/notifications`),
    [orderId, tick],
  );
  if (notices.loading && !notices.data) return <Loading />;
  const items = notices.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="notices-h">
      <h2 id="notices-h">Customer notices</h2>
      {items.length === 0 ? (
        <p className="muted">No notice was sent to the customer.</p>
      ) : (
        <ol className="timeline">
          {items.map((n) => (
            <li key={n.id} data-notification={n.id}>
              <span className={BADGE[n.status]}>{n.status}</span> <strong>{n.subject}</strong>{' '}
              <span className="muted small">
                to {n.to} · {n.attempts} attempt{n.attempts === 1 ? '' : 's'} ·{' '}
                {new Date(n.updatedAt).toLocaleString()}
              </span>
              {n.lastError && <p className="small">{n.lastError}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
