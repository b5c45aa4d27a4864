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
  lines: LineJson[] | null;
  payments: PaymentJson[] | null;
  reservations: Reservation[] | null;
  pick_jobs: PickJobJson[] | null;
  labels: Label[] | null;
  handover: { id: string; status: string; handover_date: string | null } | null;
  packages: { id: string }[] | null;
}

interface LineJson {
  line_id: string;
  sku: string;
  name: string;
  quantity: number;
  measurement_unit: string;
  unit_multiplier_milli: number;
  unit_price: number;
  discount: number;
  tax_rate: number;
  weighable: boolean;
  bundle_id: string | null;
  parent_line_id: string | null;
  allowed_substitutes: string[];
  /** Read for the commit's line placement; not part of the domain line. */
  position?: number;
}
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
  lines: { line_id: string; quantity: number; picked: number }[] | null;
}

const iso = (d: Date | string): string =>
  d instanceof Date ? d.toISOString() : new Date(d).toISOString();

export function lineFromJson(l: LineJson): OrderLine {
  return {
    lineId: l.line_id,
    sku: l.sku,
    name: l.name,
    quantity: Number(l.quantity),
    measurementUnit: l.measurement_unit,
    unitMultiplier: fromThousandths(Number(l.unit_multiplier_milli)),
    unitPrice: Number(l.unit_price),
    discount: Number(l.discount),
    taxRate: Number(l.tax_rate),
    weighable: l.weighable,
    bundleId: l.bundle_id,
    parentLineId: l.parent_line_id,
    allowedSubstitutes: l.allowed_substitutes ?? [],
  };
}

export function pickJobFromJson(j: PickJobJson): PickJob {
  return {
    id: j.id,
    facilityId: j.facility_id,
    status: j.status as PickJob['status'],
    subStatus: j.sub_status,
    assigneeId: j.assignee_id,
    lines: (j.lines ?? []).map((l) => ({
      lineId: l.line_id,
      quantity: Number(l.quantity),
      picked: Number(l.picked),
    })),
  };
}

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
    lines: (row.lines ?? []).map(lineFromJson),
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
      reservations: (row.reservations ?? []).map((r) => ({ ...r, quantity: Number(r.quantity) })),
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
