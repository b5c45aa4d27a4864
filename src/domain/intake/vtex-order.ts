/**
 * VTEX OMS order (GET /api/oms/pvt/orders/{orderId}, the `GetOrder` shape of VTEX's Orders API)
 * → the canonical import body. Money in VTEX's OMS is already in minor units; countries are
 * ISO alpha-3; a weighable item's price is for its unit multiplier. What is not mapped, and why,
 * is listed in docs/intake.md.
 */
import type { Refusal } from '../errors.js';
import type { ImportLine, ImportPayment, ImportRequest } from '../import-order.js';
import { divideHalfEven, toThousandths } from '../money.js';
import type { PaymentMethod } from '../order.js';
import { ok, refused, type Result } from '../result.js';
import { lineGross } from '../totals.js';
import { at, isObject, joined, missing, text, type AdaptContext, type Adapted } from './adapted.js';
import { alpha2FromAlpha3 } from './normalise.js';

/** VTEX payment groups (paymentData.transactions[].payments[].group) → Amend's methods. */
const METHOD_BY_GROUP: Record<string, PaymentMethod> = {
  creditCard: 'credit-card',
  debitCard: 'credit-card',
  bankInvoice: 'bank-slip',
  giftCard: 'gift-card',
  promissory: 'promissory',
  creditControl: 'credit-control',
  customerCredit: 'credit-control',
  instantPayment: 'instant-transfer',
  pix: 'instant-transfer',
  cash: 'cash',
};

const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;

function totalOf(order: Record<string, unknown>, id: string): number {
  const totals = Array.isArray(order.totals) ? order.totals : [];
  const entry = totals.find((t) => isObject(t) && t.id === id) as { value?: unknown } | undefined;
  return int(entry?.value) ?? 0;
}

interface LineRead {
  line: ImportLine;
  skus: string[];
}

function readItem(item: unknown, i: number, lineIds: string[]): Result<LineRead> {
  const f = (name: string) => `items[${i}].${name}`;
  if (!isObject(item)) return refused([missing(`items[${i}]`, `items[${i}] is not an object.`)]);
  const out: Refusal[] = [];
  const quantity = int(item.quantity);
  const price = int(item.price);
  const skus = [item.id, item.refId, item.sellerSku, item.ean]
    .map((s) => (typeof s === 'number' ? String(s) : text(s)))
    .filter((s): s is string => s !== undefined);
  if (quantity === undefined)
    out.push(missing(f('quantity'), `${f('quantity')} is not a whole number.`));
  if (price === undefined)
    out.push(missing(f('price'), `${f('price')} is not an amount in cents.`));
  if (skus.length === 0) out.push(missing(f('id')));
  if (out.length) return refused(out);
  const multiplier =
    typeof item.unitMultiplier === 'number' && item.unitMultiplier > 0 ? item.unitMultiplier : 1;
  // VTEX prices a weighable item per unit multiplier (500 g); Amend per measurement unit (1 kg).
  const unitPrice =
    multiplier === 1
      ? (price as number)
      : Number(divideHalfEven(BigInt(price as number) * 1000n, BigInt(toThousandths(multiplier))));
  const tags = Array.isArray(item.priceTags) ? item.priceTags.filter(isObject) : [];
  const tagged = (word: string) =>
    tags.filter((t) =>
      String(t.name ?? '')
        .toLowerCase()
        .includes(word),
    );
  const tagDiscount = -tagged('discount@').reduce((s, t) => s + (int(t.value) ?? 0), 0);
  const selling = int(item.sellingPrice);
  const discount =
    tagDiscount > 0
      ? tagDiscount
      : selling !== undefined && selling < (price as number)
        ? ((price as number) - selling) * (quantity as number)
        : 0;
  const gross = lineGross({ quantity: quantity as number, unitMultiplier: multiplier, unitPrice });
  const taxTags = tagged('tax');
  const percent = taxTags.filter((t) => t.isPercentual === true);
  const taxAmount =
    taxTags.filter((t) => t.isPercentual !== true).reduce((s, t) => s + (int(t.value) ?? 0), 0) ||
    (int(item.tax) ?? 0) * (quantity as number);
  const taxRate = percent.length
    ? Math.round(percent.reduce((s, t) => s + Number(t.rawValue ?? 0), 0) * 100)
    : taxAmount > 0 && gross - discount > 0
      ? Number(divideHalfEven(BigInt(taxAmount) * 10_000n, BigInt(gross - discount)))
      : 0;
  const parent = int(item.parentItemIndex);
  return ok({
    skus,
    line: {
      sku: skus[0] as string,
      lineId: lineIds[i] as string,
      quantity: quantity as number,
      ...(text(item.name) ? { name: text(item.name) } : {}),
      unitPrice,
      discount,
      taxRate,
      unitMultiplier: multiplier,
      ...(text(item.measurementUnit) ? { measurementUnit: text(item.measurementUnit) } : {}),
      ...(parent !== undefined && parent !== i && lineIds[parent]
        ? { parentLineId: lineIds[parent] }
        : {}),
    },
  });
}

