/**
 * The order aggregate in and out of the database. Reading one order with all its children is
 * one statement (JSON sub-selects), so a change costs one round trip to load.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Order } from '../domain/order.js';
import { replayVersions, versionSnapshot } from '../domain/version-delta.js';
import type { Tx } from './database.js';
import { PREPARED } from './prepared.js';
import type { DB } from './schema.js';
import {
  LINE_COLUMNS,
  linePosition,
  lineToRow,
  orderFromRow,
  pickJobLinesRow,
  searchTextOf,
  type OrderRowWithChildren,
} from './order-rows.js';

const LINE_VALUES = sql.raw(LINE_COLUMNS.map((c) => `l.${c}`).join(', '));

type Executor = Kysely<DB>;

/**
 * `pickJobs: 'live'` leaves out the canceled pick jobs (a change never touches them; each change that
 * replaces a job adds one, so reading them would make a change cost more with every change before it),
 * except the ones named in `alsoPickJobs` (an operation that names a job must see it, canceled or not).
 */
function orderSelect(
  tenantId: string,
  opts: { pickJobs?: 'all' | 'live'; alsoPickJobs?: readonly string[] } = {},
) {
  const which =
    opts.pickJobs === 'live'
      ? sql` AND (j.status <> 'canceled' OR j.id = ANY(${[...(opts.alsoPickJobs ?? [])]}::text[]))`
      : sql``;
  return sql`
    SELECT o.*,
      (SELECT json_agg(json_build_array(${LINE_VALUES}) ORDER BY l.position)
        FROM order_lines l WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id) AS lines,
      (SELECT json_agg(json_build_object('id', p.id, 'method', p.method, 'settled_by_api', p.settled_by_api,
          'transaction_id', p.transaction_id, 'authorized', p.authorized, 'captured', p.captured, 'refunded', p.refunded)
          ORDER BY p.position)
        FROM payments p WHERE p.tenant_id = o.tenant_id AND p.order_id = o.id) AS payments,
      (SELECT json_agg(json_build_array(r.line_id, r.sku, r.facility_id, r.quantity) ORDER BY r.line_id, r.facility_id)
        FROM reservations r WHERE r.tenant_id = o.tenant_id AND r.order_id = o.id) AS reservations,
      (SELECT json_agg(json_build_object('id', j.id, 'facility_id', j.facility_id, 'status', j.status,
          'sub_status', j.sub_status, 'assignee_id', j.assignee_id,
          'lines', j.lines)
          ORDER BY j.created_at, j.id)
        FROM pick_jobs j WHERE j.tenant_id = o.tenant_id AND j.order_id = o.id${which}) AS pick_jobs,
      (SELECT json_agg(json_build_object('id', s.id, 'carrier', s.carrier, 'status', s.status) ORDER BY s.created_at, s.id)
        FROM shipping_labels s WHERE s.tenant_id = o.tenant_id AND s.order_id = o.id) AS labels,
      (SELECT json_build_object('id', h.id, 'status', h.status, 'handover_date', h.handover_date)
        FROM handover_jobs h WHERE h.tenant_id = o.tenant_id AND h.order_id = o.id) AS handover,
      (SELECT json_agg(json_build_object('id', k.id) ORDER BY k.created_at, k.id)
        FROM packages k WHERE k.tenant_id = o.tenant_id AND k.order_id = o.id) AS packages
    FROM orders o WHERE o.tenant_id = ${tenantId}`;
}

const ticketOf = (n: number | string) => `MOD-${String(n).padStart(6, '0')}`;

type StockJson = [string, string, number][] | null;

/**
 * The available stock of `skus` per facility as JSON rows [facility, sku, available], the order's own
 * reservations added back (a change may keep them): summed once and joined, not a sum per stock row.
 */
