/** Webhook subscriptions and deliveries (migrations/0006). */
import { PREPARED } from './prepared.js';
import { sql } from 'kysely';
import type { Database } from './database.js';
import { eventEnvelope } from '../domain/events.js';

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}
export interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  replayOf: string | null;
  createdAt: string;
  updatedAt: string;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export async function insertWebhook(
  db: Database,
  tenantId: string,
  w: { id: string; url: string; events: string[]; secret: string },
): Promise<Webhook> {
  const row = await db
    .insertInto('webhooks')
    .values({
      tenant_id: tenantId,
      id: w.id,
      url: w.url,
      events: JSON.stringify(w.events),
      secret: w.secret,
    })
    .returning(['id', 'url', 'events', 'created_at'])
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    url: row.url,
    events: row.events as string[],
    createdAt: iso(row.created_at) as string,
  };
}

export async function listWebhooks(db: Database, tenantId: string): Promise<Webhook[]> {
  const rows = await db
    .selectFrom('webhooks')
    .select(['id', 'url', 'events', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    events: r.events as string[],
    createdAt: iso(r.created_at) as string,
  }));
}

export async function deleteWebhook(db: Database, tenantId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('webhooks')
    .set({ deleted_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function webhookExists(db: Database, tenantId: string, id: string): Promise<boolean> {
  return (
    (await db
      .selectFrom('webhooks')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()) !== undefined
  );
}

type DeliveryRow = {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | string | null;
  replay_of: string | null;
  created_at: Date | string;
  updated_at: Date | string;
};

const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id,
  webhookId: r.webhook_id,
  eventId: r.event_id,
  eventType: r.event_type,
  status: r.status,
  attempts: r.attempts,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  nextAttemptAt: iso(r.next_attempt_at),
  replayOf: r.replay_of,
  createdAt: iso(r.created_at) as string,
  updatedAt: iso(r.updated_at) as string,
});

export async function listDeliveries(
  db: Database,
  tenantId: string,
  webhookId: string,
  limit: number,
  beforeSeq?: number,
): Promise<{ items: Delivery[]; lastSeq: number | null }> {
  let q = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('webhook_id', '=', webhookId);
  if (beforeSeq !== undefined) q = q.where('seq', '<', beforeSeq);
  const rows = await q.orderBy('seq', 'desc').limit(limit).execute();
  return {
    items: rows.map((r) => toDelivery(r as unknown as DeliveryRow)),
    lastSeq: rows.length === limit ? Number(rows[rows.length - 1]?.seq) : null,
  };
}

export async function findDelivery(
  db: Database,
  tenantId: string,
  id: string,
): Promise<(Delivery & { webhookDeleted: boolean }) | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', (j) =>
      j.onRef('w.tenant_id', '=', 'd.tenant_id').onRef('w.id', '=', 'd.webhook_id'),
    )
    .selectAll('d')
    .select('w.deleted_at as webhook_deleted_at')
    .where('d.tenant_id', '=', tenantId)
    .where('d.id', '=', id)
    .executeTakeFirst();
  return row
    ? {
        ...toDelivery(row as unknown as DeliveryRow),
        webhookDeleted: row.webhook_deleted_at !== null,
      }
    : undefined;
}

/** A new delivery of the same event to the same subscription (same event id). */
export async function replayDelivery(
  db: Database,
  tenantId: string,
  of: Delivery,
  id: string,
): Promise<Delivery> {
  const row = await db
    .insertInto('webhook_deliveries')
    .values({
      tenant_id: tenantId,
      id,
      webhook_id: of.webhookId,
      event_id: of.eventId,
      event_type: of.eventType,
      status: 'pending',
      next_attempt_at: sql`now()`,
      replay_of: of.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toDelivery(row as unknown as DeliveryRow);
}

/**
 * The dead deliveries still worth replaying: of subscriptions not deleted, and not replayed yet (a
 * replay that died in turn is dead itself, so the newest attempt of each event is the one listed).
 */
export async function deadDeliveries(db: Database, tenantId: string): Promise<Delivery[]> {
  const rows = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', (j) =>
      j.onRef('w.tenant_id', '=', 'd.tenant_id').onRef('w.id', '=', 'd.webhook_id'),
    )
    .selectAll('d')
    .where('d.tenant_id', '=', tenantId)
    .where('d.status', '=', 'dead')
    .where('w.deleted_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_deliveries as r')
            .select('r.id')
            .whereRef('r.tenant_id', '=', 'd.tenant_id')
            .whereRef('r.replay_of', '=', 'd.id'),
        ),
      ),
    )
    .orderBy('d.seq')
    .execute();
  return rows.map((r) => toDelivery(r as unknown as DeliveryRow));
}

