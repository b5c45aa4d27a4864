/** The transactional outbox: events are rows written in the transaction that causes them. */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

export interface NewEvent {
  id: string;
  type: string;
  orderId?: string | null;
  changeId?: string | null;
  data: unknown;
}

export async function appendEvents(
  tx: Kysely<DB>,
  tenantId: string,
  events: readonly NewEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await tx
    .insertInto('outbox_events')
    .values(
      events.map((e) => ({
        tenant_id: tenantId,
        id: e.id,
        type: e.type,
        order_id: e.orderId ?? null,
        change_id: e.changeId ?? null,
        data: JSON.stringify(e.data),
      })),
    )
    .execute();
}

export interface UnpublishedEvent {
  tenant_id: string;
  seq: number;
  id: string;
  type: string;
  order_id: string | null;
  change_id: string | null;
  data: unknown;
  created_at: Date;
}

/**
 * The next events not yet published to NATS, in `seq` order. `lock` claims them FOR UPDATE SKIP
 * LOCKED (inside the caller's transaction), so publishers in several processes take different batches.
 */
export async function unpublishedEvents(
  db: Kysely<DB>,
  batch: number,
  lock: boolean,
): Promise<UnpublishedEvent[]> {
  const claim = lock ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  const result = await sql<UnpublishedEvent>`
    SELECT tenant_id, seq, id, type, order_id, change_id, data, created_at FROM outbox_events
    WHERE published_at IS NULL ORDER BY seq LIMIT ${batch} ${claim}`.execute(db);
  return result.rows;
}

export async function markPublished(
  db: Kysely<DB>,
  events: readonly Pick<UnpublishedEvent, 'tenant_id' | 'seq'>[],
): Promise<void> {
  if (!events.length) return;
  const tenants = events.map((e) => e.tenant_id);
  const seqs = events.map((e) => Number(e.seq));
  await sql`UPDATE outbox_events SET published_at = now()
    WHERE (tenant_id, seq) IN (SELECT * FROM unnest(${tenants}::text[], ${seqs}::int8[]))`.execute(
    db,
  );
}
