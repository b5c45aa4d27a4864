/**
 * The child rows a change writes: the diff of the order before and after, row by row. A line edit of a
 * 200-line order is one line upsert (and the reservation and stock it moves, and the pick job it replaces).
 */
import { jsonEqual } from '../domain/json-equal.js';
import { sameLineIds } from '../domain/version-delta.js';
import type { Order, OrderLine, Reservation } from '../domain/order.js';
import { lineToRow, pickJobLinesRow, type PickJobLineRow } from './order-rows.js';

const same = jsonEqual;

type LineRow = Omit<ReturnType<typeof lineToRow>, 'allowed_substitutes'> & {
  allowed_substitutes: string[];
};
interface PaymentRow {
  tenant_id: string;
  order_id: string;
  id: string;
  position: number;
  method: string;
  settled_by_api: boolean;
  transaction_id: string | null;
  authorized: number;
  captured: number;
  refunded: number;
}
interface ReservationRow {
  tenant_id: string;
  order_id: string;
  line_id: string;
  facility_id: string;
  sku: string;
  quantity: number;
}
interface PickJobRow {
  tenant_id: string;
  id: string;
  order_id: string;
  facility_id: string;
  status: string;
  sub_status: string | null;
  assignee_id: string | null;
  created_at: string;
  updated_at: string;
  /** Absent when the job's lines stay as stored (the commit keeps them). */
  lines?: PickJobLineRow[];
}

export interface ChildRows {
  lineUpserts?: LineRow[];
  lineDeletes?: string[];
  paymentUpserts?: PaymentRow[];
  paymentDeletes?: string[];
  reservationUpserts?: ReservationRow[];
  reservationDeletes?: { line_id: string; facility_id: string }[];
  stockDeltas?: { facility_id: string; sku: string; delta: number }[];
  pickJobs?: PickJobRow[];
  labels?: Record<string, unknown>[];
  handover?: Record<string, unknown>;
}

/**
 * Positions for the lines after: kept lines keep theirs, a new line goes after the line before it.
 * Undefined when that cannot be done in place (kept lines reordered, no room): then all are renumbered.
 */
function placeLines(after: readonly OrderLine[], positions: ReadonlyMap<string, number>) {
  const placed = new Map<string, number>();
  let prev = -1;
  for (let i = 0; i < after.length; i++) {
    const id = (after[i] as OrderLine).lineId;
    const kept = positions.get(id);
    if (kept !== undefined) {
      if (kept <= prev) return undefined;
      prev = kept;
    } else {
      const next = after.slice(i + 1).find((l) => positions.has(l.lineId));
      const limit = next ? (positions.get(next.lineId) as number) : Number.POSITIVE_INFINITY;
      if (prev + 1 >= limit) return undefined;
      prev += 1;
    }
    placed.set(id, prev);
  }
  return placed;
}

function inPlace(lines: readonly OrderLine[], positions: ReadonlyMap<string, number>): boolean {
  let prev = -1;
  for (const l of lines) {
    const at = positions.get(l.lineId);
    if (at === undefined || at <= prev) return false;
    prev = at;
  }
  return true;
}

/** order_lines.position of every line after the commit (what the next change's commit starts from). */
export function linePositionsAfter(
  after: Order,
  positions: ReadonlyMap<string, number> | undefined,
): ReadonlyMap<string, number> {
  // Every line kept, in place (most changes): the positions stand as they are.
  if (positions && positions.size === after.lines.length && inPlace(after.lines, positions))
    return positions;
  return (
    (positions && placeLines(after.lines, positions)) ??
    new Map(after.lines.map((l, i) => [l.lineId, i]))
  );
}

function lineRows(
  tenantId: string,
  before: Order,
  after: Order,
  positions: ReadonlyMap<string, number> | undefined,
): Pick<ChildRows, 'lineUpserts' | 'lineDeletes'> {
  const placed = linePositionsAfter(after, positions);
  const rowOf = (l: OrderLine): LineRow => ({
    ...lineToRow(tenantId, after.id, l, placed.get(l.lineId) as number),
    allowed_substitutes: l.allowedSubstitutes,
  });
  if (placed === positions && sameLineIds(before.lines, after.lines)) {
    // The same lines in the same places: only the changed ones are written.
    const changed = after.lines.filter((l, i) => !same(before.lines[i], l));
    return changed.length
      ? {
          lineUpserts: changed.map(rowOf),
        }
      : {};
  }
  const old = new Map(before.lines.map((l) => [l.lineId, l]));
  const upserts = after.lines
    .filter((l) => !same(old.get(l.lineId), l) || positions?.get(l.lineId) !== placed.get(l.lineId))
    .map(rowOf);
  const ids = new Set(after.lines.map((l) => l.lineId));
  const deletes = before.lines.filter((l) => !ids.has(l.lineId)).map((l) => l.lineId);
  return {
    ...(upserts.length ? { lineUpserts: upserts } : {}),
    ...(deletes.length ? { lineDeletes: deletes } : {}),
  };
}