export interface DueDelivery {
  /** The lease this claim holds: an outcome is recorded only while the lease is still this one. */
  tenantId: string;
  id: string;
  lease: string;
  attempts: number;
  url: string;
  secret: string;
  deleted: boolean;
  settings: unknown;
  event: ReturnType<typeof eventEnvelope>;
}

/** Leases up to `limit` due deliveries (SKIP LOCKED: any number of relays on one database). */
export async function claimDueDeliveries(
  db: Database,
  limit: number,
  leaseMs: number,
): Promise<DueDelivery[]> {
  const rows = await sql<{
    tenant_id: string;
    id: string;
    lease: string;
    attempts: number;
    url: string;
    secret: string;
    deleted_at: Date | null;
    settings: unknown;
    event_id: string;
    type: string;
    created_at: Date;
    order_id: string | null;
    change_id: string | null;
    data: unknown;
  }>`${PREPARED}
    WITH due AS (
      UPDATE webhook_deliveries d SET lease_until = clock_timestamp() + make_interval(secs => ${leaseMs / 1000}),
        -- A lease still set ran out: its relay stopped mid-attempt. That attempt counts (it may have
        -- reached the receiver), so a delivery that keeps stopping relays ends dead instead of looping.
        attempts = d.attempts + (CASE WHEN d.lease_until IS NULL THEN 0 ELSE 1 END),
        last_error = CASE WHEN d.lease_until IS NULL THEN d.last_error ELSE 'A relay stopped during the attempt.' END
      FROM (SELECT tenant_id, id FROM webhook_deliveries
            WHERE status IN ('pending', 'retrying') AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
            ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED) pick
      WHERE d.tenant_id = pick.tenant_id AND d.id = pick.id
      RETURNING d.tenant_id, d.id, d.lease_until, d.attempts, d.webhook_id, d.event_id)
    SELECT due.tenant_id, due.id, due.lease_until::text AS lease, due.attempts, w.url, w.secret, w.deleted_at, t.settings,
           e.id AS event_id, e.type, e.created_at, e.order_id, e.change_id, e.data
    FROM due
    JOIN webhooks w ON w.tenant_id = due.tenant_id AND w.id = due.webhook_id
    JOIN tenants t ON t.id = due.tenant_id
    JOIN outbox_events e ON e.tenant_id = due.tenant_id AND e.id = due.event_id`.execute(db);
  return rows.rows.map((r) => ({
    tenantId: r.tenant_id,
    id: r.id,
    lease: r.lease,
    attempts: r.attempts,
    url: r.url,
    secret: r.secret,
    deleted: r.deleted_at !== null,
    settings: r.settings,
    event: eventEnvelope({
      id: r.event_id,
      type: r.type,
      at: new Date(r.created_at).toISOString(),
      orderId: r.order_id,
      changeId: r.change_id,
      data: r.data,
    }),
  }));
}

/**
 * Records an attempt's outcome if the claim still holds its lease; answers false when it lost it (the
 * lease ran out and another relay claimed the delivery, whose outcome then counts).
 */
export async function recordAttempt(
  db: Database,
  d: Pick<DueDelivery, 'tenantId' | 'id' | 'lease'>,
  outcome: {
    status: string;
    attempts: number;
    statusCode: number | null;
    error: string | null;
    nextAttemptAt: Date | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({
      status: outcome.status,
      attempts: outcome.attempts,
      last_status_code: outcome.statusCode,
      last_error: outcome.error,
      next_attempt_at: outcome.nextAttemptAt,
      lease_until: null,
      updated_at: sql`now()`,
    })
    .where('tenant_id', '=', d.tenantId)
    .where('id', '=', d.id)
    .where(sql<boolean>`lease_until = ${d.lease}::timestamptz`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
