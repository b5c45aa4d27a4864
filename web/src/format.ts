/**
 * The one place where the console and the picker turn the API's names into words (issue 17): field
 * paths into labels ("Quantity of Milk 1 L"), operations into sentences, amounts into money in the
 * order's currency and the browser's locale, ids into names and order numbers. Preview, history,
 * inbox, approvals, bulk and picker all read from here; none of them formats a system name itself.
 */
import { CATALOGUE, type CatalogueEntry } from '../../src/domain/errors.js';
import { currencyDigits } from '../../src/domain/money.js';
import { lineGross } from '../../src/domain/totals.js';
import type { Line, Order } from './api/client.js';

/** What a sentence may name: the order it is about and the tenant's people. */
export interface Names {
  order?: Pick<Order, 'lines' | 'payments' | 'currency' | 'channelOrderRef' | 'id'> | undefined;
  people?: ReadonlyMap<string, string> | undefined;
  /** Order id → its own number (W-1006), for lists that are not about one order. */
  orderRefs?: ReadonlyMap<string, string> | undefined;
  /** Product names by sku, where a sentence names a product that is not on the order yet. */
  products?: ReadonlyMap<string, string> | undefined;
  /** Line names by id, where the order itself is not at hand (an inbox entry). */
  lines?: Readonly<Record<string, string>> | undefined;
}

const locale = () => (typeof navigator !== 'undefined' && navigator.language) || 'en-GB';

/** An amount in minor units as money: Intl in the browser's locale, the currency's own digits. */
export function money(minor: number | null | undefined, currency = 'EUR'): string {
  if (minor === null || minor === undefined) return '—';
  const digits = currencyDigits(currency);
  return new Intl.NumberFormat(locale(), { style: 'currency', currency }).format(
    minor / 10 ** digits,
  );
}

/** A line's total as the domain computes it (half-even rounding of quantity × multiplier × price). */
export const lineTotal = (
  l: Pick<Line, 'quantity' | 'unitMultiplier' | 'unitPrice' | 'discount'>,
) => lineGross(l) - l.discount;

export const when = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' }) : '—';

export const day = (iso: string | null | undefined) =>
  iso
    ? new Date(`${iso.slice(0, 10)}T12:00:00Z`).toLocaleDateString(locale(), {
        dateStyle: 'medium',
        timeZone: 'UTC',
      })
    : '—';

const titleCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** `usr_demo_agent` → "Agent" when the people list does not know the id. */
export function person(actorId: string | null | undefined, names: Names = {}): string {
  if (!actorId) return 'someone';
  const known = names.people?.get(actorId);
  if (known) return known;
  const bare = actorId.replace(/^usr_(demo_)?/, '').replace(/[_-]+/g, ' ');
  return titleCase(bare);
}

/** The order's own number (W-1006), never its id. */
export function orderRef(orderId: string, names: Names = {}, known?: string | null): string {
  if (known) return known;
  if (names.order?.id === orderId) return names.order.channelOrderRef;
  return names.orderRefs?.get(orderId) ?? 'an order';
}

const lineOf = (lineId: string, names: Names) =>
  names.order?.lines.find((l) => l.lineId === lineId);
export const lineName = (lineId: string, names: Names) =>
  lineOf(lineId, names)?.name ?? names.lines?.[lineId] ?? 'an item';
const paymentOf = (id: string, names: Names) => names.order?.payments.find((p) => p.id === id);

const METHODS: Record<string, string> = {
  'credit-card': 'card',
  'bank-slip': 'bank slip',
  paypal: 'PayPal',
  invoice: 'invoice',
  'gift-card': 'gift card',
  cash: 'cash',
};
export const method = (m: string) => METHODS[m] ?? m.replace(/-/g, ' ');

