/** The requester's inbox: final outcomes of their changes, newest first, acknowledged by them. */
import { sql, type Kysely } from 'kysely';
import type { Operation } from '../domain/change/types.js';
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
  /** What a person reads beside the code (issue 17): the change's ticket, app and operations, the order's own reference. */
  ticket: string | null;
  app: string | null;
  orderRef: string | null;
  operations: Operation[];
  /** The names of the lines the operations name (by lineId), as the order has them now. */
  lineNames: Record<string, string>;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** `app` / `excludeApp`: only the outcomes of changes these apps asked for, or all but theirs. */
export async function listInbox(
  db: Kysely<DB>,
  tenantId: string,
  actorId: string,
  filter: {
    unacknowledged?: boolean;
    limit: number;
    beforeSeq?: number;
    app?: readonly string[];
    excludeApp?: readonly string[];
  },
) {
  let query = entries(db, tenantId, actorId);
  if (filter.unacknowledged) query = query.where('i.acknowledged_at', 'is', null);
  if (filter.beforeSeq !== undefined) query = query.where('i.seq', '<', filter.beforeSeq);
  if (filter.app?.length)
    query = query.where(sql<string>`c.requested_by->>'app'`, 'in', [...filter.app]);
  if (filter.excludeApp?.length)
    query = query.where(sql<string>`coalesce(c.requested_by->>'app', '')`, 'not in', [
      ...filter.excludeApp,
    ]);
  const rows = await query
    .orderBy('i.seq', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  return {
    items: page.map(entryOf),
    nextSeq: rows.length > filter.limit ? Number(page[page.length - 1]?.seq) : null,
  };
}

/** An actor's entries with their change and order beside them. */
const entries = (db: Kysely<DB>, tenantId: string, actorId: string) =>
  db
    .selectFrom('inbox_entries as i')
    .leftJoin('change_requests as c', (j) =>
      j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.change_id'),
    )
    .leftJoin('orders as o', (j) =>
      j.onRef('o.tenant_id', '=', 'i.tenant_id').onRef('o.id', '=', 'i.order_id'),
    )
    .selectAll('i')
    .select([
      'c.ticket',
      'c.operations',
      sql<string | null>`c.requested_by->>'app'`.as('app'),
      'o.channel_order_ref',
      sql<
        Record<string, string> | string | null
      >`(SELECT jsonb_object_agg(l.line_id, l.name) FROM order_lines l WHERE l.tenant_id = i.tenant_id AND l.order_id = i.order_id)`.as(
        'line_names',
      ),
    ])
    .where('i.tenant_id', '=', tenantId)
    .where('i.actor_id', '=', actorId);

type EntryRow = Awaited<ReturnType<ReturnType<typeof entries>['executeTakeFirstOrThrow']>>;
const entryOf = (r: EntryRow): InboxEntry => ({
  id: r.id,
  changeId: r.change_id,
  orderId: r.order_id,
  outcome: r.outcome,
  code: r.code,
  detail: r.detail,
  nextStep: r.next_step,
  at: iso(r.at) as string,
  acknowledgedAt: iso(r.acknowledged_at),
  ticket: r.ticket ?? null,
  app: r.app ?? null,
  orderRef: r.channel_order_ref ?? null,
  operations: Array.isArray(r.operations) ? (r.operations as Operation[]) : [],
  lineNames: (typeof r.line_names === 'string' ? JSON.parse(r.line_names) : r.line_names) ?? {},
});

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
  const row = await entries(db, tenantId, actorId).where('i.id', '=', id).executeTakeFirst();
  return row ? entryOf(row) : undefined;
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