function readPayments(order: Record<string, unknown>): Result<ImportPayment[]> {
  const transactions = at(order, ['paymentData', 'transactions']);
  const out: ImportPayment[] = [];
  const refusals: Refusal[] = [];
  (Array.isArray(transactions) ? transactions : []).forEach((t, ti) => {
    const payments = isObject(t) && Array.isArray(t.payments) ? t.payments : [];
    payments.forEach((p, pi) => {
      if (!isObject(p)) return;
      const field = `paymentData.transactions[${ti}].payments[${pi}].group`;
      const method = METHOD_BY_GROUP[String(p.group)];
      if (!method) {
        refusals.push(
          missing(field, `payment group ${String(p.group)} has no Amend payment method.`),
        );
        return;
      }
      out.push({
        ...(text(p.id) ? { id: text(p.id) } : {}),
        method,
        authorized: Math.max(0, int(p.value) ?? 0),
        transactionId: text((t as Record<string, unknown>).transactionId) ?? null,
      });
    });
  });
  return refusals.length ? refused(refusals) : ok(out);
}

function statusOf(order: Record<string, unknown>): Result<ImportRequest['status']> {
  const status = String(order.status ?? '');
  if (status === 'payment-pending') return ok('payment-pending');
  if (/cancel|invoice/.test(status))
    return refused([missing('status', `a VTEX order in status ${status} cannot be imported.`)]);
  return ok('payment-approved');
}

/**
 * VTEX calls every storefront order `origin: "Marketplace"` (the store is its own marketplace), so
 * that word alone says nothing: an affiliate or another account's marketplace makes a marketplace
 * order; `Fulfillment` is a seller's copy of an order placed elsewhere, changed there (a chain).
 */
function originOf(o: Record<string, unknown>): NonNullable<ImportRequest['origin']> {
  if (o.origin === 'Fulfillment') return 'chain';
  const marketplace = text(at(o, ['marketplace', 'name']));
  const own = text(o.hostname);
  return text(o.affiliateId) || (marketplace && own && marketplace !== own)
    ? 'marketplace'
    : 'direct';
}

function attributesOf(order: Record<string, unknown>): Record<string, unknown> {
  const apps = at(order, ['customData', 'customApps']);
  const attrs: Record<string, unknown> = {
    vtexSequence: text(order.sequence),
    vtexSalesChannel: text(order.salesChannel),
    vtexAffiliateId: text(order.affiliateId),
    marketplaceName: text(at(order, ['marketplace', 'name'])),
    customerTier: text(at(order, ['clientProfileData', 'customerClass'])),
    couponCode: text(at(order, ['marketingData', 'coupon'])),
    utmSource: text(at(order, ['marketingData', 'utmSource'])),
    promisedDeliveryDate: text(
      at(order, ['shippingData', 'logisticsInfo', 0, 'shippingEstimateDate']),
    ),
    vtexCustomApps: Array.isArray(apps)
      ? Object.fromEntries(apps.filter(isObject).map((a) => [String(a.id), a.fields ?? {}]))
      : undefined,
  };
  return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v !== undefined));
}

