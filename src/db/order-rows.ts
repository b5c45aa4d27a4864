/** Mapping between order rows (snake_case, thousandths) and the domain Order (camelCase, decimals). */
import { fromThousandths, toThousandths } from '../domain/money.js';
import type {
  Address,
  Customer,
  HandoverStatus,
  Label,
  Order,
  OrderLine,
  Payment,
  PickJob,
  PickJobLine,
  Reservation,
  UnroutableReason,
} from '../domain/order.js';

export interface OrderRowWithChildren {
  id: string;
  channel: string;
  channel_order_ref: string;
  origin: string;
  status: string;
  currency: string;
  version: number;
  customer: unknown;
  shipping_address: unknown;
  preferred_delivery_date: string | null;
  delivery_window: unknown;
  custom_attributes: unknown;
  carrier: string | null;
  facility_id: string | null;
  shipping_total: number;
  adjustment_discount: number;
  adjustment_increment: number;
  total_items: number;
  total_discounts: number;
  total_increments: number;
  total_shipping: number;
  total_tax: number;
  grand_total: number;
  applied_promotions?: unknown;
  routing_status: string;
  routing_reasons: unknown;
  routing_blacklist: unknown;
  created_at: Date;
  updated_at: Date;
  lines: LineTuple[] | null;
  payments: PaymentJson[] | null;
  reservations: ReservationTuple[] | null;
  pick_jobs: PickJobJson[] | null;
  labels: Label[] | null;
  handover: { id: string; status: string; handover_date: string | null } | null;
  packages: { id: string }[] | null;
}

/**
 * The order_lines columns the order load reads, in the order of each line's JSON array: a row of
 * values and not an object, as PostgreSQL builds an array of a 200-line order's lines in less than
 * half the time of objects with their keys, and the server parses half the text. One list serves the
 * SQL (orders.ts) and the mapping (lineFromTuple).
 */
export const LINE_COLUMNS = [
  'line_id',
  'sku',
  'name',
  'quantity',
  'measurement_unit',
  'unit_multiplier_milli',
  'unit_price',
  'discount',
  'tax_rate',
  'weighable',
  'bundle_id',
  'parent_line_id',
  'allowed_substitutes',
  'position',
] as const;
export type LineTuple = unknown[];
const L = Object.fromEntries(LINE_COLUMNS.map((c, i) => [c, i])) as Record<
  (typeof LINE_COLUMNS)[number],
  number
>;
/** A reservation as the load reads it: [line_id, sku, facility_id, quantity]. */
export type ReservationTuple = [string, string, string, number];

interface PaymentJson {
  id: string;
  method: string;
  settled_by_api: boolean;
  transaction_id: string | null;
  authorized: number;
  captured: number;
  refunded: number;
}
interface PickJobJson {
  id: string;
  facility_id: string;
  status: string;
  sub_status: string | null;
  assignee_id: string | null;
  lines: PickJobLineRow[] | null;
}

const iso = (d: Date | string): string =>
  d instanceof Date ? d.toISOString() : new Date(d).toISOString();

export function lineFromTuple(l: LineTuple): OrderLine {
  return {
    lineId: l[L.line_id] as string,
    sku: l[L.sku] as string,
    name: l[L.name] as string,
    quantity: Number(l[L.quantity]),
    measurementUnit: l[L.measurement_unit] as string,
    unitMultiplier: fromThousandths(Number(l[L.unit_multiplier_milli])),
    unitPrice: Number(l[L.unit_price]),
    discount: Number(l[L.discount]),
    taxRate: Number(l[L.tax_rate]),
    weighable: l[L.weighable] as boolean,
    bundleId: l[L.bundle_id] as string | null,
    parentLineId: l[L.parent_line_id] as string | null,
    allowedSubstitutes: (l[L.allowed_substitutes] as string[] | null) ?? [],
  };
}

/** order_lines.position of a line as the load reads it. */
export const linePosition = (l: LineTuple): [string, number] => [
  l[L.line_id] as string,
  Number(l[L.position]),
];

