/**
 * What the risk model sees of a change (issue 16 point 1): the facts, taken once from the orders
 * before and after, the request and the requester's activity, in words a person can check.
 */
import type { Order } from '../order.js';
import type { ActorActivity } from './unusual-actor.js';

/** The operations grouped by what they touch: the model learns a weight per group, not per name. */
export const OPERATION_GROUPS = {
  line: ['addItem', 'removeItem', 'replaceItem', 'setQuantity', 'changeWeight'],
  price: ['setUnitPrice', 'adjustTotal', 'applyPromotion'],
  address: ['setShippingAddress'],
  delivery: ['setDeliveryDate', 'changeCarrier'],
  routing: ['assignFacility', 'reroute', 'rerouteTask'],
  cancel: ['cancelOrder', 'forceCancelOrder'],
  attributes: ['setCustomAttributes'],
} as const;
export type OperationGroup = keyof typeof OPERATION_GROUPS;
export const GROUP_NAMES = Object.keys(OPERATION_GROUPS) as OperationGroup[];

export function groupOf(op: string): OperationGroup {
  for (const g of GROUP_NAMES)
    if ((OPERATION_GROUPS[g] as readonly string[]).includes(op)) return g;
  return 'attributes';
}

export interface RiskInput {
  /** |total after − total before| in minor units, and as % of the total before. */
  valueDelta: number;
  valueDeltaPct: number;
  operations: string[];
  addressAfterPayment: boolean;
  /** Other changes of the order so far. */
  changesSoFar: number;
  role: string;
  app: string;
  channel: string;
  origin: string;
  paymentMethod: string;
  orderAgeHours: number;
  /** Picker limits exceeded by this change (each one is a reason for a supervisor already). */
  pickerBreaches: number;
  /** The requester's own history. */
  actorRejectionRate: number;
  /** Changes of the requester in the current window, and their usual count per active window. */
  actorRecent: number;
  actorUsual: number;
}

export interface RiskFacts {
  before: Order;
  after: Order;
  operations: string[];
  changesSoFar: number;
  role: string;
  app: string;
  pickerBreaches: number;
  activity: ActorActivity | undefined;
  now: string;
}

const HOUR = 3_600_000;

export function riskInputOf(f: RiskFacts): RiskInput {
  const delta = Math.abs(f.after.totals.grandTotal - f.before.totals.grandTotal);
  const base = f.before.totals.grandTotal;
  const addressChanged =
    JSON.stringify(f.before.shippingAddress) !== JSON.stringify(f.after.shippingAddress);
  return {
    valueDelta: delta,
    valueDeltaPct: base > 0 ? Math.round((delta / base) * 1000) / 10 : 0,
    operations: f.operations,
    addressAfterPayment: addressChanged && f.before.payments.some((p) => p.authorized > 0),
    changesSoFar: f.changesSoFar,
    role: f.role,
    app: f.app,
    channel: f.before.channel,
    origin: f.before.origin,
    paymentMethod: f.before.payments[0]?.method ?? 'none',
    orderAgeHours: Math.max(0, (Date.parse(f.now) - Date.parse(f.before.createdAt)) / HOUR),
    pickerBreaches: f.pickerBreaches,
    actorRejectionRate: f.activity?.rejectionRate ?? 0,
    actorRecent: f.activity?.recent ?? 0,
    actorUsual: f.activity?.usual ?? 0,
  };
}