export function adaptVtexOrder(payload: unknown, ctx: AdaptContext): Result<Adapted> {
  if (!isObject(payload)) return refused([missing('', 'the payload is not a JSON object.')]);
  const o = payload;
  const refusals: Refusal[] = [];
  const orderId = text(o.orderId);
  const currency = text(at(o, ['storePreferencesData', 'currencyCode']));
  const address = at(o, ['shippingData', 'address']);
  const profile = o.clientProfileData;
  const items = Array.isArray(o.items) ? o.items : [];
  if (!orderId) refusals.push(missing('orderId'));
  if (!currency) refusals.push(missing('storePreferencesData.currencyCode'));
  if (!isObject(address)) refusals.push(missing('shippingData.address'));
  if (!isObject(profile)) refusals.push(missing('clientProfileData'));
  if (items.length === 0) refusals.push(missing('items', 'items is missing or empty.'));
  const lineIds = items.map(
    (item, i) => (isObject(item) && text(item.uniqueId)) || `vtex-${i + 1}`,
  );
  const lines = items.map((item, i) => readItem(item, i, lineIds));
  const payments = readPayments(o);
  const status = statusOf(o);
  for (const r of [...lines, payments, status]) if (!r.ok) refusals.push(...r.refusals);
  if (refusals.length) return refused(refusals);

  const read = lines.map((l) => (l as { value: LineRead }).value);
  const a = address as Record<string, unknown>;
  const p = profile as Record<string, unknown>;
  const customerName = joined(p.firstName, p.lastName) || text(p.corporateName) || '';
  const geo = Array.isArray(a.geoCoordinates) ? a.geoCoordinates : [];
  const country = text(a.country) ?? '';
  const window = at(o, ['shippingData', 'logisticsInfo', 0, 'deliveryWindow']);
  const lineDiscounts = read.reduce((s, l) => s + (l.line.discount ?? 0), 0);
  const request: ImportRequest = {
    channel: ctx.channel,
    channelOrderRef: orderId as string,
    origin: originOf(o),
    status: (status as { value: ImportRequest['status'] }).value,
    currency: (currency as string).toUpperCase(),
    customer: {
      name: customerName,
      email: text(p.email) ?? '',
      ...(text(p.phone) ? { phone: text(p.phone) } : {}),
    },
    shippingAddress: {
      name: text(a.receiverName) ?? customerName,
      street: joined(a.street, a.number, a.complement),
      city: text(a.city) ?? '',
      postalCode: text(a.postalCode) ?? '',
      country: alpha2FromAlpha3(country) ?? country,
      ...(typeof geo[0] === 'number' && typeof geo[1] === 'number'
        ? { location: { lat: geo[1], lon: geo[0] } }
        : {}),
    },
    deliveryWindow:
      isObject(window) && text(window.startDateUtc) && text(window.endDateUtc)
        ? { from: text(window.startDateUtc) as string, to: text(window.endDateUtc) as string }
        : null,
    customAttributes: attributesOf(o),
    carrier: text(at(o, ['shippingData', 'logisticsInfo', 0, 'deliveryCompany'])) ?? null,
    lines: read.map((l) => l.line),
    shippingTotal: Math.max(0, totalOf(o, 'Shipping')),
    adjustments: { discount: Math.max(0, -totalOf(o, 'Discounts') - lineDiscounts), increment: 0 },
    payments: (payments as { value: ImportPayment[] }).value,
  };
  return ok({
    request,
    channelOrderRef: orderId as string,
    account: ctx.account ?? text(o.hostname) ?? text(o.merchantName) ?? null,
    channelTotal: int(o.value) ?? null,
    lineSkus: read.map((l) => l.skus),
  });
}