function paymentRows(tenantId: string, before: Order, after: Order) {
  const rows = after.payments
    .map((x, i) => ({
      tenant_id: tenantId,
      order_id: after.id,
      id: x.id,
      position: i,
      method: x.method,
      settled_by_api: x.settledByApi,
      transaction_id: x.transactionId,
      authorized: x.authorized,
      captured: x.captured,
      refunded: x.refunded,
    }))
    .filter(
      (row, i) =>
        before.payments.findIndex((b) => b.id === row.id) !== i ||
        !same(before.payments[i], after.payments[i]),
    );
  const ids = new Set(after.payments.map((x) => x.id));
  const deletes = before.payments.filter((x) => !ids.has(x.id)).map((x) => x.id);
  return {
    ...(rows.length ? { paymentUpserts: rows } : {}),
    ...(deletes.length ? { paymentDeletes: deletes } : {}),
  };
}

const sameReservation = (a: Reservation | undefined, b: Reservation) =>
  a !== undefined &&
  a.lineId === b.lineId &&
  a.facilityId === b.facilityId &&
  a.sku === b.sku &&
  a.quantity === b.quantity;

function reservationRows(tenantId: string, before: Order, after: Order): ChildRows {
  // A reservation that stayed is the same object (follow-up.ts): only the others are compared by key.
  const inAfter = new Set(after.fulfilment.reservations);
  const kept = new Set(before.fulfilment.reservations.filter((r) => inAfter.has(r)));
  const was = before.fulfilment.reservations.filter((r) => !kept.has(r));
  const is = after.fulfilment.reservations.filter((r) => !kept.has(r));
  if (!was.length && !is.length) return {};
  const key = (r: { lineId: string; facilityId: string }) => `${r.lineId}\u0000${r.facilityId}`;
  const old = new Map(was.map((r) => [key(r), r]));
  const now = new Map(is.map((r) => [key(r), r]));
  const upserts = is
    .filter((r) => !sameReservation(old.get(key(r)), r))
    .map((r) => ({
      tenant_id: tenantId,
      order_id: after.id,
      line_id: r.lineId,
      facility_id: r.facilityId,
      sku: r.sku,
      quantity: r.quantity,
    }));
  const deletes = was
    .filter((r) => !now.has(key(r)))
    .map((r) => ({ line_id: r.lineId, facility_id: r.facilityId }));
  // Stock moves only where a reservation moved: the unchanged ones (most of a large order) cancel out.
  const deltas = new Map<string, { facility_id: string; sku: string; delta: number }>();
  const add = (r: Reservation, sign: 1 | -1) => {
    const k = `${r.facilityId}\u0000${r.sku}`;
    const d = deltas.get(k);
    if (d) d.delta += sign * r.quantity;
    else deltas.set(k, { facility_id: r.facilityId, sku: r.sku, delta: sign * r.quantity });
  };
  for (const r of was) {
    const next = now.get(key(r));
    if (!next || !sameReservation(next, r)) add(r, -1);
  }
  for (const r of is) {
    const prev = old.get(key(r));
    if (!prev || !sameReservation(prev, r)) add(r, 1);
  }
  // Sorted like every other stock lock (facility, sku), so two commits never deadlock.
  const stock = [...deltas.values()]
    .filter((d) => d.delta !== 0)
    .sort((a, b) => a.facility_id.localeCompare(b.facility_id) || a.sku.localeCompare(b.sku));
  return {
    ...(upserts.length ? { reservationUpserts: upserts } : {}),
    ...(deletes.length ? { reservationDeletes: deletes } : {}),
    ...(stock.length ? { stockDeltas: stock } : {}),
  };
}

function pickJobRows(tenantId: string, before: Order, after: Order): ChildRows {
  const jobs: PickJobRow[] = [];
  for (const j of after.fulfilment.pickJobs) {
    const b = before.fulfilment.pickJobs.find((x) => x.id === j.id);
    const { lines, ...head } = j;
    const linesChanged = !b || !same(b.lines, lines);
    if (linesChanged || !same({ ...b, lines: [] }, { ...head, lines: [] }))
      jobs.push({
        tenant_id: tenantId,
        id: j.id,
        order_id: after.id,
        facility_id: j.facilityId,
        status: j.status,
        sub_status: j.subStatus,
        assignee_id: j.assigneeId,
        created_at: after.updatedAt,
        updated_at: after.updatedAt,
        ...(linesChanged ? { lines: pickJobLinesRow(lines) } : {}),
      });
  }
  return jobs.length ? { pickJobs: jobs } : {};
}

export function childDiff(
  tenantId: string,
  before: Order,
  after: Order,
  positions?: ReadonlyMap<string, number>,
): ChildRows {
  const bf = before.fulfilment;
  const af = after.fulfilment;
  const labels = af.labels
    .filter(
      (l) =>
        !same(
          bf.labels.find((b) => b.id === l.id),
          l,
        ),
    )
    .map((l) => ({
      tenant_id: tenantId,
      id: l.id,
      order_id: after.id,
      carrier: l.carrier,
      status: l.status,
      created_at: after.updatedAt,
      updated_at: after.updatedAt,
    }));
  return {
    ...lineRows(tenantId, before, after, positions),
    ...paymentRows(tenantId, before, after),
    ...reservationRows(tenantId, before, after),
    ...pickJobRows(tenantId, before, after),
    ...(labels.length ? { labels } : {}),
    ...(af.handover && !same(bf.handover, af.handover)
      ? {
          handover: {
            tenant_id: tenantId,
            id: af.handover.id,
            order_id: after.id,
            status: af.handover.status,
            handover_date: af.handover.date,
            updated_at: after.updatedAt,
          },
        }
      : {}),
  };
}