const availableStock = (
  tenant: RawBuilder<unknown>,
  order: RawBuilder<unknown>,
  skus: RawBuilder<unknown>,
) =>
  sql`(SELECT json_agg(json_build_array(s.facility_id, s.sku, s.on_hand - s.reserved + COALESCE(mine.quantity, 0)))
    FROM stock s LEFT JOIN (SELECT r.facility_id, r.sku, sum(r.quantity) AS quantity FROM reservations r
        WHERE r.tenant_id = ${tenant} AND r.order_id = ${order} GROUP BY r.facility_id, r.sku) mine
      ON mine.facility_id = s.facility_id AND mine.sku = s.sku
    WHERE s.tenant_id = ${tenant} AND s.sku = ANY(${skus}))`;

const stockFromJson = (rows: StockJson): OrderForChange['stock'] =>
  (rows ?? []).map(([facilityId, sku, available]) => ({
    facilityId,
    sku,
    available: Number(available),
  }));

export interface OrderForChange {
  order: Order;
  revision: number;
  /** Other changes in any status but rejected, and applied ones (the rules count them, API.md §7.4). */
  changeCount: number;
  appliedCount: number;
  ticket: string;
  /** order_lines.position per line: the commit places new lines after them and rewrites no other. */
  linePositions: ReadonlyMap<string, number>;
  /** Available stock per facility and sku (the order's own reservations added back), when asked. */
  stock: { facilityId: string; sku: string; available: number }[];
  /** The order as imported (version 0), when asked. */
  original: unknown;
}

export interface ForChangeOptions {
  /** A queued change does not count itself. */
  exceptChangeId?: string | null;
  /** Read stock for the order's skus and these (null: no stock). */
  stockSkus?: readonly string[] | null;
  withOriginal?: boolean;
  /** Draw a ticket number (a sequence: a preview, which writes nothing, draws none). */
  ticket?: boolean;
  /** Pick jobs the request names: read even when canceled (the others that are canceled are not). */
  pickJobIds?: readonly string[];
}

/**
 * The order as a change plans on it, in one statement: its revision (for the optimistic commit), the
 * change counts, a fresh ticket number, and as asked the stock its lines and new skus can route on and
 * the order as imported.
 */
export async function findOrderForChange(
  db: Executor,
  tenantId: string,
  orderId: string,
  opts: ForChangeOptions = {},
): Promise<OrderForChange | undefined> {
  const skus = opts.stockSkus ? [...new Set(opts.stockSkus)] : null;
  const stock = skus
    ? availableStock(
        sql`x.tenant_id`,
        sql`x.id`,
        sql`ARRAY(SELECT l.sku FROM order_lines l
          WHERE l.tenant_id = x.tenant_id AND l.order_id = x.id) || ${skus}::text[]`,
      )
    : sql`NULL::json`;
  const original = opts.withOriginal
    ? sql`(SELECT v.snapshot FROM order_versions v WHERE v.tenant_id = x.tenant_id AND v.order_id = x.id AND v.version = 0)`
    : sql`NULL::jsonb`;
  const result = await sql<
    OrderRowWithChildren & {
      revision: number;
      change_count: number;
      applied_count: number;
      ticket_no: number;
      stock: [string, string, number][] | null;
      original: unknown;
    }
  >`
    ${PREPARED}SELECT x.*, n.change_count, n.applied_count,
      ${opts.ticket === false ? sql`0::int8` : sql`nextval('change_ticket_seq')`} AS ticket_no,
      ${stock} AS stock, ${original} AS original
    FROM (${orderSelect(tenantId, { pickJobs: 'live', alsoPickJobs: opts.pickJobIds ?? [] })} AND o.id = ${orderId}) x,
      LATERAL (SELECT (count(*) FILTER (WHERE c.status <> 'rejected'))::int4 AS change_count,
                      (count(*) FILTER (WHERE c.status = 'applied'))::int4 AS applied_count
               FROM change_requests c WHERE c.tenant_id = x.tenant_id AND c.order_id = x.id
                 AND c.id IS DISTINCT FROM ${opts.exceptChangeId ?? null}) n`.execute(db);
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    order: orderFromRow(row),
    revision: Number(row.revision),
    changeCount: Number(row.change_count),
    appliedCount: Number(row.applied_count),
    ticket: ticketOf(row.ticket_no),
    linePositions: new Map((row.lines ?? []).map(linePosition)),
    stock: stockFromJson(row.stock),
    original: row.original ?? undefined,
  };
}

