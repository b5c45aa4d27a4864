/** Writing tenants, users, keys, products, facilities, stock and promotions (seed and test fixtures). */
import type { Kysely } from 'kysely';
import type { Facility, Product, Promotion } from '../domain/catalogue.js';
import { toThousandths } from '../domain/money.js';
import type { Role } from '../domain/permissions.js';
import type { DB } from './schema.js';

type Executor = Kysely<DB>;

export async function insertTenant(
  db: Executor,
  id: string,
  name: string,
  settings: object = {},
): Promise<void> {
  await db
    .insertInto('tenants')
    .values({ id, name, settings: JSON.stringify(settings) })
    .execute();
}

export async function insertUserWithKey(
  db: Executor,
  u: { tenantId: string; userId: string; name: string; role: Role; keyHash: string; demo: boolean },
): Promise<void> {
  await db
    .insertInto('users')
    .values({ tenant_id: u.tenantId, id: u.userId, name: u.name, role: u.role })
    .execute();
  await db
    .insertInto('api_keys')
    .values({ key_hash: u.keyHash, tenant_id: u.tenantId, user_id: u.userId, demo: u.demo })
    .execute();
}

export async function insertProducts(
  db: Executor,
  tenantId: string,
  products: readonly Product[],
): Promise<void> {
  if (products.length === 0) return;
  await db
    .insertInto('products')
    .values(
      products.map((p) => ({
        tenant_id: tenantId,
        sku: p.sku,
        name: p.name,
        unit_price: p.unitPrice,
        currency: p.currency,
        measurement_unit: p.measurementUnit,
        unit_multiplier_milli: toThousandths(p.unitMultiplier),
        weighable: p.weighable,
        tax_rate: p.taxRate,
        kind: p.kind,
        allowed_substitutes: JSON.stringify(p.allowedSubstitutes),
      })),
    )
    .execute();
}

export async function insertFacilities(
  db: Executor,
  tenantId: string,
  facilities: readonly Facility[],
): Promise<void> {
  if (facilities.length === 0) return;
  await db
    .insertInto('facilities')
    .values(
      facilities.map((f) => ({
        tenant_id: tenantId,
        id: f.id,
        name: f.name,
        ship_from_store: f.shipFromStore,
        priority: f.priority,
        lat: f.location?.lat ?? null,
        lon: f.location?.lon ?? null,
      })),
    )
    .execute();
}

export async function insertStock(
  db: Executor,
  tenantId: string,
  rows: readonly { facilityId: string; sku: string; onHand: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('stock')
    .values(
      rows.map((r) => ({
        tenant_id: tenantId,
        facility_id: r.facilityId,
        sku: r.sku,
        on_hand: r.onHand,
        reserved: 0,
      })),
    )
    .execute();
}

export async function insertPromotions(
  db: Executor,
  tenantId: string,
  promotions: readonly Promotion[],
): Promise<void> {
  if (promotions.length === 0) return;
  await db
    .insertInto('promotions')
    .values(
      promotions.map((p) => ({
        tenant_id: tenantId,
        code: p.code,
        kind: p.kind,
        value: p.value,
        skus: JSON.stringify(p.skus),
      })),
    )
    .execute();
}
