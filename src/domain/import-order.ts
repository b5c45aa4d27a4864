/**
 * Turning an import request into a canonical order (API.md §3 POST /v1/orders): catalogue
 * defaults for what the request leaves out, totals computed here, never trusted from outside.
 * Routing is decided by the caller with locked stock and then applied with `withRouting`.
 */
import { addressRefusals } from './address.js';
import { aboveBounds, BOUNDS, freeFormRefusal, totalBoundRefusal } from './bounds.js';
import type { Product } from './catalogue.js';
import { refusal, type Refusal } from './errors.js';
import { hasAtMostThreeDecimals } from './money.js';
import type {
  Address,
  Customer,
  DeliveryWindow,
  Order,
  OrderLine,
  Origin,
  Payment,
  PaymentMethod,
} from './order.js';
import { ok, refused, type Result } from './result.js';
import type { RoutingDecision } from './routing.js';
import { computeTotals, lineGross } from './totals.js';

export interface ImportLine {
  sku: string;
  quantity: number;
  lineId?: string;
  name?: string;
  unitPrice?: number;
  taxRate?: number;
  discount?: number;
  unitMultiplier?: number;
  measurementUnit?: string;
  allowedSubstitutes?: string[];
  bundleId?: string | null;
  parentLineId?: string | null;
}

export interface ImportPayment {
  id?: string;
  method: PaymentMethod;
  authorized?: number;
  captured?: number;
  settledByApi?: boolean;
  transactionId?: string | null;
}

export interface ImportRequest {
  channel: string;
  channelOrderRef: string;
  origin?: Origin;
  status?: 'payment-approved' | 'payment-pending';
  currency: string;
  customer: Customer;
  shippingAddress: Address;
  preferredDeliveryDate?: string | null;
  deliveryWindow?: DeliveryWindow | null;
  customAttributes?: Record<string, unknown>;
  carrier?: string | null;
  facilityId?: string | null;
  lines: ImportLine[];
  shippingTotal?: number;
  adjustments?: { discount?: number; increment?: number };
  payments?: ImportPayment[];
}

export interface ImportContext {
  products: ReadonlyMap<string, Product>;
  now: string;
  nextId: (prefix: string) => string;
}

function lineRefusals(line: ImportLine, i: number, product: Product | undefined): Refusal[] {
  const at = (field: string) => ({ field: `lines[${i}].${field}` });
  const out: Refusal[] = [];
  if (!product)
    out.push(refusal('SKU_NOT_FOUND', `sku ${line.sku} is not in the catalogue.`, at('sku')));
  if (!Number.isInteger(line.quantity) || line.quantity < 1)
    out.push(refusal('QUANTITY_INVALID', 'quantity must be at least 1.', at('quantity')));
  for (const key of ['unitPrice', 'discount', 'taxRate'] as const) {
    const value = line[key];
    if (value !== undefined && value < 0)
      out.push(refusal('VALUE_NEGATIVE', `${key} must not be negative.`, at(key)));
  }
  if (
    line.unitMultiplier !== undefined &&
    (line.unitMultiplier <= 0 || !hasAtMostThreeDecimals(line.unitMultiplier))
  ) {
    out.push(
      refusal(
        'REQUEST_INVALID',
        'unitMultiplier must be above 0 with at most 3 decimals.',
        at('unitMultiplier'),
      ),
    );
  }
  return out;
}

function buildLine(line: ImportLine, product: Product, lineId: string): OrderLine {
  return {
    lineId,
    sku: line.sku,
    name: line.name ?? product.name,
    quantity: line.quantity,
    measurementUnit: line.measurementUnit ?? product.measurementUnit,
    unitMultiplier: line.unitMultiplier ?? product.unitMultiplier,
    unitPrice: line.unitPrice ?? product.unitPrice,
    discount: line.discount ?? 0,
    taxRate: line.taxRate ?? product.taxRate,
    weighable: product.weighable,
    bundleId: line.bundleId ?? null,
    parentLineId: line.parentLineId ?? null,
    allowedSubstitutes: line.allowedSubstitutes ?? product.allowedSubstitutes,
  };
}

