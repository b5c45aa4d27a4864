/** A small catalogue for the intake unit tests (the integration fixture's skus and prices). */
import type { Product } from '../catalogue.js';

const product = (sku: string, unitPrice: number, extra: Partial<Product> = {}): Product => ({
  sku,
  name: sku,
  unitPrice,
  currency: 'EUR',
  measurementUnit: 'un',
  unitMultiplier: 1,
  weighable: false,
  taxRate: 1900,
  kind: 'item',
  allowedSubstitutes: [],
  ...extra,
});

export const PRODUCTS: ReadonlyMap<string, Product> = new Map(
  [
    product('APPLE', 299),
    product('PEAR', 349),
    product('MILK', 119, { taxRate: 700 }),
    product('CHEESE', 1299, { weighable: true, measurementUnit: 'kg', unitMultiplier: 0.5 }),
    product('WINE', 899),
  ].map((p) => [p.sku, p]),
);

/** The channel skus of the two fixtures mapped onto it. */
export const SKU_MAP: Record<string, string> = {
  '1234': 'APPLE',
  '2001': 'CHEESE',
  'KAFFEE-ESP-1KG': 'WINE',
  'ZUB-MS-01': 'PEAR',
};