/**
 * What a change planned on a cached order still reads (app/order-cache.ts), in one statement: a
 * ticket number and, when asked, the available stock of `skus` (the order's own reservations added
 * back, as the full load reads it).
 */
export async function ticketAndStock(
  db: Executor,
  tenantId: string,
  orderId: string,
  skus: readonly string[] | null,
): Promise<{ ticket: string; stock: OrderForChange['stock'] }> {
  const stock = skus
    ? availableStock(sql`${tenantId}`, sql`${orderId}`, sql`${[...new Set(skus)]}::text[]`)
    : sql`NULL::json`;
  const result = await sql<{ ticket_no: string; stock: StockJson }>`
    ${PREPARED}SELECT nextval('change_ticket_seq') AS ticket_no, ${stock} AS stock`.execute(db);
  const row = result.rows[0] as { ticket_no: string; stock: StockJson };
  return { ticket: ticketOf(row.ticket_no), stock: stockFromJson(row.stock) };
}

export async function findOrder(
  db: Executor,
  tenantId: string,
  orderId: string,
): Promise<Order | undefined> {
  return readOrder(db, tenantId, orderId, false);
}

/** The order, its row locked until the transaction ends (a fulfilment move reads, moves, writes). */
export async function lockAndFindOrder(
  tx: Tx,
  tenantId: string,
  orderId: string,
): Promise<Order | undefined> {
  return readOrder(tx, tenantId, orderId, true);
}

async function readOrder(db: Executor, tenantId: string, orderId: string, lock: boolean) {
  const forUpdate = lock ? sql` FOR UPDATE OF o` : sql``;
  const result =
    await sql<OrderRowWithChildren>`${orderSelect(tenantId)} AND o.id = ${orderId}${forUpdate}`.execute(
      db,
    );
  const row = result.rows[0];
  return row ? orderFromRow(row) : undefined;
}

/** Several orders by id, one statement; the result keeps no particular order. */
export async function findOrders(
  db: Executor,
  tenantId: string,
  orderIds: readonly string[],
): Promise<Order[]> {
  if (orderIds.length === 0) return [];
  const result =
    await sql<OrderRowWithChildren>`${orderSelect(tenantId)} AND o.id = ANY(${[...orderIds]})`.execute(
      db,
    );
  return result.rows.map(orderFromRow);
}

/**
 * The orders row of an order (children live in their own tables). jsonb values are encoded as
 * text for Kysely inserts, and left as values inside a commit payload (jsonb_populate_record).
 */
export function orderRow(
  tenantId: string,
  order: Order,
  json: (value: unknown) => unknown = JSON.stringify,
) {
  return {
    tenant_id: tenantId,
    id: order.id,
    channel: order.channel,
    channel_order_ref: order.channelOrderRef,
    origin: order.origin,
    status: order.status,
    currency: order.currency,
    version: order.version,
    customer: json(order.customer),
    shipping_address: json(order.shippingAddress),
    preferred_delivery_date: order.preferredDeliveryDate,
    delivery_window: order.deliveryWindow ? json(order.deliveryWindow) : null,
    custom_attributes: json(order.customAttributes),
    carrier: order.carrier,
    facility_id: order.facilityId,
    shipping_total: order.shippingTotal,
    adjustment_discount: order.adjustments.discount,
    adjustment_increment: order.adjustments.increment,
    applied_promotions: json(order.appliedPromotions),
    total_items: order.totals.items,
    total_discounts: order.totals.discounts,
    total_increments: order.totals.increments,
    total_shipping: order.totals.shipping,
    total_tax: order.totals.tax,
    grand_total: order.totals.grandTotal,
    routing_status: order.fulfilment.routing.status,
    routing_reasons: json(order.fulfilment.routing.reasons),
    routing_blacklist: json(order.fulfilment.routing.blacklist),
    search_text: searchTextOf(order),
    created_at: order.createdAt,
    updated_at: order.updatedAt,
  };
}

