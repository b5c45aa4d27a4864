/** The canonical, channel-independent order (PRODUCT.md §2, API.md §3). Pure data. */
import type { Minor } from './money.js';

export const ORDER_STATUSES = [
  'payment-pending',
  'payment-approved',
  'handling',
  'ready-for-invoice',
  'invoiced',
  'shipped',
  'delivered',
  'canceled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORIGINS = ['direct', 'marketplace', 'chain'] as const;
export type Origin = (typeof ORIGINS)[number];

export const PAYMENT_METHODS = [
  'credit-card',
  'promissory',
  'cash',
  'credit-control',
  'bank-slip',
  'instant-transfer',
  'gift-card',
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const PICK_JOB_STATUSES = ['open', 'in-progress', 'picked', 'closed', 'canceled'] as const;
export type PickJobStatus = (typeof PICK_JOB_STATUSES)[number];
export type LabelStatus = 'requested' | 'generated' | 'obsolete';
export type HandoverStatus = 'open' | 'handed-over' | 'canceled';
export type RoutingStatus = 'routed' | 'unroutable';

export interface Customer {
  name: string;
  email: string;
  phone?: string | null;
  /** The language of the customer's notifications; absent → the tenant's default locale. */
  locale?: string;
}

export interface Address {
  name: string;
  street: string;
  city: string;
  postalCode: string;
  country: string;
  location?: { lat: number; lon: number } | null;
}

export interface DeliveryWindow {
  from: string;
  to: string;
}

export interface OrderLine {
  lineId: string;
  sku: string;
  name: string;
  quantity: number;
  measurementUnit: string;
  /** Weight per unit for weighable lines, at most 3 decimals; 1 otherwise. */
  unitMultiplier: number;
  unitPrice: Minor;
  /** Per-line discount in minor units, for the whole line. */
  discount: Minor;
  /** Basis points: 1900 = 19 %. */
  taxRate: number;
  weighable: boolean;
  bundleId: string | null;
  parentLineId: string | null;
  allowedSubstitutes: string[];
}

export interface Payment {
  id: string;
  method: PaymentMethod;
  settledByApi: boolean;
  transactionId: string | null;
  authorized: Minor;
  captured: Minor;
  refunded: Minor;
}

export interface Totals {
  items: Minor;
  discounts: Minor;
  increments: Minor;
  shipping: Minor;
  tax: Minor;
  grandTotal: Minor;
}

export interface Reservation {
  lineId: string;
  sku: string;
  facilityId: string;
  quantity: number;
}
export interface PickJobLine {
  lineId: string;
  quantity: number;
  picked: number;
}
export interface PickJob {
  id: string;
  facilityId: string;
  status: PickJobStatus;
  subStatus: string | null;
  assigneeId: string | null;
  lines: PickJobLine[];
}
export interface Label {
  id: string;
  carrier: string;
  status: LabelStatus;
}
export interface Handover {
  id: string;
  status: HandoverStatus;
  /** seed 001: the date (YYYY-MM-DD) the hand-over job is planned for; null until someone sets it. */
  date: string | null;
}
export interface Package {
  id: string;
}
export interface UnroutableReason {
  lineId: string;
  sku: string;
  missing: number;
}
export interface Routing {
  status: RoutingStatus;
  reasons: UnroutableReason[];
  blacklist: string[];
}

export interface Fulfilment {
  routing: Routing;
  reservations: Reservation[];
  pickJobs: PickJob[];
  labels: Label[];
  handover: Handover | null;
  packages: Package[];
}

export interface Order {
  id: string;
  channel: string;
  channelOrderRef: string;
  origin: Origin;
  status: OrderStatus;
  currency: string;
  version: number;
  customer: Customer;
  shippingAddress: Address;
  preferredDeliveryDate: string | null;
  deliveryWindow: DeliveryWindow | null;
  customAttributes: Record<string, unknown>;
  carrier: string | null;
  facilityId: string | null;
  lines: OrderLine[];
  shippingTotal: Minor;
  adjustments: { discount: Minor; increment: Minor };
  /** Promotion codes applied after checkout. */
  appliedPromotions: string[];
  totals: Totals;
  payments: Payment[];
  fulfilment: Fulfilment;
  createdAt: string;
  updatedAt: string;
}

/** A live label is one that still counts (API.md §7.6). */
export const isLiveLabel = (label: Label): boolean => label.status !== 'obsolete';

/** A live pick job is one that still has work or a result (not canceled). */
export const isLivePickJob = (job: PickJob): boolean => job.status !== 'canceled';

export function findLine(order: Order, lineId: string): OrderLine | undefined {
  return order.lines.find((line) => line.lineId === lineId);
}
