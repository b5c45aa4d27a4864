import { describe, expect, it } from 'vitest';
import vtexOrder from '../../../test/fixtures/intake/vtex-order.json' with { type: 'json' };
import { buildImportedOrder } from '../import-order.js';
import { PRODUCTS } from './test-catalogue.js';
import { adaptVtexOrder } from './vtex-order.js';

const clone = () => structuredClone(vtexOrder) as Record<string, unknown> & typeof vtexOrder;
const ctx = { channel: 'vtex-main' };

describe('adaptVtexOrder on the VTEX OMS order fixture', () => {
  const adapted = adaptVtexOrder(clone(), ctx);
  if (!adapted.ok) throw new Error(JSON.stringify(adapted.refusals));
  const { request } = adapted.value;

  it('takes the order id as the channel reference and the account from the hostname', () => {
    expect(adapted.value.channelOrderRef).toBe('1480112500001-01');
    expect(request.channel).toBe('vtex-main');
    expect(adapted.value.account).toBe('frischemarkt');
    expect(adapted.value.channelTotal).toBe(1831);
  });

  it('maps lines: sku candidates id, refId, sellerSku, ean; price, discount tags and tax tags', () => {
    expect(adapted.value.lineSkus[0]).toEqual(['1234', 'APL-ELSTAR-1KG', '1234', '4001234000017']);
    expect(request.lines[0]).toMatchObject({
      lineId: '5E1A7C93D4B2486F9A0C2E4B6D8F1A35',
      quantity: 2,
      unitPrice: 299,
      discount: 60,
      taxRate: 1900,
      unitMultiplier: 1,
      measurementUnit: 'un',
      name: 'Äpfel Elstar 1 kg',
    });
  });

  it('prices a weighable line per measurement unit (650 for 0.5 kg → 1300 per kg)', () => {
    expect(request.lines[1]).toMatchObject({
      unitMultiplier: 0.5,
      measurementUnit: 'kg',
      unitPrice: 1300,
      taxRate: 700,
    });
  });

  it('maps customer, address (alpha-3 → alpha-2, [lon, lat] → location), window, carrier, payment', () => {
    expect(request.customer).toEqual({
      name: 'Jonas Becker',
      email: 'jonas.becker@example.com',
      phone: '+4915112345678',
    });
    expect(request.shippingAddress).toEqual({
      name: 'Jonas Becker',
      street: 'Torstraße 125 3. OG',
      city: 'Berlin',
      postalCode: '10119',
      country: 'DE',
      location: { lat: 52.5291, lon: 13.4012 },
    });
    expect(request.deliveryWindow).toEqual({
      from: '2026-12-05T08:00:00+00:00',
      to: '2026-12-05T12:00:00+00:00',
    });
    expect(request.carrier).toBe('DHL');
    expect(request.status).toBe('payment-approved');
    expect(request.origin).toBe('direct');
    expect(request.payments).toEqual([
      {
        id: 'C2E5A9F13B7D4E6A9C0B8D2F4A6E1C35',
        method: 'credit-card',
        authorized: 1831,
        transactionId: '7A0C4E61B9D24F0E8A5C3B1D6F2E9A47',
      },
    ]);
    expect(request.customAttributes).toMatchObject({
      customerTier: 'gold',
      couponCode: 'APFEL10',
      vtexSalesChannel: '1',
    });
  });

  it("recomputes to the channel's own total once the skus are Amend's", () => {
    const lines = request.lines.map((l, i) => ({ ...l, sku: i === 0 ? 'APPLE' : 'CHEESE' }));
    const built = buildImportedOrder(
      { ...request, lines },
      { products: PRODUCTS, now: '2026-12-01T10:00:00Z', nextId: (p) => p },
    );
    expect(built.ok && built.value.totals.grandTotal).toBe(1831);
  });

  it('reads an affiliate order as a marketplace order and a Fulfillment order as a chain order', () => {
    const viaAffiliate = adaptVtexOrder({ ...clone(), affiliateId: 'AMZ' }, ctx);
    const chained = adaptVtexOrder({ ...clone(), origin: 'Fulfillment' }, ctx);
    expect(viaAffiliate.ok && viaAffiliate.value.request.origin).toBe('marketplace');
    expect(chained.ok && chained.value.request.origin).toBe('chain');
  });

  it('refuses INTAKE_PAYLOAD_INVALID naming each field it lacks', () => {
    const broken = clone();
    delete (broken as Record<string, unknown>).orderId;
    (broken.items[0] as Record<string, unknown>).quantity = 'two';
    const result = adaptVtexOrder(broken, ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusals.map((r) => [r.code, r.field])).toEqual([
      ['INTAKE_PAYLOAD_INVALID', 'orderId'],
      ['INTAKE_PAYLOAD_INVALID', 'items[0].quantity'],
    ]);
  });

  it('refuses a payment group Amend has no method for, and a canceled order', () => {
    const bitcoin = clone();
    bitcoin.paymentData.transactions[0]!.payments[0]!.group = 'bitcoin';
    const canceled = { ...clone(), status: 'canceled' };
    const a = adaptVtexOrder(bitcoin, ctx);
    const b = adaptVtexOrder(canceled, ctx);
    expect(!a.ok && a.refusals[0]?.field).toBe('paymentData.transactions[0].payments[0].group');
    expect(!b.ok && b.refusals[0]?.field).toBe('status');
  });

  it('refuses anything that is not a JSON object', () => {
    const result = adaptVtexOrder([1, 2], ctx);
    expect(!result.ok && result.refusals[0]?.code).toBe('INTAKE_PAYLOAD_INVALID');
  });
});
