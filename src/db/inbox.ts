/** The requester's inbox: final outcomes of their changes, newest first, acknowledged by them. */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

export interface InboxEntry {
  id: string;
  changeId: string;
  orderId: string;
  outcome: string;
  code: string;
  detail: string;
  nextStep: string;
  at: string;
  acknowledgedAt: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export async function listInbox(
  db: Kysely<DB>,
  tenantId: string,
  actorId: string,
  filter: { unacknowledged?: boolean; limit: number; beforeSeq?: number },
) {
  let query = db
    .selectFrom('inbox_entries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('actor_id', '=', actorId);
  if (filter.unacknowledged) query = query.where('acknowledged_at', 'is', null);
  if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  const items: InboxEntry[] = page.map((r) => ({
    id: r.id,
    changeId: r.change_id,
    orderId: r.order_id,
    outcome: r.outcome,
    code: r.code,
    detail: r.detail,
    nextStep: r.next_step,
    at: iso(r.at) as string,
    acknowledgedAt: iso(r.acknowledged_at),
  }));
  return { items, nextSeq: rows.length > filter.limit ? Number(page[page.length - 1]?.seq) : null };
}

/** Acknowledging twice keeps the first time (idempotent); another actor's entry is not found. */
export async function acknowledge(
  db: Kysely<DB>,
  tenantId: string,
  actorId: string,
  id: string,
): Promise<InboxEntry | undefined> {
  await sql`UPDATE inbox_entries SET acknowledged_at = COALESCE(acknowledged_at, now()) WHERE tenant_id = ${tenantId} AND actor_id = ${actorId} AND id = ${id}`.execute(
    db,
  );
  const row = await db
    .selectFrom('inbox_entries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('actor_id', '=', actorId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        changeId: row.change_id,
        orderId: row.order_id,
        outcome: row.outcome,
        code: row.code,
        detail: row.detail,
        nextStep: row.next_step,
        at: iso(row.at) as string,
        acknowledgedAt: iso(row.acknowledged_at),
      }
    : undefined;
}

export async function countUnacknowledgedRejections(
  db: Kysely<DB>,
  tenantId: string,
  actorId: string,
): Promise<number> {
  const row = await db
    .selectFrom('inbox_entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('actor_id', '=', actorId)
    .where('acknowledged_at', 'is', null)
    .where('outcome', 'in', ['rejected', 'failed'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
