/** The reference data a change plans against, read in as few statements as the operations need. */
import { sql, type Kysely } from 'kysely';
import type { Product, Promotion } from '../domain/catalogue.js';
import type { FacilityCandidate } from '../domain/routing.js';
import { findProducts, listPromotions } from './catalogue.js';
import type { DB } from './schema.js';

type Executor = Kysely<DB>;

/**
 * Facilities with the available stock of the given skus, the order's own reservations added back,
 * in one statement. `lock` takes the stock rows FOR UPDATE in (facility, sku) order.
 */
export async function routingCandidates(
  db: Executor,
  tenantId: string,
  orderId: string | null,
  skus: readonly string[],
  lock = false,
): Promise<FacilityCandidate[]> {
  const unique = [...new Set(skus)].sort();
  // Lock first, then read: the numbers planned on are the ones held.
  if (lock && unique.length) {
    await sql`SELECT 1 FROM stock WHERE tenant_id = ${tenantId} AND sku = ANY(${unique}) ORDER BY facility_id, sku FOR UPDATE`.execute(
      db,
    );
  }
  const rows = (
    await sql<{
      id: string;
      priority: number;
      ship_from_store: boolean;
      lat: number | null;
      lon: number | null;
      stock: Record<string, number> | null;
    }>`
    WITH mine AS (SELECT r.facility_id, r.sku, sum(r.quantity) AS quantity FROM reservations r
        WHERE r.tenant_id = ${tenantId} AND r.order_id = ${orderId} GROUP BY r.facility_id, r.sku)
    SELECT f.id, f.priority, f.ship_from_store, f.lat, f.lon,
      (SELECT json_object_agg(s.sku, s.on_hand - s.reserved + COALESCE(mine.quantity, 0))
        FROM stock s LEFT JOIN mine ON mine.facility_id = s.facility_id AND mine.sku = s.sku
        WHERE s.tenant_id = f.tenant_id AND s.facility_id = f.id AND s.sku = ANY(${unique})) AS stock
    FROM facilities f WHERE f.tenant_id = ${tenantId} ORDER BY f.priority, f.id`.execute(db)
  ).rows;
  return rows.map((r) => ({
    id: r.id,
    priority: r.priority,
    shipFromStore: r.ship_from_store,
    location: r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null,
    available: Object.fromEntries(
      Object.entries(r.stock ?? {}).map(([sku, n]) => [sku, Number(n)]),
    ),
  }));
}

export async function productsFor(
  db: Executor,
  tenantId: string,
  skus: readonly string[],
): Promise<Map<string, Product>> {
  return skus.length ? findProducts(db, tenantId, skus) : new Map();
}

export async function promotionsOf(
  db: Executor,
  tenantId: string,
): Promise<Map<string, Promotion>> {
  return new Map((await listPromotions(db, tenantId)).map((p) => [p.code, p]));
}
