/**
 * Reading the outbox as a feed. Sequence numbers are taken when a row is written but become visible
 * at commit, so a lower one can appear after a higher one was read: the reader keeps a window of
 * recent sequence numbers it has delivered and only moves its floor past rows older than SETTLE_MS.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

const SETTLE_MS = 5_000;

export interface FeedEvent {
  seq: number;
  id: string;
  type: string;
  orderId: string | null;
  changeId: string | null;
  data: unknown;
  at: string;
}
export interface FeedFilter {
  orderId?: string;
  changeId?: string;
  requestedBy?: string;
}

export async function latestSeq(db: Kysely<DB>, tenantId: string): Promise<number> {
  const row = await sql<{
    s: number | null;
  }>`SELECT max(seq) AS s FROM outbox_events WHERE tenant_id = ${tenantId}`.execute(db);
  return Number(row.rows[0]?.s ?? 0);
}

/** The sequence number of an event by its id (a stream resumes after it), null when unknown. */
export async function seqOfEvent(
  db: Kysely<DB>,
  tenantId: string,
  eventId: string,
): Promise<number | null> {
  const row = await db
    .selectFrom('outbox_events')
    .select('seq')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', eventId)
    .executeTakeFirst();
  return row ? Number(row.seq) : null;
}

export class EventFeed {
  private readonly delivered = new Set<number>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly tenantId: string,
    private readonly filter: FeedFilter,
    private floor: number,
  ) {}

  /**
   * Events not delivered yet, in sequence order. Rows already delivered are not read again (a stream
   * wakes on every commit), and the floor moves past everything older than SETTLE_MS.
   */
  async next(): Promise<FeedEvent[]> {
    const f = this.filter;
    const rows = (
      await sql<{
        settled_floor: number | null;
        seq: number | null;
        id: string;
        type: string;
        order_id: string | null;
        change_id: string | null;
        data: unknown;
        created_at: Date;
      }>`
      SELECT (SELECT max(seq) FROM outbox_events WHERE tenant_id = ${this.tenantId} AND seq > ${this.floor}
                AND created_at < now() - make_interval(secs => ${SETTLE_MS / 1000})) AS settled_floor, x.*
      FROM (SELECT 1) one LEFT JOIN LATERAL (
        -- The window after the floor first (a few seconds of events), then the filters: never a scan of all changes.
        WITH recent AS MATERIALIZED (
          SELECT * FROM outbox_events
          WHERE tenant_id = ${this.tenantId} AND seq > ${this.floor} AND NOT (seq = ANY(${[...this.delivered]}::int8[]))
          ORDER BY seq LIMIT 20000)
        SELECT e.seq, e.id, e.type, e.order_id, e.change_id, e.data, e.created_at
        FROM recent e
        ${f.requestedBy ? sql`JOIN change_requests c ON c.tenant_id = e.tenant_id AND c.id = e.change_id AND c.requested_by->>'actorId' = ${f.requestedBy}` : sql``}
        WHERE true
          ${f.orderId ? sql`AND e.order_id = ${f.orderId}` : sql``}
          ${f.changeId ? sql`AND e.change_id = ${f.changeId}` : sql``}
        ORDER BY e.seq LIMIT 500) x ON true`.execute(this.db)
    ).rows;
    const fresh = rows.filter((r) => r.seq !== null);
    for (const r of fresh) this.delivered.add(Number(r.seq));
    // Only once this batch is taken: a row the query skipped for the LIMIT must not fall under the floor.
    const settled = rows[0]?.settled_floor;
    if (settled !== null && settled !== undefined && fresh.length < 500) {
      this.floor = Math.max(this.floor, Number(settled));
      for (const seq of this.delivered) if (seq <= this.floor) this.delivered.delete(seq);
    }
    return fresh.map((r) => ({
      seq: Number(r.seq),
      id: r.id,
      type: r.type,
      orderId: r.order_id,
      changeId: r.change_id,
      data: r.data,
      at: new Date(r.created_at).toISOString(),
    }));
  }
}