const LINE_FIELDS: Record<string, string> = {
  sku: 'Product',
  name: 'Name',
  quantity: 'Quantity',
  measurementUnit: 'Unit',
  unitMultiplier: 'Weight',
  unitPrice: 'Unit price',
  discount: 'Discount',
  taxRate: 'Tax rate',
};
const PAYMENT_FIELDS: Record<string, string> = {
  authorized: 'Authorized',
  captured: 'Captured',
  refunded: 'Refunded',
};
const ADDRESS_FIELDS: Record<string, string> = {
  name: 'Recipient',
  street: 'Street',
  city: 'City',
  postalCode: 'Postal code',
  country: 'Country',
  location: 'Map position',
};
const ORDER_FIELDS: Record<string, string> = {
  preferredDeliveryDate: 'Preferred delivery date',
  deliveryWindow: 'Delivery window',
  'adjustments.discount': 'Extra discount',
  'adjustments.increment': 'Extra charge',
  appliedPromotions: 'Promotions',
  shippingTotal: 'Shipping',
  carrier: 'Carrier',
  facilityId: 'Store or warehouse',
  status: 'Status',
};

/** An audit or plan path as a label: `lines.ln_1.quantity` → "Quantity of Milk 1 L". */
export function fieldLabel(path: string, names: Names = {}): string {
  const [head, id = '', field] = path.split('.');
  if (head === 'lines')
    return field
      ? `${LINE_FIELDS[field] ?? field} of ${lineName(id, names)}`
      : lineOf(id, names)
        ? `Item ${lineName(id, names)}`
        : 'Item';
  if (head === 'payments') {
    const p = paymentOf(id, names);
    return `${PAYMENT_FIELDS[field ?? ''] ?? field} on ${p ? method(p.method) : 'a payment'}`;
  }
  if (head === 'shippingAddress') return `${ADDRESS_FIELDS[id] ?? id} (shipping address)`;
  if (head === 'customAttributes') return `Attribute “${path.slice('customAttributes.'.length)}”`;
  return ORDER_FIELDS[path] ?? titleCase(path.replace(/([A-Z])/g, ' $1').toLowerCase());
}

const MONEY_FIELD =
  /(\.(authorized|captured|refunded|unitPrice|discount)|^adjustments\.(discount|increment)|^shippingTotal)$/;
