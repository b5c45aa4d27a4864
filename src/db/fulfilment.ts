/** Fulfilment rows: pick jobs, labels, packages, the handover, and what a move writes to them. */
import { sql, type Kysely } from 'kysely';
import type {
  HandoverStatus,
  Label,
  OrderStatus,
  Payment,
  PickJob,
  PickJobLine,
  Reservation,
} from '../domain/order.js';
import { pickJobLinesFromRow, pickJobLinesRow } from './order-rows.js';
import type { DB } from './schema.js';

type Executor = Kysely<DB>;

export async function findPickJobOrderId(
  db: Executor,
  tenantId: string,
  pickJobId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('pick_jobs')
    .select('order_id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', pickJobId)
    .executeTakeFirst();
  return row?.order_id;
}

export async function findLabelOrderId(
  db: Executor,
  tenantId: string,
  labelId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('shipping_labels')
    .select('order_id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', labelId)
    .executeTakeFirst();
  return row?.order_id;
}

/** Every move sets updated_at; the status only when it moved. The version is left alone. */
export async function touchOrder(
  tx: Executor,
  tenantId: string,
  orderId: string,
  updatedAt: string,
  status?: OrderStatus,
): Promise<void> {
  // Every write to an order bumps its revision, so an optimistic change commit sees it (0002).
  await tx
    .updateTable('orders')
    .set((eb) => ({
      updated_at: updatedAt,
      revision: eb('revision', '+', 1),
      ...(status ? { status } : {}),
    }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', orderId)
    .execute();
}

export async function updatePickJobState(
  tx: Executor,
  tenantId: string,
  job: PickJob,
  updatedAt: string,
): Promise<void> {
  await tx
    .updateTable('pick_jobs')
    .set({
      status: job.status,
      sub_status: job.subStatus,
      assignee_id: job.assigneeId,
      updated_at: updatedAt,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', job.id)
    .execute();
}

/** A pick job's lines as they are now (what was picked of each). */
export async function setPickJobLines(
  tx: Executor,
  tenantId: string,
  pickJobId: string,
  lines: readonly PickJobLine[],
): Promise<void> {
  await tx
    .updateTable('pick_jobs')
    .set({ lines: JSON.stringify(pickJobLinesRow(lines)) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', pickJobId)
    .execute();
}

export async function insertLabel(
  tx: Executor,
  tenantId: string,
  orderId: string,
  label: Label,
  createdAt: string,
): Promise<void> {
  await tx
    .insertInto('shipping_labels')
    .values({
      tenant_id: tenantId,
      id: label.id,
      order_id: orderId,
      carrier: label.carrier,
      status: label.status,
      created_at: createdAt,
      updated_at: createdAt,
    })
    .execute();
}

export async function setLabelStatus(
  tx: Executor,
  tenantId: string,
  labelId: string,
  status: Label['status'],
  updatedAt: string,
): Promise<void> {
  await tx
    .updateTable('shipping_labels')
    .set({ status, updated_at: updatedAt })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', labelId)
    .execute();
}

export async function insertPackage(
  tx: Executor,
  tenantId: string,
  orderId: string,
  packageId: string,
  createdAt: string,
): Promise<void> {
  await tx
    .insertInto('packages')
    .values({
      tenant_id: tenantId,
      id: packageId,
      order_id: orderId,
      pack_job_id: null,
      created_at: createdAt,
    })
    .execute();
}

export async function setHandoverStatus(
  tx: Executor,
  tenantId: string,
  handoverId: string,
  status: HandoverStatus,
  updatedAt: string,
): Promise<void> {
  await tx
    .updateTable('handover_jobs')
    .set({ status, updated_at: updatedAt })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', handoverId)
    .execute();
}

export async function setCapturedAmounts(
  tx: Executor,
  tenantId: string,
  orderId: string,
  payments: readonly Payment[],
): Promise<void> {
  for (const p of payments) {
    await tx
      .updateTable('payments')
      .set({ captured: p.captured })
      .where('tenant_id', '=', tenantId)
      .where('order_id', '=', orderId)
      .where('id', '=', p.id)
      .execute();
  }
}

export async function deleteReservations(
  tx: Executor,
  tenantId: string,
  orderId: string,
): Promise<void> {
  await tx
    .deleteFrom('reservations')
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .execute();
}

/** Shipped goods leave the facility: onHand and reserved both drop by what was reserved. */
export async function shipStockOut(
  tx: Executor,
  tenantId: string,
  reservations: readonly Reservation[],
): Promise<void> {
  const merged = new Map<string, { facilityId: string; sku: string; quantity: number }>();
  for (const r of reservations) {
    const key = `${r.facilityId}\u0000${r.sku}`;
    merged.set(key, {
      facilityId: r.facilityId,
      sku: r.sku,
      quantity: (merged.get(key)?.quantity ?? 0) + r.quantity,
    });
  }
  const out = [...merged.values()].sort((a, b) =>
    (a.facilityId + a.sku).localeCompare(b.facilityId + b.sku),
  );
  if (out.length === 0) return;
  const moves = sql`(SELECT * FROM unnest(${out.map((o) => o.facilityId)}::text[], ${out.map((o) => o.sku)}::text[],
    ${out.map((o) => o.quantity)}::int4[]) AS t(facility_id, sku, quantity))`;
  // Lock in the same (facility, sku) order as routing does, so a ship and an import never deadlock.
  await sql`SELECT 1 FROM stock s JOIN ${moves} d ON s.facility_id = d.facility_id AND s.sku = d.sku
    WHERE s.tenant_id = ${tenantId} ORDER BY s.facility_id, s.sku FOR UPDATE OF s`.execute(tx);
  await sql`UPDATE stock s SET on_hand = s.on_hand - d.quantity, reserved = s.reserved - d.quantity FROM ${moves} d
    WHERE s.tenant_id = ${tenantId} AND s.facility_id = d.facility_id AND s.sku = d.sku`.execute(
    tx,
  );
}

export interface PickJobFilter {
  status?: string;
  facilityId?: string;
  assigneeId?: string;
}
export interface PickJobCursor {
  s: number;
  i: string;
}
export type PickJobRow = PickJob & { orderId: string };

/**
 * Pick jobs, oldest order first; (order seq, job id) makes the order stable and the cursor exact.
 * Without a limit, every match.
 */
export async function listPickJobPage(
  db: Executor,
  tenantId: string,
  filter: PickJobFilter,
  limit?: number,
  after?: PickJobCursor,
) {
  let query = db
    .selectFrom('pick_jobs as j')
    .innerJoin('orders as o', (join) =>
      join.onRef('o.tenant_id', '=', 'j.tenant_id').onRef('o.id', '=', 'j.order_id'),
    )
    .select([
      'j.id',
      'j.order_id',
      'j.facility_id',
      'j.status',
      'j.sub_status',
      'j.assignee_id',
      'j.lines',
      'o.seq',
    ])
    .where('j.tenant_id', '=', tenantId);
  if (filter.status) query = query.where('j.status', '=', filter.status);
  if (filter.facilityId) query = query.where('j.facility_id', '=', filter.facilityId);
  if (filter.assigneeId) query = query.where('j.assignee_id', '=', filter.assigneeId);
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('o.seq', '>', after.s),
        eb.and([eb('o.seq', '=', after.s), eb('j.id', '>', after.i)]),
      ]),
    );
  query = query.orderBy('o.seq').orderBy('j.id');
  const rows = await (limit === undefined ? query : query.limit(limit + 1)).execute();
  const page = limit === undefined ? rows : rows.slice(0, limit);
  const last = page[page.length - 1];
  const next: PickJobCursor | null =
    limit !== undefined && rows.length > limit && last ? { s: Number(last.seq), i: last.id } : null;
  const items: PickJobRow[] = page.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    facilityId: r.facility_id,
    status: r.status as PickJob['status'],
    subStatus: r.sub_status,
    assigneeId: r.assignee_id,
    lines: pickJobLinesFromRow(r.lines),
  }));
  return { items, next };
}
