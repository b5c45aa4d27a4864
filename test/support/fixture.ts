/**
 * A small, fixed world for integration tests: tenants t1 and t2, a key per role, a catalogue with a
 * weighable item, a bundle and a service, three facilities (two ship-from-store), and stock.
 */
import type { Database } from '../../src/db/database.js';
import { hashKey } from '../../src/app/identity.js';
import {
  insertFacilities,
  insertProducts,
  insertPromotions,
  insertStock,
  insertTenant,
  insertUserWithKey,
} from '../../src/db/reference-writes.js';
import type { Product } from '../../src/domain/catalogue.js';
import { ROLES } from '../../src/domain/permissions.js';
import type { ImportRequest } from '../../src/domain/import-order.js';

export const KEYS = Object.fromEntries(ROLES.map((r) => [r, `t1-${r}`])) as Record<
  (typeof ROLES)[number],
  string
>;
export const OTHER_TENANT_ADMIN = 't2-admin';

const product = (
  sku: string,
  name: string,
  unitPrice: number,
  extra: Partial<Product> = {},
): Product => ({
  sku,
  name,
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

export const PRODUCTS: Product[] = [
  product('APPLE', 'Apples 1 kg', 299, { allowedSubstitutes: ['PEAR'] }),
  product('PEAR', 'Pears 1 kg', 349),
  product('MILK', 'Milk 1 l', 119, { taxRate: 700 }),
  product('CHEESE', 'Gouda by weight', 1299, {
    weighable: true,
    measurementUnit: 'kg',
    unitMultiplier: 0.5,
  }),
  product('WINE', 'Red wine', 899),
  product('GIFTBOX', 'Gift box', 1500, { kind: 'bundle' }),
  product('WRAP', 'Gift wrapping', 300, { kind: 'service' }),
];

export const RELAXED_APPROVAL = {
  valueDeltaAbove: 10_000_000,
  valueDeltaPctAbove: 10_000,
  addressChangeAfterPayment: false,
  changesPerOrderAbove: 1000,
};

export async function seedFixture(db: Database): Promise<void> {
  await insertTenant(db, 't1', 'Tenant One');
  await insertTenant(db, 't2', 'Tenant Two');
  // Tests of other rules should not meet the approval policy by accident; approval tests set their thresholds.
  await db
    .updateTable('tenants')
    .set({ settings: JSON.stringify({ approval: RELAXED_APPROVAL }) })
    .where('id', 'in', ['t1', 't2'])
    .execute();
  for (const role of ROLES) {
    await insertUserWithKey(db, {
      tenantId: 't1',
      userId: `u-${role}`,
      name: `${role} of t1`,
      role,
      keyHash: hashKey(KEYS[role]),
      demo: false,
    });
  }
  await insertUserWithKey(db, {
    tenantId: 't1',
    userId: 'u-picker2',
    name: 'second picker',
    role: 'picker',
    keyHash: hashKey('t1-picker2'),
    demo: false,
  });
  await insertUserWithKey(db, {
    tenantId: 't2',
    userId: 'u2-admin',
    name: 'admin of t2',
    role: 'admin',
    keyHash: hashKey(OTHER_TENANT_ADMIN),
    demo: false,
  });
  await insertProducts(db, 't1', PRODUCTS);
  await insertProducts(db, 't2', PRODUCTS.slice(0, 2));
  await insertFacilities(db, 't1', [
    {
      id: 'berlin',
      name: 'Berlin store',
      shipFromStore: true,
      priority: 1,
      location: { lat: 52.52, lon: 13.405 },
    },
    {
      id: 'hamburg',
      name: 'Hamburg store',
      shipFromStore: true,
      priority: 2,
      location: { lat: 53.551, lon: 9.993 },
    },
    {
      id: 'dc',
      name: 'Central warehouse',
      shipFromStore: false,
      priority: 3,
      location: { lat: 50.11, lon: 8.682 },
    },
  ]);
  await insertFacilities(db, 't2', [
    { id: 'main', name: 'Main', shipFromStore: false, priority: 1, location: null },
  ]);
  await insertStock(db, 't1', [
    ...PRODUCTS.map((p) => ({ facilityId: 'berlin', sku: p.sku, onHand: 10 })),
    ...PRODUCTS.map((p) => ({ facilityId: 'hamburg', sku: p.sku, onHand: 5 })),
    { facilityId: 'dc', sku: 'APPLE', onHand: 100 },
    { facilityId: 'dc', sku: 'MILK', onHand: 100 },
  ]);
  await insertStock(db, 't2', [{ facilityId: 'main', sku: 'APPLE', onHand: 10 }]);
  await insertPromotions(db, 't1', [
    { code: 'SAVE10', kind: 'percent', value: 10, skus: [] },
    { code: 'FIVEOFF', kind: 'amount', value: 500, skus: [] },
  ]);
}

let refCounter = 0;

/** An import body; every call gets a new channel reference. */
export function anImport(overrides: Partial<ImportRequest> = {}): ImportRequest {
  refCounter += 1;
  return {
    channel: 'web',
    channelOrderRef: `T-${process.pid}-${refCounter}-${Math.random().toString(36).slice(2, 8)}`,
    currency: 'EUR',
    customer: { name: 'Erika Mustermann', email: 'erika@example.com' },
    shippingAddress: {
      name: 'Erika Mustermann',
      street: 'Hauptstr. 1',
      city: 'Berlin',
      postalCode: '10115',
      country: 'DE',
    },
    lines: [
      { sku: 'APPLE', quantity: 2 },
      { sku: 'MILK', quantity: 1 },
    ],
    shippingTotal: 495,
    payments: [{ method: 'credit-card' }],
    ...overrides,
  };
}