export async function insertOrder(tx: Executor, tenantId: string, order: Order): Promise<void> {
  await tx
    .insertInto('orders')
    .values(orderRow(tenantId, order) as never)
    .execute();
  if (order.lines.length) {
    await tx
      .insertInto('order_lines')
      .values(order.lines.map((line, i) => lineToRow(tenantId, order.id, line, i)))
      .execute();
  }
  if (order.payments.length) {
    await tx
      .insertInto('payments')
      .values(
        order.payments.map((p, i) => ({
          tenant_id: tenantId,
          order_id: order.id,
          id: p.id,
          position: i,
          method: p.method,
          settled_by_api: p.settledByApi,
          transaction_id: p.transactionId,
          authorized: p.authorized,
          captured: p.captured,
          refunded: p.refunded,
        })),
      )
      .execute();
  }
  const f = order.fulfilment;
  if (f.reservations.length) {
    await tx
      .insertInto('reservations')
      .values(
        f.reservations.map((r) => ({
          tenant_id: tenantId,
          order_id: order.id,
          line_id: r.lineId,
          facility_id: r.facilityId,
          sku: r.sku,
          quantity: r.quantity,
        })),
      )
      .execute();
  }
  for (const job of f.pickJobs) {
    await tx
      .insertInto('pick_jobs')
      .values({
        tenant_id: tenantId,
        id: job.id,
        order_id: order.id,
        facility_id: job.facilityId,
        status: job.status,
        sub_status: job.subStatus,
        assignee_id: job.assigneeId,
        created_at: order.createdAt,
        updated_at: order.createdAt,
        lines: JSON.stringify(pickJobLinesRow(job.lines)),
      })
      .execute();
  }
  if (f.handover) {
    await tx
      .insertInto('handover_jobs')
      .values({
        tenant_id: tenantId,
        id: f.handover.id,
        order_id: order.id,
        status: f.handover.status,
        handover_date: f.handover.date,
        created_at: order.createdAt,
        updated_at: order.createdAt,
      })
      .execute();
  }
  for (const label of f.labels) {
    await tx
      .insertInto('shipping_labels')
      .values({
        tenant_id: tenantId,
        id: label.id,
        order_id: order.id,
        carrier: label.carrier,
        status: label.status,
        created_at: order.createdAt,
        updated_at: order.createdAt,
      })
      .execute();
  }
}

export { versionSnapshot };

export async function insertOrderVersion(
  tx: Executor,
  tenantId: string,
  order: Order,
): Promise<void> {
  await tx
    .insertInto('order_versions')
    .values({
      tenant_id: tenantId,
      order_id: order.id,
      version: order.version,
      snapshot: JSON.stringify(versionSnapshot(order)),
    })
    .execute();
}

export interface OrderFilter {
  status?: string;
  channel?: string;
  origin?: string;
  facilityId?: string;
  modified?: boolean;
  unroutable?: boolean;
  awaitingApproval?: boolean;
  q?: string;
}
export interface OrderCursor {
  c: string;
  s: number;
}

