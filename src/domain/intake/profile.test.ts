import { describe, expect, it } from 'vitest';
import vtexOrder from '../../../test/fixtures/intake/vtex-order.json' with { type: 'json' };
import type { Adapted } from './adapted.js';
import { effectiveValidation, validateIntake } from './profile.js';
import { PRODUCTS, SKU_MAP } from './test-catalogue.js';
import { adaptVtexOrder } from './vtex-order.js';

const ctx = { skuMap: SKU_MAP, products: PRODUCTS, canonical: false, now: '2026-12-01T10:00:00Z' };
function adapted(edit: (o: typeof vtexOrder) => void = () => {}): Adapted {
  const o = structuredClone(vtexOrder);
  edit(o);
  const r = adaptVtexOrder(o, { channel: 'vtex' });
  if (!r.ok) throw new Error('fixture does not adapt');
  return r.value;
}

describe('validateIntake', () => {
  it('maps channel skus to Amend skus through the sku map', () => {
    const r = validateIntake(adapted(), effectiveValidation({}), ctx);
    expect(r.ok && r.value.lines.map((l) => l.sku)).toEqual(['APPLE', 'CHEESE']);
  });

  it('takes a channel sku that is an Amend sku as it is', () => {
    const r = validateIntake(
      adapted((o) => (o.items[0]!.refId = 'PEAR')),
      effectiveValidation({}),
      { ...ctx, skuMap: { '2001': 'CHEESE' } },
    );
    expect(r.ok && r.value.lines[0]?.sku).toBe('PEAR');
  });

  it('lenient normalises country, postal code, phone and e-mail before it judges', () => {
    const messy = adapted((o) => {
      o.shippingData.address.country = 'Deutschland';
      o.shippingData.address.postalCode = '101 19';
      o.clientProfileData.phone = '0151 12345678';
      o.clientProfileData.email = ' Jonas.Becker@Example.com';
    });
    const r = validateIntake(messy, effectiveValidation({ profile: 'lenient' }), ctx);
    expect(r.ok && [r.value.shippingAddress.country, r.value.shippingAddress.postalCode]).toEqual([
      'DE',
      '10119',
    ]);
    expect(r.ok && r.value.customer).toMatchObject({
      phone: '+4915112345678',
      email: 'jonas.becker@example.com',
    });
  });

  it('strict refuses each with its own code and field', () => {
    const messy = adapted((o) => {
      o.shippingData.address.country = 'Deutschland';
      o.clientProfileData.phone = '0151 12345678';
    });
    const r = validateIntake(messy, effectiveValidation({ profile: 'strict' }), ctx);
    expect(!r.ok && r.refusals.map((x) => [x.code, x.field])).toEqual([
      ['INTAKE_FIELD_INVALID', 'customer.phone'],
      ['INTAKE_ADDRESS_INVALID', 'shippingAddress.country'],
    ]);
  });

  it("an account's override wins over the source's settings (requireEmail for one shop)", () => {
    const noEmail = adapted((o) => (o.clientProfileData.email = ''));
    expect(validateIntake(noEmail, effectiveValidation({}), ctx).ok).toBe(true);
    const r = validateIntake(noEmail, effectiveValidation({}, { requireEmail: true }), ctx);
    expect(!r.ok && r.refusals.map((x) => x.code)).toEqual(['INTAKE_FIELD_MISSING']);
  });

  it('accepts a channel total within the tolerance and refuses one beyond it', () => {
    const off = (n: number) => adapted((o) => (o.value = 1831 + n));
    expect(validateIntake(off(2), effectiveValidation({ totalToleranceMinor: 2 }), ctx).ok).toBe(
      true,
    );
    const r = validateIntake(off(3), effectiveValidation({ totalToleranceMinor: 2 }), ctx);
    expect(!r.ok && r.refusals[0]).toMatchObject({
      code: 'INTAKE_TOTAL_MISMATCH',
      meta: { channelTotal: 1834, amendTotal: 1831 },
    });
  });

  it('refuses INTAKE_SKU_UNMAPPED naming the channel skus, without judging the total', () => {
    const r = validateIntake(adapted(), effectiveValidation({}), { ...ctx, skuMap: {} });
    expect(!r.ok && r.refusals.map((x) => [x.code, x.field])).toEqual([
      ['INTAKE_SKU_UNMAPPED', 'lines[0].sku'],
      ['INTAKE_SKU_UNMAPPED', 'lines[1].sku'],
    ]);
  });

  it('leaves address and sku to the import for the canonical kind (ADDRESS_INVALID, SKU_NOT_FOUND as always)', () => {
    const bad = adapted((o) => {
      o.shippingData.address.postalCode = '123';
      o.clientProfileData.phone = 'call me';
    });
    const r = validateIntake(bad, effectiveValidation({ profile: 'strict' }), {
      ...ctx,
      skuMap: {},
      canonical: true,
    });
    expect(r.ok).toBe(true);
  });
});