/** A value at a path as a person reads it: money as money, a line as "2 × Milk 1 L", none as "—". */
export function valueAt(path: string, value: unknown, names: Names = {}): string {
  const currency = names.order?.currency ?? 'EUR';
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number' && MONEY_FIELD.test(path)) return money(value, currency);
  if (path.endsWith('.taxRate') && typeof value === 'number') return `${value / 100} %`;
  if (path === 'preferredDeliveryDate' && typeof value === 'string') return day(value);
  if (/^lines\.[^.]+$/.test(path) && typeof value === 'object')
    return lineSide(value as Record<string, unknown>, names);
  if (path === 'deliveryWindow' && typeof value === 'object') {
    const w = value as { from?: string; to?: string };
    return `${when(w.from)} – ${when(w.to)}`;
  }
  if (Array.isArray(value)) return value.length ? value.map(String).join(', ') : '—';
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .filter(([k]) => k !== 'location')
      .map(([k, v]) => `${ADDRESS_FIELDS[k] ?? k}: ${String(v)}`)
      .join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** One side of a line change: "2 × Milk 1 L at €1.19". */
export function lineSide(side: Record<string, unknown> | null, names: Names = {}): string {
  if (!side) return '—';
  const currency = names.order?.currency ?? 'EUR';
  const sku = typeof side.sku === 'string' ? side.sku : undefined;
  const name =
    (side.name as string | undefined) ?? (sku ? (names.products?.get(sku) ?? sku) : 'an item');
  const parts = [
    side.quantity !== undefined ? `${String(side.quantity)} ×` : '',
    name,
    side.unitMultiplier !== undefined && side.unitMultiplier !== 1
      ? `(${String(side.unitMultiplier)} ${String(side.measurementUnit ?? '')})`.replace(' )', ')')
      : '',
    side.unitPrice !== undefined ? `at ${money(Number(side.unitPrice), currency)}` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** "Quantity of Milk 1 L: 2 → 4". */
export const diffSentence = (path: string, old: unknown, now: unknown, names: Names = {}) =>
  `${fieldLabel(path, names)}: ${valueAt(path, old, names)} → ${valueAt(path, now, names)}`;

const KIND: Record<string, string> = {
  added: 'Added',
  removed: 'Removed',
  replaced: 'Substituted',
  quantity: 'Quantity',
  price: 'Price',
  weight: 'Weight',
};
export const lineKind = (kind: string) => KIND[kind] ?? kind;

type Op = { op: string; [k: string]: unknown };
const product = (op: Op, names: Names) =>
  typeof op.sku === 'string' ? (names.products?.get(op.sku) ?? op.sku) : 'an item';
const target = (op: Op, names: Names) =>
  typeof op.lineId === 'string'
    ? lineName(op.lineId, names)
    : typeof op.sku === 'string'
      ? product(op, names)
      : 'an item';

/** One operation as a sentence: "Add 2 × Coffee 500 g", "Quantity of Milk 1 L to 4". */
export function operationSentence(op: Op, names: Names = {}): string {
  const c = names.order?.currency ?? 'EUR';
  switch (op.op) {
    case 'addItem':
      return `Add ${String(op.quantity ?? 1)} × ${product(op, names)}`;
    case 'removeItem':
      return op.quantity
        ? `Remove ${String(op.quantity)} of ${target(op, names)}`
        : `Remove ${target(op, names)}`;
    case 'replaceItem':
      return `Substitute ${target({ ...op, sku: undefined }, names)} with ${String(op.quantity ?? '')} × ${product(op, names)}`.replace(
        'with  × ',
        'with ',
      );
    case 'setQuantity':
      return `Quantity of ${target(op, names)} to ${String(op.quantity)}`;
    case 'setUnitPrice':
      return `Unit price of ${target(op, names)} to ${money(Number(op.unitPrice), c)}`;
    case 'changeWeight':
      return `Weight of ${target(op, names)} to ${String(op.unitMultiplier)}`;
    case 'adjustTotal':
      return (
        [
          op.discount ? `Extra discount of ${money(Number(op.discount), c)}` : '',
          op.increment ? `Extra charge of ${money(Number(op.increment), c)}` : '',
        ]
          .filter(Boolean)
          .join(' and ') || 'Adjust the total'
      );
    case 'applyPromotion':
      return `Apply the promotion ${String(op.code)}`;
    case 'setShippingAddress':
      return `New shipping address: ${valueAt('shippingAddress', op.address, names)}`;
    case 'setDeliveryDate':
      return op.date ? `Delivery date to ${day(String(op.date))}` : 'New delivery window';
    case 'setCustomAttributes':
      return `Set attributes ${Object.entries((op.set as Record<string, unknown>) ?? {})
        .map(([k, v]) => `${k} = ${String(v)}`)
        .join(', ')}`.trim();
    case 'cancelOrder':
      return 'Cancel the order';
    case 'forceCancelOrder':
      return 'Force-cancel the order';
    case 'changeCarrier':
      return `Carrier to ${String(op.carrier)}`;
    case 'assignFacility':
      return `Send to store or warehouse ${String(op.facilityId)}`;
    case 'reroute':
      return 'Route the order again';
    case 'rerouteTask':
      return 'Route the pick job again';
    default:
      return titleCase(op.op.replace(/([A-Z])/g, ' $1').toLowerCase());
  }
}
export const operationsSentence = (ops: readonly Op[], names: Names = {}) =>
  ops.map((o) => operationSentence(o, names)).join('; ');

/** What the money does, said to the agent: "Customer pays €3.20 more on card", "€2.00 refunded to card". */
export function paymentSentence(
  p: { method: string; amount: number; action: string },
  currency: string,
): string {
  const amount = money(Math.abs(p.amount), currency);
  if (p.action === 'none' || p.amount === 0) return `Nothing moves on ${method(p.method)}`;
  if (p.amount > 0) return `Customer pays ${amount} more (${method(p.method)})`;
  return p.action === 'refund'
    ? `${amount} refunded to the customer (${method(p.method)})`
    : `${amount} less held on the customer's ${method(p.method)}`;
}

const EFFECTS: Record<string, string> = {
  REROUTE: 'The order is routed again',
  LABEL_OBSOLETE: 'The shipping label is voided',
  LABEL_REQUESTED: 'A new shipping label is requested',
  PICK_JOB_REPLACED: 'The picker gets a new pick list',
  PICK_JOB_UPDATED: 'The pick list is updated',
  RESERVATION: 'Stock is reserved again',
  MANUAL_STEP: 'A person must act',
};
export const effectSentence = (e: { type: string; text?: unknown }) =>
  typeof e.text === 'string' ? e.text : (EFFECTS[e.type] ?? 'Something else follows');

const STATUS: Record<string, string> = {
  applied: 'Applied',
  rejected: 'Rejected',
  failed: 'Failed',
  canceled: 'Canceled',
  'awaiting-approval': 'Waiting for approval',
  'awaiting-seller': 'Waiting for the seller',
  received: 'Received',
  queued: 'Queued',
  processing: 'In progress',
  'would-apply': 'Would apply',
  'would-need-approval': 'Would need approval',
  'would-refuse': 'Would be refused',
  refused: 'Refused',
};
export const statusLabel = (s: string) => STATUS[s] ?? titleCase(s.replace(/-/g, ' '));

const APPS: Record<string, string> = {
  console: 'console',
  picker: 'picker app',
  bulk: 'bulk edit',
  api: 'API',
  vtex: 'VTEX',
};
export const appLabel = (a: string | null | undefined) => (a ? (APPS[a] ?? a) : '—');

const catalogue = CATALOGUE as Record<string, CatalogueEntry>;
/** A developer's hint names a path or a field; a person in the console is told something else. */
const API_SPEAK = /\/v1\/|`|\b(GET|POST|PUT|PATCH|DELETE)\b|\{id\}/;
/** What to do next for a code, said to a person; never an API path. */
export function personHint(code: string | undefined, given?: string | null): string | undefined {
  const entry = code ? catalogue[code] : undefined;
  if (entry?.personHint) return entry.personHint;
  const hint = given ?? entry?.hint;
  return hint && !API_SPEAK.test(hint) ? hint : undefined;
}
/** The catalogue's sentence for a code (for a result that carries only its code). */
export const codeSentence = (code: string) => catalogue[code]?.title ?? 'Refused.';
/** A code as a short label (a chart's bar): the catalogue's title without its full stop. */
export const codeLabel = (code: string) =>
  (catalogue[code]?.title ?? 'Another reason').replace(/\.$/, '');

/**
 * A server sentence with its ids made names: the domain says "Line ln_7 (MILK-1L)", the person reads
 * "Milk 1 L (MILK-1L)". Ids the page cannot name become words, never the raw id.
 */
export function plain(text: string | null | undefined, names: Names = {}): string {
  if (!text) return '';
  return text
    .replace(/\b[Ll]ine (ln_[a-z0-9_]+)/g, (_m, id: string) => lineName(id, names))
    .replace(/\bln_[a-z0-9_]+/g, (id) => lineName(id, names))
    .replace(/\bord_[a-z0-9_]+/g, (id) => orderRef(id, names))
    .replace(/\busr_[a-z0-9_]+/g, (id) => person(id, names))
    .replace(/\bpay_[a-z0-9_]+/g, (id) => {
      const p = paymentOf(id, names);
      return p ? `the ${method(p.method)} payment` : 'the payment';
    })
    .replace(/\bchg_[a-z0-9_]+/g, 'the change');
}