/** A page of order ids, newest first; (created_at, seq) makes the order stable and the cursor exact. */
export async function listOrderPage(
  db: Executor,
  tenantId: string,
  filter: OrderFilter,
  limit: number,
  after?: OrderCursor,
) {
  let query = db
    .selectFrom('orders')
    .select(['id', 'created_at', 'seq'])
    .where('tenant_id', '=', tenantId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  if (filter.origin) query = query.where('origin', '=', filter.origin);
  if (filter.facilityId) query = query.where('facility_id', '=', filter.facilityId);
  if (filter.modified !== undefined) query = query.where('version', filter.modified ? '>' : '=', 0);
  if (filter.unroutable !== undefined)
    query = query.where('routing_status', '=', filter.unroutable ? 'unroutable' : 'routed');
  if (filter.awaitingApproval !== undefined) {
    const waiting = sql<boolean>`EXISTS (SELECT 1 FROM change_requests c WHERE c.tenant_id = orders.tenant_id AND c.order_id = orders.id AND c.status = 'awaiting-approval')`;
    query = query.where(filter.awaitingApproval ? waiting : sql<boolean>`NOT ${waiting}`);
  }
  if (filter.q)
    query = query.where(
      'search_text',
      'like',
      `%${filter.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`,
    );
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', new Date(after.c)),
        eb.and([eb('created_at', '=', new Date(after.c)), eb('seq', '<', after.s)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next: OrderCursor | null =
    rows.length > limit && last ? { c: last.created_at.toISOString(), s: Number(last.seq) } : null;
  const orders = await findOrders(
    db,
    tenantId,
    page.map((r) => r.id),
  );
  const byId = new Map(orders.map((o) => [o.id, o]));
  return {
    items: page.map((r) => byId.get(r.id)).filter((o): o is Order => o !== undefined),
    next,
  };
}

/**
 * The order as it was at `version` (API.md §7.5): the checkpoint at or before it and the deltas after
 * that, in one statement (migrations/0010).
 */
export async function findOrderVersion(
  db: Executor,
  tenantId: string,
  orderId: string,
  version: number,
): Promise<unknown | undefined> {
  const rows = await sql<{ version: number; snapshot: unknown; delta: unknown }>`
    SELECT v.version, v.snapshot, v.delta FROM order_versions v
    WHERE v.tenant_id = ${tenantId} AND v.order_id = ${orderId} AND v.version <= ${version}
      AND v.version >= (SELECT max(c.version) FROM order_versions c WHERE c.tenant_id = ${tenantId}
                        AND c.order_id = ${orderId} AND c.version <= ${version} AND c.snapshot IS NOT NULL)
    ORDER BY v.version`.execute(db);
  const last = rows.rows.at(-1);
  if (!last || last.version !== version) return undefined;
  // A gap (a version not kept) makes the chain unusable: answer nothing rather than a wrong order.
  if (rows.rows.some((r, i) => r.version !== (rows.rows[0]?.version ?? 0) + i)) return undefined;
  return replayVersions(rows.rows);
}

/** Locks the order row until the transaction ends: changes of one order commit one at a time. */
export async function lockOrder(tx: Tx, tenantId: string, orderId: string): Promise<boolean> {
  const rows = await tx
    .selectFrom('orders')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', orderId)
    .forUpdate()
    .execute();
  return rows.length > 0;
}

/** The order's revision now (undefined: no such order): is a cached copy still the order? */
export async function orderRevision(
  db: Executor,
  tenantId: string,
  orderId: string,
): Promise<number | undefined> {
  const row = (
    await sql<{ revision: string }>`${PREPARED}SELECT revision FROM orders
      WHERE tenant_id = ${tenantId} AND id = ${orderId}`.execute(db)
  ).rows[0];
  return row ? Number(row.revision) : undefined;
}

export async function orderExists(db: Executor, tenantId: string, orderId: string) {
  const row = await db
    .selectFrom('orders')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', orderId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The few scalar facts of an order that decisions need without loading the aggregate. */
export async function findOrderHead(db: Executor, tenantId: string, orderId: string) {
  const row = await db
    .selectFrom('orders')
    .select(['version', 'origin', 'currency', 'routing_status'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', orderId)
    .executeTakeFirst();
  return row
    ? {
        version: row.version,
        origin: row.origin,
        currency: row.currency,
        routingStatus: row.routing_status,
      }
    : undefined;
}

export async function findOrderIdByChannelRef(
  db: Executor,
  tenantId: string,
  channel: string,
  channelOrderRef: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('orders')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('channel', '=', channel)
    .where('channel_order_ref', '=', channelOrderRef)
    .executeTakeFirst();
  return row?.id;
}

/** Unroutable orders that could still be served (not canceled, shipped or delivered), oldest first. */
export async function listUnroutableOrderIds(db: Executor, tenantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('orders')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('routing_status', '=', 'unroutable')
    .where('status', 'not in', ['canceled', 'shipped', 'delivered'])
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.id);
}

/** Which of the order's payments were settled directly by API (the gateway is told on reversal). */
export async function paymentSettlement(
  db: Executor,
  tenantId: string,
  orderId: string,
): Promise<Map<string, boolean>> {
  const rows = await db
    .selectFrom('payments')
    .select(['id', 'settled_by_api'])
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .execute();
  return new Map(rows.map((r) => [r.id, r.settled_by_api]));
}