export function buildImportedOrder(request: ImportRequest, ctx: ImportContext): Result<Order> {
  const refusals: Refusal[] = [];
  request.lines.forEach((line, i) =>
    refusals.push(...lineRefusals(line, i, ctx.products.get(line.sku))),
  );
  refusals.push(...addressRefusals(request.shippingAddress, 'shippingAddress'));
  for (const [key, value] of [
    ['shippingTotal', request.shippingTotal],
    ['adjustments.discount', request.adjustments?.discount],
    ['adjustments.increment', request.adjustments?.increment],
  ] as const) {
    if (value !== undefined && value < 0)
      refusals.push(refusal('VALUE_NEGATIVE', `${key} must not be negative.`, { field: key }));
  }
  (request.payments ?? []).forEach((p, i) => {
    for (const key of ['authorized', 'captured'] as const) {
      const value = p[key];
      if (value !== undefined && value < 0)
        refusals.push(
          refusal('VALUE_NEGATIVE', `${key} must not be negative.`, {
            field: `payments[${i}].${key}`,
          }),
        );
    }
  });
  if (request.lines.length === 0)
    refusals.push(refusal('CHANGE_EMPTY', 'an order needs at least one line.', { field: 'lines' }));
  refusals.push(...importBoundRefusals(request));

  const lineIds = request.lines.map((line) => line.lineId ?? ctx.nextId('ln'));
  const seen = new Set<string>();
  lineIds.forEach((id, i) => {
    if (seen.has(id))
      refusals.push(
        refusal('REQUEST_INVALID', `lineId ${id} appears twice.`, { field: `lines[${i}].lineId` }),
      );
    seen.add(id);
  });
  request.lines.forEach((line, i) => {
    if (line.parentLineId && !seen.has(line.parentLineId)) {
      refusals.push(
        refusal(
          'LINE_NOT_FOUND',
          `parentLineId ${line.parentLineId} is not a line of this order.`,
          { field: `lines[${i}].parentLineId` },
        ),
      );
    }
  });
  if (refusals.length) return refused(refusals);

  const lines = request.lines.map((line, i) =>
    buildLine(line, ctx.products.get(line.sku) as Product, lineIds[i] as string),
  );
  const adjustments = {
    discount: request.adjustments?.discount ?? 0,
    increment: request.adjustments?.increment ?? 0,
  };
  const shippingTotal = request.shippingTotal ?? 0;
  const totals = computeTotals({ lines, shippingTotal, adjustments });
  // Every line's value and the total within the bound, so the int8 columns always hold them.
  const tooLarge = totalBoundRefusal(0, Math.max(totals.grandTotal, ...lines.map(lineGross)));
  if (tooLarge) return refused([tooLarge]);
  if (totals.grandTotal < 0) {
    return refused([
      refusal('DISCOUNT_EXCEEDS_ORDER_TOTAL', 'the discounts exceed the order total.', {
        field: 'adjustments.discount',
      }),
    ]);
  }
  // A payment without an amount holds what the others leave of the total (verify: payments = total).
  const stated = (request.payments ?? []).reduce((sum, p) => sum + (p.authorized ?? 0), 0);
  const rest = Math.max(0, totals.grandTotal - stated);
  const payments: Payment[] = (request.payments ?? []).map((p) => ({
    id: p.id ?? ctx.nextId('pay'),
    method: p.method,
    settledByApi: p.settledByApi ?? false,
    transactionId: p.transactionId ?? null,
    authorized: p.authorized ?? rest,
    captured: p.captured ?? 0,
    refunded: 0,
  }));
  return ok({
    id: ctx.nextId('ord'),
    channel: request.channel,
    channelOrderRef: request.channelOrderRef,
    origin: request.origin ?? 'direct',
    status: request.status ?? 'payment-approved',
    currency: request.currency,
    version: 0,
    customer: request.customer,
    shippingAddress: request.shippingAddress,
    preferredDeliveryDate: request.preferredDeliveryDate ?? null,
    deliveryWindow: request.deliveryWindow ?? null,
    customAttributes: request.customAttributes ?? {},
    carrier: request.carrier ?? null,
    facilityId: null,
    lines,
    shippingTotal,
    adjustments,
    appliedPromotions: [],
    totals,
    payments,
    fulfilment: {
      routing: { status: 'routed', reasons: [], blacklist: [] },
      reservations: [],
      pickJobs: [],
      labels: [],
      handover: { id: ctx.nextId('hov'), status: 'open', date: null },
      packages: [],
    },
    createdAt: ctx.now,
    updatedAt: ctx.now,
  });
}

/** Applies a routing decision: reserve every line at the facility and open one pick job there. */
export function withRouting(
  order: Order,
  decision: RoutingDecision,
  nextId: (prefix: string) => string,
): Order {
  if (decision.status === 'unroutable') {
    return {
      ...order,
      facilityId: null,
      fulfilment: {
        ...order.fulfilment,
        routing: { ...order.fulfilment.routing, status: 'unroutable', reasons: decision.reasons },
        reservations: [],
        pickJobs: [],
      },
    };
  }
  const facilityId = decision.facilityId;
  return {
    ...order,
    facilityId,
    fulfilment: {
      ...order.fulfilment,
      routing: { ...order.fulfilment.routing, status: 'routed', reasons: [] },
      reservations: order.lines.map((l) => ({
        lineId: l.lineId,
        sku: l.sku,
        facilityId,
        quantity: l.quantity,
      })),
      pickJobs: [
        {
          id: nextId('pj'),
          facilityId,
          status: 'open',
          subStatus: null,
          assigneeId: null,
          lines: order.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, picked: 0 })),
        },
      ],
    },
  };
}

/** The domain's bounds on what an import carries (docs/limits.md): every value fits its column. */
function importBoundRefusals(request: ImportRequest): Refusal[] {
  const out = aboveBounds([
    ...request.lines.flatMap((l, i) => [
      [`lines[${i}].quantity`, l.quantity, BOUNDS.quantity] as const,
      [`lines[${i}].unitMultiplier`, l.unitMultiplier, BOUNDS.unitMultiplier] as const,
      [`lines[${i}].unitPrice`, l.unitPrice, BOUNDS.unitPriceMinor] as const,
      [`lines[${i}].discount`, l.discount, BOUNDS.totalMinor] as const,
      [`lines[${i}].taxRate`, l.taxRate, BOUNDS.taxRateBasisPoints] as const,
    ]),
    ['shippingTotal', request.shippingTotal, BOUNDS.totalMinor],
    ['adjustments.discount', request.adjustments?.discount, BOUNDS.adjustmentMinor],
    ['adjustments.increment', request.adjustments?.increment, BOUNDS.adjustmentMinor],
    ...(request.payments ?? []).flatMap((p, i) => [
      [`payments[${i}].authorized`, p.authorized, BOUNDS.totalMinor] as const,
      [`payments[${i}].captured`, p.captured, BOUNDS.totalMinor] as const,
    ]),
  ]);
  const attributes = freeFormRefusal(request.customAttributes ?? {}, 'customAttributes');
  return attributes ? [...out, attributes] : out;
}
