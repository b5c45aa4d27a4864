/**
 * Shopify `orders/create` webhook body → the canonical import body. Shopify sends money as decimal
 * strings in the shop's currency (converted here exactly, never through a float), prices with or
 * without tax (`taxes_included`), and ids beyond 2^53 (read from `admin_graphql_api_id`, which
 * keeps every digit). What is not mapped, and why, is listed in docs/intake.md.
 */
import type { Refusal } from '../errors.js';
import type { ImportLine, ImportPayment, ImportRequest } from '../import-order.js';
import { currencyDigits, divideHalfEven, type Minor } from '../money.js';
import type { PaymentMethod } from '../order.js';
import { ok, refused, type Result } from '../result.js';
import { at, isObject, joined, missing, text, type AdaptContext, type Adapted } from './adapted.js';

/** "199.5" in EUR → 19950; undefined for anything that is not a plain decimal amount. */
export function decimalToMinor(value: unknown, digits: number): Minor | undefined {
  const s =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return undefined;
  const [, sign, whole, fraction = ''] = m;
  const padded = (fraction + '0'.repeat(digits)).slice(0, digits);
  const rest = fraction.slice(digits);
  let minor = BigInt(`${whole}${padded}`);
  if (rest && Number(`0.${rest}`) >= 0.5) minor += 1n; // sub-minor digits do not occur; round if they do
  return Number(sign ? -minor : minor);
}

const gid = (o: Record<string, unknown>): string | undefined => {
  const g = text(o.admin_graphql_api_id);
  const tail = g ? /\/(\d+)$/.exec(g)?.[1] : undefined;
  return tail ?? (typeof o.id === 'number' || typeof o.id === 'string' ? String(o.id) : undefined);
};

// Gateways named in payment_gateway_names; anything else is a card gateway (Shopify Payments, Stripe, …).
const METHOD_BY_GATEWAY: Record<string, PaymentMethod> = {
  gift_card: 'gift-card',
  cash: 'cash',
  'cash on delivery (cod)': 'cash',
  cash_on_delivery: 'cash',
  'bank deposit': 'bank-slip',
  bank_deposit: 'bank-slip',
  'money order': 'promissory',
};
// source_name values of the marketplaces Shopify sells through (Shopify Marketplace Connect).
const MARKETPLACE_SOURCES = new Set(['amazon', 'ebay', 'etsy', 'walmart', 'target_plus']);

interface LineRead {
  line: ImportLine;
  skus: string[];
}

function readLine(
  item: unknown,
  i: number,
  digits: number,
  taxesIncluded: boolean,
): Result<LineRead> {
  const f = (name: string) => `line_items[${i}].${name}`;
  if (!isObject(item))
    return refused([missing(`line_items[${i}]`, `line_items[${i}] is not an object.`)]);
  const out: Refusal[] = [];
  const quantity =
    typeof item.quantity === 'number' && Number.isInteger(item.quantity)
      ? item.quantity
      : undefined;
  const price = decimalToMinor(item.price, digits);
  const skus = [
    text(item.sku),
    item.variant_id == null ? undefined : String(item.variant_id),
  ].filter((s): s is string => s !== undefined);
  if (quantity === undefined)
    out.push(missing(f('quantity'), `${f('quantity')} is not a whole number.`));
  if (price === undefined) out.push(missing(f('price'), `${f('price')} is not a decimal amount.`));
  if (skus.length === 0)
    out.push(missing(f('sku'), `${f('sku')} and ${f('variant_id')} are both missing.`));
  if (out.length) return refused(out);
  const allocations = Array.isArray(item.discount_allocations)
    ? item.discount_allocations.filter(isObject)
    : [];
  const discount = allocations.length
    ? allocations.reduce((s, a) => s + (decimalToMinor(a.amount, digits) ?? 0), 0)
    : (decimalToMinor(item.total_discount, digits) ?? 0);
  const taxLines = Array.isArray(item.tax_lines) ? item.tax_lines.filter(isObject) : [];
  const taxRate = Math.round(taxLines.reduce((s, t) => s + (Number(t.rate) || 0), 0) * 10_000);
  // Amend's prices are net of tax (API.md §7.3): a tax-inclusive price is taken back to its net.
  const net = (amount: number) =>
    taxesIncluded && taxRate > 0
      ? Number(divideHalfEven(BigInt(amount) * 10_000n, BigInt(10_000 + taxRate)))
      : amount;
  const lineId = gid(item);
  return ok({
    skus,
    line: {
      sku: skus[0] as string,
      ...(lineId ? { lineId: `shopify-${lineId}` } : {}),
      quantity: quantity as number,
      ...((text(item.name) ?? text(item.title))
        ? { name: text(item.name) ?? text(item.title) }
        : {}),
      unitPrice: net(price as number),
      discount: net(discount),
      taxRate,
    },
  });
}

function shippingOf(o: Record<string, unknown>, digits: number): number {
  const lines = Array.isArray(o.shipping_lines) ? o.shipping_lines.filter(isObject) : [];
  // Amend's shipping is untaxed (API.md §7.3): the shipping tax travels with the shipping price.
  return lines.reduce((sum, l) => {
    const price = decimalToMinor(l.discounted_price ?? l.price, digits) ?? 0;
    const taxes = Array.isArray(l.tax_lines) ? l.tax_lines.filter(isObject) : [];
    const tax =
      o.taxes_included === true
        ? 0
        : taxes.reduce((s, t) => s + (decimalToMinor(t.price, digits) ?? 0), 0);
    return sum + price + tax;
  }, 0);
}

