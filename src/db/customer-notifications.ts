/** Customer notifications (migrations/0067): claimed with a lease, their outcome recorded with its event. */
import { sql } from 'kysely';
import type { Database } from './database.js';
import { appendEvents, type NewEvent } from './outbox.js';

export interface DueNotification {
  tenantId: string;
  id: string;
  lease: string;
  attempts: number;
  orderId: string;
  changeId: string | null;
  recipient: string;
  subject: string;
  body: string;
  settings: unknown;
}

export interface CustomerNotification {
  id: string;
  orderId: string;
  changeId: string | null;
  channel: string;
  to: string;
  locale: string;
  subject: string;
  text: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Due notifications, leased for `leaseMs` (SKIP LOCKED: several notifiers share a database). */
export async function claimDueNotifications(
  db: Database,
  limit: number,
  leaseMs: number,
): Promise<DueNotification[]> {
  const rows = await sql<{
    tenant_id: string;
    id: string;
    lease: string;
    attempts: number;
    order_id: string;
    change_id: string | null;
    recipient: string;
    subject: string;
    body: string;
    settings: unknown;
  }>`
    WITH due AS (
      UPDATE customer_notifications n SET lease_until = clock_timestamp() + make_interval(secs => ${leaseMs / 1000}),
        -- A lease that ran out: its notifier stopped mid-attempt; that attempt counts (the mail may have gone).
        attempts = n.attempts + (CASE WHEN n.lease_until IS NULL THEN 0 ELSE 1 END)
      FROM (SELECT tenant_id, id FROM customer_notifications
            WHERE status IN ('pending', 'retrying') AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
            ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED) pick
      WHERE n.tenant_id = pick.tenant_id AND n.id = pick.id
      RETURNING n.tenant_id, n.id, n.lease_until, n.attempts, n.order_id, n.change_id, n.recipient, n.subject, n.body)
    SELECT due.tenant_id, due.id, due.lease_until::text AS lease, due.attempts, due.order_id, due.change_id,
           due.recipient, due.subject, due.body, t.settings
    FROM due JOIN tenants t ON t.id = due.tenant_id`.execute(db);
  return rows.rows.map((r) => ({
    tenantId: r.tenant_id,
    id: r.id,
    lease: r.lease,
    attempts: Number(r.attempts),
    orderId: r.order_id,
    changeId: r.change_id,
    recipient: r.recipient,
    subject: r.subject,
    body: r.body,
    settings: r.settings,
  }));
}

export interface NotificationOutcome {
  status: 'sent' | 'retrying' | 'dead' | 'not-sent';
  attempts: number;
  error: string | null;
  messageId: string | null;
  nextAttemptAt: Date | null;
}

export interface RecordedAttempt {
  notification: Pick<DueNotification, 'tenantId' | 'id' | 'lease'>;
  outcome: NotificationOutcome;
  event: NewEvent | null;
}

/**
 * Records a batch of attempts' outcomes, and their events, in one transaction: an outcome counts only
 * while its claim still holds the lease (else another notifier took the notification over, and its
 * outcome counts). Answers the ids whose outcome was recorded. One statement for the batch, its rows
 * joined on the primary key from a VALUES list (whose size the planner knows).
 */
export async function recordNotificationOutcomes(
  db: Database,
  attempts: readonly RecordedAttempt[],
): Promise<Set<string>> {
  if (attempts.length === 0) return new Set();
  return db.transaction().execute(async (tx) => {
    const values = attempts.map(
      ({ notification: n, outcome: o }) =>
        sql`(${n.tenantId}::text, ${n.id}::text, ${n.lease}::timestamptz, ${o.status}::text, ${o.attempts}::int4,
             ${o.error}::text, ${o.messageId}::text, ${o.nextAttemptAt}::timestamptz)`,
    );
    const held = await sql<{ id: string }>`
      UPDATE customer_notifications n SET status = v.status, attempts = v.attempts, last_error = v.error,
        message_id = v.message_id, next_attempt_at = v.next_attempt_at, lease_until = NULL, updated_at = now()
      FROM (VALUES ${sql.join(values)}) AS v(tenant_id, id, lease, status, attempts, error, message_id, next_attempt_at)
      WHERE n.tenant_id = v.tenant_id AND n.id = v.id AND n.lease_until = v.lease
      RETURNING n.id`.execute(tx);
    // Notification ids are unique across tenants ('ntf_' and a UUID).
    const recorded = new Set(held.rows.map((r) => r.id));
    const byTenant = new Map<string, NewEvent[]>();
    for (const { notification: n, event } of attempts) {
      if (!event || !recorded.has(n.id)) continue;
      const events = byTenant.get(n.tenantId) ?? [];
      events.push(event);
      byTenant.set(n.tenantId, events);
    }
    for (const [tenantId, events] of byTenant) await appendEvents(tx, tenantId, events);
    return recorded;
  });
}

export async function listOrderNotifications(
  db: Database,
  tenantId: string,
  orderId: string,
): Promise<CustomerNotification[]> {
  const rows = await db
    .selectFrom('customer_notifications')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .orderBy('seq')
    .execute();
  const iso = (d: unknown) => (d === null ? null : new Date(d as Date).toISOString());
  return rows.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    changeId: r.change_id,
    channel: r.channel,
    to: r.recipient,
    locale: r.locale,
    subject: r.subject,
    text: r.body,
    status: r.status,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    nextAttemptAt: iso(r.next_attempt_at),
    createdAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
  }));
}
