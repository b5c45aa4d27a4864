/**
 * Writes of the catalogue API (INTAKE.md §5): products, facilities and stock upserted one row at
 * a time with the row locked first (its old value goes to the audit), and the append-only audit.
 */
import { sql } from 'kysely';
import type { Facility, Product } from '../domain/catalogue.js';
import { toThousandths } from '../domain/money.js';
import { productFromRow } from './catalogue.js';
import type { Tx } from './database.js';

export async function lockProduct(
  tx: Tx,
  tenantId: string,
  sku: string,
): Promise<Product | undefined> {
  const row = await tx
    .selectFrom('products')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('sku', '=', sku)
    .forUpdate()
    .executeTakeFirst();
  return row ? productFromRow(row) : undefined;
}

export async function upsertProduct(tx: Tx, tenantId: string, p: Product): Promise<void> {
  const values = {
    name: p.name,
    unit_price: p.unitPrice,
    currency: p.currency,
    measurement_unit: p.measurementUnit,
    unit_multiplier_milli: toThousandths(p.unitMultiplier),
    weighable: p.weighable,
    tax_rate: p.taxRate,
    kind: p.kind,
    allowed_substitutes: JSON.stringify(p.allowedSubstitutes),
  };
  await tx
    .insertInto('products')
    .values({ tenant_id: tenantId, sku: p.sku, ...values })
    .onConflict((oc) => oc.columns(['tenant_id', 'sku']).doUpdateSet(values))
    .execute();
}

export async function lockFacility(
  tx: Tx,
  tenantId: string,
  id: string,
): Promise<Facility | undefined> {
  const r = await tx
    .selectFrom('facilities')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return r
    ? {
        id: r.id,
        name: r.name,
        shipFromStore: r.ship_from_store,
        priority: r.priority,
        location: r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null,
      }
    : undefined;
}

export async function upsertFacility(tx: Tx, tenantId: string, f: Facility): Promise<void> {
  const values = {
    name: f.name,
    ship_from_store: f.shipFromStore,
    priority: f.priority,
    lat: f.location?.lat ?? null,
    lon: f.location?.lon ?? null,
  };
  await tx
    .insertInto('facilities')
    .values({ tenant_id: tenantId, id: f.id, ...values })
    .onConflict((oc) => oc.columns(['tenant_id', 'id']).doUpdateSet(values))
    .execute();
}

export async function lockStock(
  tx: Tx,
  tenantId: string,
  facilityId: string,
  sku: string,
): Promise<{ onHand: number; reserved: number } | undefined> {
  const r = await tx
    .selectFrom('stock')
    .select(['on_hand', 'reserved'])
    .where('tenant_id', '=', tenantId)
    .where('facility_id', '=', facilityId)
    .where('sku', '=', sku)
    .forUpdate()
    .executeTakeFirst();
  return r ? { onHand: r.on_hand, reserved: r.reserved } : undefined;
}

export async function setStock(
  tx: Tx,
  tenantId: string,
  facilityId: string,
  sku: string,
  onHand: number,
): Promise<void> {
  await sql`INSERT INTO stock (tenant_id, facility_id, sku, on_hand, reserved) VALUES (${tenantId}, ${facilityId}, ${sku}, ${onHand}, 0)
    ON CONFLICT (tenant_id, facility_id, sku) DO UPDATE SET on_hand = EXCLUDED.on_hand`.execute(tx);
}

export interface CatalogueAuditEntry {
  actorId: string;
  entity: 'product' | 'facility' | 'stock';
  entityId: string;
  oldValue: unknown;
  newValue: unknown;
}

export async function appendCatalogueAudit(
  tx: Tx,
  tenantId: string,
  entries: readonly CatalogueAuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await tx
    .insertInto('catalogue_audit')
    .values(
      entries.map((e) => ({
        tenant_id: tenantId,
        actor_id: e.actorId,
        entity: e.entity,
        entity_id: e.entityId,
        old_value: e.oldValue === undefined ? null : JSON.stringify(e.oldValue),
        new_value: JSON.stringify(e.newValue),
      })),
    )
    .execute();
}
