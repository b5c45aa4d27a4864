/**
 * The demo tenants' catalogue, facilities, stock and promotions (API.md §2 "Demo tenant"):
 * two ship-from-store shops sharing stock, a warehouse sharing some skus with Berlin, weighable
 * cheese and fish next to a sliced cheese sold by the piece, bundles, attached services,
 * allowed substitutes, and a scarce truffle oil that makes orders unroutable.
 */
import type { Kysely } from 'kysely';
import {
  insertFacilities,
  insertProducts,
  insertPromotions,
  insertStock,
} from '../db/reference-writes.js';
import type { DB } from '../db/schema.js';
import type { Product } from '../domain/catalogue.js';

type Row = [sku: string, name: string, price: number, tax: number, extra?: Partial<Product>];
const kg = (multiplier: number, subs: string[] = []): Partial<Product> => ({
  weighable: true,
  measurementUnit: 'kg',
  unitMultiplier: multiplier,
  allowedSubstitutes: subs,
});
const subs = (...skus: string[]): Partial<Product> => ({ allowedSubstitutes: skus });

const DEMO_ROWS: Row[] = [
  ['APPLE-1KG', 'Apples Elstar 1 kg', 299, 700, subs('PEAR-1KG')],
  ['PEAR-1KG', 'Pears Williams 1 kg', 349, 700, subs('APPLE-1KG')],
  ['BANANA-1KG', 'Bananas 1 kg', 199, 700],
  ['MILK-1L', 'Fresh milk 3.5 % 1 l', 119, 700, subs('MILK-LF-1L', 'OATMILK-1L')],
  ['MILK-LF-1L', 'Lactose-free milk 1 l', 169, 700],
  ['OATMILK-1L', 'Oat drink 1 l', 249, 700],
  ['BUTTER-250', 'Butter 250 g', 229, 700],
  ['EGGS-10', 'Free-range eggs, 10', 329, 700],
  ['BREAD-RYE', 'Rye bread 750 g', 349, 700],
  ['PASTA-500', 'Spaghetti 500 g', 149, 700],
  ['OLIVE-OIL', 'Olive oil 0.75 l', 799, 700],
  ['GOUDA-KG', 'Gouda, by weight', 1299, 700, kg(0.5, ['EDAMER-KG', 'GOUDA-SLICED'])],
  ['EDAMER-KG', 'Edamer, by weight', 1099, 700, kg(0.5)],
  ['GOUDA-SLICED', 'Gouda sliced 200 g', 279, 700],
  ['SALMON-KG', 'Salmon fillet, by weight', 2899, 700, kg(0.25)],
  ['HAM-KG', 'Black Forest ham, by weight', 1999, 700, kg(0.2)],
  ['COFFEE-500', 'Coffee beans 500 g', 899, 700, subs('COFFEE-ORG-500')],
  ['COFFEE-ORG-500', 'Organic coffee beans 500 g', 1149, 700],
  ['TEA-GREEN', 'Green tea, 20 bags', 399, 700],
  ['WINE-RED', 'Dornfelder red wine 0.75 l', 899, 1900, subs('WINE-RED-RES')],
  ['WINE-RED-RES', 'Dornfelder Reserve 0.75 l', 1499, 1900],
  ['BEER-6', 'Pils, 6 × 0.33 l', 599, 1900],
  ['WATER-6', 'Mineral water, 6 × 1.5 l', 349, 1900],
  ['SHAMPOO', 'Shampoo 250 ml', 449, 1900],
  ['TOOTHPASTE', 'Toothpaste 75 ml', 199, 1900],
  ['DETERGENT', 'Detergent 20 loads', 1299, 1900],
  ['DIAPERS-M', 'Diapers size M, 40', 1199, 1900],
  ['CANDLES', 'Table candles, 10', 599, 1900],
  ['VASE', 'Glass vase', 2499, 1900],
  ['TRUFFLE-OIL', 'White truffle oil 100 ml', 2499, 1900],
  ['GIFTBOX-WINE', 'Wine gift box (2 bottles + glasses)', 2999, 1900, { kind: 'bundle' }],
  ['GIFTBOX-BREAKFAST', 'Breakfast gift box', 1999, 700, { kind: 'bundle' }],
  ['GIFT-WRAP', 'Gift wrapping', 300, 1900, { kind: 'service' }],
  ['ASSEMBLY', 'Assembly at delivery', 1500, 1900, { kind: 'service' }],
];

const product = ([sku, name, unitPrice, taxRate, extra]: Row): Product => ({
  sku,
  name,
  unitPrice,
  taxRate,
  currency: 'EUR',
  measurementUnit: 'un',
  unitMultiplier: 1,
  weighable: false,
  kind: 'item',
  allowedSubstitutes: [],
  ...extra,
});

export const DEMO_PRODUCTS: Product[] = DEMO_ROWS.map(product);
export const SCARCE_SKU = 'TRUFFLE-OIL';

export async function seedDemoCatalogue(tx: Kysely<DB>): Promise<void> {
  await insertProducts(tx, 'demo', DEMO_PRODUCTS);
  await insertFacilities(tx, 'demo', [
    {
      id: 'berlin-mitte',
      name: 'Berlin Mitte store',
      shipFromStore: true,
      priority: 1,
      location: { lat: 52.5208, lon: 13.4094 },
    },
    {
      id: 'hamburg-altona',
      name: 'Hamburg Altona store',
      shipFromStore: true,
      priority: 2,
      location: { lat: 53.5503, lon: 9.9356 },
    },
    {
      id: 'leipzig-dc',
      name: 'Leipzig warehouse',
      shipFromStore: false,
      priority: 3,
      location: { lat: 51.3397, lon: 12.3731 },
    },
  ]);
  const services = new Set(['GIFT-WRAP', 'ASSEMBLY']);
  await insertStock(tx, 'demo', [
    ...DEMO_PRODUCTS.map((p) => ({
      facilityId: 'berlin-mitte',
      sku: p.sku,
      onHand: p.sku === SCARCE_SKU ? 2 : services.has(p.sku) ? 999 : p.sku === 'WATER-6' ? 48 : 24,
    })),
    ...DEMO_PRODUCTS.filter((p) => p.sku !== SCARCE_SKU).map((p) => ({
      facilityId: 'hamburg-altona',
      sku: p.sku,
      onHand: services.has(p.sku) ? 999 : 12,
    })),
    // The warehouse shares these skus with Berlin; it is not ship-from-store.
    ...['APPLE-1KG', 'MILK-1L', 'PASTA-500', 'WATER-6', 'DETERGENT'].map((sku) => ({
      facilityId: 'leipzig-dc',
      sku,
      onHand: 200,
    })),
  ]);
  await insertPromotions(tx, 'demo', [
    { code: 'SAVE10', kind: 'percent', value: 10, skus: [] },
    { code: 'FIVEOFF', kind: 'amount', value: 500, skus: [] },
  ]);

  await insertProducts(
    tx,
    'other',
    DEMO_PRODUCTS.filter((p) => ['APPLE-1KG', 'MILK-1L', 'COFFEE-500'].includes(p.sku)),
  );
  await insertFacilities(tx, 'other', [
    {
      id: 'munich',
      name: 'Munich shop',
      shipFromStore: true,
      priority: 1,
      location: { lat: 48.137, lon: 11.575 },
    },
  ]);
  await insertStock(
    tx,
    'other',
    ['APPLE-1KG', 'MILK-1L', 'COFFEE-500'].map((sku) => ({
      facilityId: 'munich',
      sku,
      onHand: 30,
    })),
  );
}