export function pickJobFromJson(j: PickJobJson): PickJob {
  return {
    id: j.id,
    facilityId: j.facility_id,
    status: j.status as PickJob['status'],
    subStatus: j.sub_status,
    assigneeId: j.assignee_id,
    lines: pickJobLinesFromRow(j.lines ?? []),
  };
}

/** A pick job's lines as its row keeps them (pick_jobs.lines, migration 0071). */
export interface PickJobLineRow {
  line_id: string;
  quantity: number;
  picked: number;
}

export const pickJobLinesRow = (lines: readonly PickJobLine[]): PickJobLineRow[] =>
  lines.map((l) => ({ line_id: l.lineId, quantity: l.quantity, picked: l.picked }));

export const pickJobLinesFromRow = (lines: readonly PickJobLineRow[]): PickJobLine[] =>
  lines.map((l) => ({ lineId: l.line_id, quantity: Number(l.quantity), picked: Number(l.picked) }));

export function orderFromRow(row: OrderRowWithChildren): Order {
  return {
    id: row.id,
    channel: row.channel,
    channelOrderRef: row.channel_order_ref,
    origin: row.origin as Order['origin'],
    status: row.status as Order['status'],
    currency: row.currency,
    version: row.version,
    customer: row.customer as Customer,
    shippingAddress: row.shipping_address as Address,
    preferredDeliveryDate: row.preferred_delivery_date,
    deliveryWindow: (row.delivery_window as Order['deliveryWindow']) ?? null,
    customAttributes: (row.custom_attributes as Record<string, unknown>) ?? {},
    carrier: row.carrier,
    facilityId: row.facility_id,
    lines: (row.lines ?? []).map(lineFromTuple),
    shippingTotal: row.shipping_total,
    adjustments: { discount: row.adjustment_discount, increment: row.adjustment_increment },
    appliedPromotions: (row.applied_promotions as string[] | undefined) ?? [],
    totals: {
      items: row.total_items,
      discounts: row.total_discounts,
      increments: row.total_increments,
      shipping: row.total_shipping,
      tax: row.total_tax,
      grandTotal: row.grand_total,
    },
    payments: (row.payments ?? []).map((p): Payment => ({
      id: p.id,
      method: p.method as Payment['method'],
      settledByApi: p.settled_by_api,
      transactionId: p.transaction_id,
      authorized: Number(p.authorized),
      captured: Number(p.captured),
      refunded: Number(p.refunded),
    })),
    fulfilment: {
      routing: {
        status: row.routing_status as 'routed' | 'unroutable',
        reasons: (row.routing_reasons as UnroutableReason[]) ?? [],
        blacklist: (row.routing_blacklist as string[]) ?? [],
      },
      reservations: (row.reservations ?? []).map(
        ([lineId, sku, facilityId, quantity]): Reservation => ({
          lineId,
          sku,
          facilityId,
          quantity: Number(quantity),
        }),
      ),
      pickJobs: (row.pick_jobs ?? []).map(pickJobFromJson),
      labels: row.labels ?? [],
      handover: row.handover
        ? {
            id: row.handover.id,
            status: row.handover.status as HandoverStatus,
            date: row.handover.handover_date ?? null,
          }
        : null,
      packages: row.packages ?? [],
    },
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function lineToRow(tenantId: string, orderId: string, line: OrderLine, position: number) {
  return {
    tenant_id: tenantId,
    order_id: orderId,
    line_id: line.lineId,
    position,
    sku: line.sku,
    name: line.name,
    quantity: line.quantity,
    measurement_unit: line.measurementUnit,
    unit_multiplier_milli: toThousandths(line.unitMultiplier),
    unit_price: line.unitPrice,
    discount: line.discount,
    tax_rate: line.taxRate,
    weighable: line.weighable,
    bundle_id: line.bundleId,
    parent_line_id: line.parentLineId,
    allowed_substitutes: JSON.stringify(line.allowedSubstitutes),
  };
}

export function searchTextOf(order: Pick<Order, 'id' | 'channelOrderRef' | 'customer'>): string {
  return [order.id, order.channelOrderRef, order.customer.name, order.customer.email]
    .join(' ')
    .toLowerCase();
}
