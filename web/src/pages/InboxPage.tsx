/** The console's inbox: the final outcome of every change I asked for, until I acknowledge it. */
import { get } from '../api';
import type { InboxEntry, Page } from '../api/client';
import { useAsync } from '../components/ui';
import { Inbox } from '../components/Inbox';

export function InboxPage({ tick, onAck }: { tick: number; onAck: () => void }) {
  const inbox = useAsync(
    () => get<Page<InboxEntry>>('/v1/inbox?unacknowledged=true&limit=100'),
    [tick],
  );
  return (
    <>
      <h1>Inbox</h1>
      <p className="muted">
        The outcome of each change you asked for — also of those decided later by a supervisor, the
        seller or the payment gateway. A bulk job tells you once, when it ends, for all its orders.
      </p>
      <Inbox
        entries={inbox.data?.items}
        error={inbox.error}
        onAck={() => {
          inbox.reload();
          onAck();
        }}
      />
    </>
  );
}
