import { describe, expect, it } from 'vitest';
import shopifyOrder from '../../../test/fixtures/intake/shopify-orders-create.json' with { type: 'json' };
import { buildImportedOrder } from '../import-order.js';
import { currencyDigits } from '../money.js';
import { adaptShopifyOrder, decimalToMinor } from './shopify-order.js';
import { PRODUCTS } from './test-catalogue.js';

const clone = () => structuredClone(shopifyOrder) as Record<string, unknown> & typeof shopifyOrder;
const ctx = { channel: 'shopify-main', account: 'kiez-kaffee.myshopify.com' };

describe('decimalToMinor', () => {
  it('turns decimal strings into minor units exactly, by the currency digits', () => {
    expect(decimalToMinor('24.90', 2)).toBe(2490);
    expect(decimalToMinor('0.1', 2)).toBe(10);
    expect(decimalToMinor('1500', currencyDigits('JPY'))).toBe(1500);
    expect(decimalToMinor('1.234', currencyDigits('KWD'))).toBe(1234);
    expect(decimalToMinor('abc', 2)).toBeUndefined();
  });
});

describe('adaptShopifyOrder on the orders/create fixture', () => {
  const adapted = adaptShopifyOrder(clone(), ctx);
  if (!adapted.ok) throw new Error(JSON.stringify(adapted.refusals));
  const { request } = adapted.value;

  it('keeps every digit of the order id (from admin_graphql_api_id) and the shop domain as account', () => {
    expect(adapted.value.channelOrderRef).toBe('6104512340017');
    expect(adapted.value.account).toBe('kiez-kaffee.myshopify.com');
    expect(adapted.value.channelTotal).toBe(8870);
  });

  it('takes tax-inclusive prices and discounts back to their net (API.md §7.3)', () => {
    expect(request.lines[0]).toMatchObject({
      lineId: 'shopify-15820931840017',
      quantity: 2,
      unitPrice: 2327,
      discount: 467,
      taxRate: 700,
    });
    expect(request.lines[1]).toMatchObject({
      quantity: 1,
      unitPrice: 3277,
      discount: 0,
      taxRate: 1900,
    });
    expect(adapted.value.lineSkus).toEqual([
      ['KAFFEE-ESP-1KG', '44120983450017'],
      ['ZUB-MS-01', '44120983470017'],
    ]);
  });

  it('maps customer, address, delivery date, carrier, payment and attributes', () => {
    expect(request.customer).toEqual({
      name: 'Lena Hoffmann',
      email: 'lena.hoffmann@example.com',
      phone: '+49 30 1234567',
    });
    expect(request.shippingAddress).toEqual({
      name: 'Lena Hoffmann',
      street: 'Weserstraße 58 Hinterhaus',
      city: 'Berlin',
      postalCode: '12045',
      country: 'DE',
      location: { lat: 52.4871, lon: 13.4376 },
    });
    expect(request.preferredDeliveryDate).toBe('2026-12-04');
    expect(request.carrier).toBe('DHL Paket');
    expect(request.shippingTotal).toBe(490);
    expect(request.payments).toEqual([
      {
        method: 'credit-card',
        authorized: 8870,
        captured: 8870,
        transactionId: 'b81c3e0d5a9f47e2b6c1d3f5a7e9c2b4',
      },
    ]);
    expect(request.customAttributes).toMatchObject({
      customerTier: 'vip',
      shopifyOrderName: '#1017',
      'Delivery Date': '2026-12-04',
    });
  });

  it("recomputes exactly the channel's total once the skus are Amend's", () => {
    const lines = request.lines.map((l, i) => ({ ...l, sku: i === 0 ? 'WINE' : 'PEAR' }));
    const built = buildImportedOrder(
      { ...request, lines },
      { products: PRODUCTS, now: '2026-12-01T10:00:00Z', nextId: (p) => p },
    );
    expect(built.ok && built.value.totals.grandTotal).toBe(8870);
  });

  it('adds the shipping tax to an exclusive shipping price (Amend ships untaxed)', () => {
    const exclusive = { ...clone(), taxes_included: false };
    const result = adaptShopifyOrder(exclusive, ctx);
    expect(result.ok && result.value.request.shippingTotal).toBe(568);
  });

  it('reads a pending order as payment-pending with nothing authorized, a marketplace source as marketplace', () => {
    const pending = adaptShopifyOrder(
      { ...clone(), financial_status: 'pending', source_name: 'amazon' },
      ctx,
    );
    expect(pending.ok && pending.value.request.status).toBe('payment-pending');
    expect(pending.ok && pending.value.request.payments?.[0]?.authorized).toBe(0);
    expect(pending.ok && pending.value.request.origin).toBe('marketplace');
  });

  it('refuses INTAKE_PAYLOAD_INVALID for what it lacks, a voided or cancelled order', () => {
    const broken = clone();
    (broken.line_items[1] as Record<string, unknown>).price = 'abc';
    const a = adaptShopifyOrder(broken, ctx);
    const b = adaptShopifyOrder({ ...clone(), financial_status: 'voided' }, ctx);
    const c = adaptShopifyOrder({ ...clone(), shipping_address: null, currency: undefined }, ctx);
    expect(!a.ok && a.refusals.map((r) => r.field)).toEqual(['line_items[1].price']);
    expect(!b.ok && b.refusals.map((r) => r.field)).toEqual(['financial_status']);
    expect(!c.ok && c.refusals.map((r) => r.field)).toEqual(['currency', 'shipping_address']);
  });
});