function attributesOf(o: Record<string, unknown>): Record<string, unknown> {
  const notes = Array.isArray(o.note_attributes) ? o.note_attributes.filter(isObject) : [];
  const tags = text(at(o, ['customer', 'tags']));
  const attrs: Record<string, unknown> = {
    ...Object.fromEntries(notes.map((n) => [String(n.name), n.value])),
    shopifyOrderName: text(o.name),
    shopifySourceName: text(o.source_name),
    shopifyTags: text(o.tags),
    customerTags: tags,
    customerTier: tags ? (/\bvip\b/i.test(tags) ? 'vip' : undefined) : undefined,
    note: text(o.note),
  };
  return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined));
}

function statusOf(o: Record<string, unknown>): Result<ImportRequest['status']> {
  const financial = String(o.financial_status ?? '');
  if (o.cancelled_at)
    return refused([missing('cancelled_at', 'a cancelled Shopify order cannot be imported.')]);
  if (['voided', 'refunded'].includes(financial))
    return refused([
      missing('financial_status', `a Shopify order that is ${financial} cannot be imported.`),
    ]);
  return ok(financial === 'pending' || financial === '' ? 'payment-pending' : 'payment-approved');
}

/** The delivery date a checkout app left in the note attributes ("Delivery Date": "2026-12-24"). */
function deliveryDateOf(o: Record<string, unknown>): string | null {
  const notes = Array.isArray(o.note_attributes) ? o.note_attributes.filter(isObject) : [];
  const hit = notes.find((n) => /deliver(y)?[\s_-]?date/i.test(String(n.name)));
  const value = text(hit?.value);
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
}

export function adaptShopifyOrder(payload: unknown, ctx: AdaptContext): Result<Adapted> {
  if (!isObject(payload)) return refused([missing('', 'the payload is not a JSON object.')]);
  const o = payload;
  const refusals: Refusal[] = [];
  const ref = gid(o);
  const currency = text(o.currency);
  const address = o.shipping_address;
  const items = Array.isArray(o.line_items) ? o.line_items : [];
  if (!ref) refusals.push(missing('id'));
  if (!currency || !/^[A-Za-z]{3}$/.test(currency)) refusals.push(missing('currency'));
  if (!isObject(address)) refusals.push(missing('shipping_address'));
  if (items.length === 0) refusals.push(missing('line_items', 'line_items is missing or empty.'));
  if (refusals.length) return refused(refusals);
  const digits = currencyDigits((currency as string).toUpperCase());
  const taxesIncluded = o.taxes_included === true;
  const lines = items.map((item, i) => readLine(item, i, digits, taxesIncluded));
  const status = statusOf(o);
  const total = decimalToMinor(o.total_price, digits);
  if (o.total_price !== undefined && total === undefined)
    refusals.push(missing('total_price', 'total_price is not a decimal amount.'));
  for (const r of [...lines, status]) if (!r.ok) refusals.push(...r.refusals);
  if (refusals.length) return refused(refusals);

  const read = lines.map((l) => (l as { value: LineRead }).value);
  const a = address as Record<string, unknown>;
  const c = isObject(o.customer) ? o.customer : {};
  const customerName = joined(c.first_name, c.last_name) || text(a.name) || '';
  const financial = String(o.financial_status ?? '');
  const gateway = (Array.isArray(o.payment_gateway_names) ? o.payment_gateway_names : []).map((g) =>
    String(g).toLowerCase(),
  )[0];
  const paid = ['paid', 'partially_paid'].includes(financial);
  const amount = total ?? 0;
  const payments: ImportPayment[] = [
    {
      method: (gateway && METHOD_BY_GATEWAY[gateway]) || 'credit-card',
      authorized: financial === 'pending' ? 0 : amount,
      captured: paid ? amount : 0,
      transactionId: text(o.checkout_token) ?? null,
    },
  ];
  const lat = a.latitude;
  const lon = a.longitude;
  const request: ImportRequest = {
    channel: ctx.channel,
    channelOrderRef: ref as string,
    origin: MARKETPLACE_SOURCES.has(String(o.source_name ?? '').toLowerCase())
      ? 'marketplace'
      : 'direct',
    status: (status as { value: ImportRequest['status'] }).value,
    currency: (currency as string).toUpperCase(),
    customer: {
      name: customerName,
      email: text(o.email) ?? text(o.contact_email) ?? text(c.email) ?? '',
      ...((text(o.phone) ?? text(a.phone) ?? text(c.phone))
        ? { phone: text(o.phone) ?? text(a.phone) ?? text(c.phone) }
        : {}),
    },
    shippingAddress: {
      name: text(a.name) ?? (joined(a.first_name, a.last_name) || customerName),
      street: joined(a.address1, a.address2),
      city: text(a.city) ?? '',
      postalCode: text(a.zip) ?? '',
      country: text(a.country_code) ?? text(a.country) ?? '',
      ...(typeof lat === 'number' && typeof lon === 'number' ? { location: { lat, lon } } : {}),
    },
    preferredDeliveryDate: deliveryDateOf(o),
    customAttributes: attributesOf(o),
    carrier: text(at(o, ['shipping_lines', 0, 'title'])) ?? null,
    lines: read.map((l) => l.line),
    shippingTotal: shippingOf(o, digits),
    adjustments: { discount: 0, increment: 0 },
    payments,
  };
  return ok({
    request,
    channelOrderRef: ref as string,
    account: ctx.account ?? null,
    channelTotal: total ?? null,
    lineSkus: read.map((l) => l.skus),
  });
}
