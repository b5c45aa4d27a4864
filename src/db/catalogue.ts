/** Products, facilities, promotions and stock: the reference data the rules read. */
import { sql, type Kysely } from 'kysely';
import type { Facility, Product, Promotion, StockLevel } from '../domain/catalogue.js';
import { fromThousandths } from '../domain/money.js';
import type { FacilityCandidate } from '../domain/routing.js';
import type { DB, ProductsTable } from './schema.js';

type Executor = Kysely<DB>;

export function productFromRow(
  row: Omit<ProductsTable, 'tenant_id' | 'allowed_substitutes'> & { allowed_substitutes: unknown },
): Product {
  return {
    sku: row.sku,
    name: row.name,
    unitPrice: row.unit_price,
    currency: row.currency,
    measurementUnit: row.measurement_unit,
    unitMultiplier: fromThousandths(row.unit_multiplier_milli),
    weighable: row.weighable,
    taxRate: row.tax_rate,
    kind: row.kind as Product['kind'],
    allowedSubstitutes: (row.allowed_substitutes as string[]) ?? [],
  };
}

export async function findProducts(
  db: Executor,
  tenantId: string,
  skus?: readonly string[],
): Promise<Map<string, Product>> {
  let query = db.selectFrom('products').selectAll().where('tenant_id', '=', tenantId);
  if (skus) {
    if (skus.length === 0) return new Map();
    query = query.where('sku', 'in', [...new Set(skus)]);
  }
  const rows = await query.orderBy('sku').execute();
  return new Map(rows.map((row) => [row.sku, productFromRow(row)]));
}

/** One page of the catalogue by name then sku (API.md §1): `limit` + 1 rows tell whether another follows. */
export async function listProductPage(
  db: Executor,
  tenantId: string,
  page: { limit: number; after?: { name: string; sku: string } },
): Promise<{ items: Product[]; next: { n: string; k: string } | null }> {
  let query = db.selectFrom('products').selectAll().where('tenant_id', '=', tenantId);
  const after = page.after;
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('name', '>', after.name),
        eb.and([eb('name', '=', after.name), eb('sku', '>', after.sku)]),
      ]),
    );
  const rows = await query
    .orderBy('name')
    .orderBy('sku')
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit).map(productFromRow);
  const last = items[items.length - 1];
  return { items, next: rows.length > page.limit && last ? { n: last.name, k: last.sku } : null };
}

export async function listFacilities(db: Executor, tenantId: string): Promise<Facility[]> {
  const rows = await db
    .selectFrom('facilities')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('priority')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    shipFromStore: r.ship_from_store,
    priority: r.priority,
    location: r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null,
  }));
}

export async function listPromotions(db: Executor, tenantId: string): Promise<Promotion[]> {
  const rows = await db
    .selectFrom('promotions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('code')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    kind: r.kind as Promotion['kind'],
    value: r.value,
    skus: (r.skus as unknown as string[]) ?? [],
  }));
}

export interface StockKey {
  facilityId: string;
  sku: string;
}

/** One page of stock levels by (facility, sku), after `after` when given. */
export async function listStock(
  db: Executor,
  tenantId: string,
  filter: { sku?: string; facilityId?: string },
  page: { limit: number; after?: StockKey } = { limit: 200 },
): Promise<{ items: StockLevel[]; next: StockKey | null }> {
  let query = db.selectFrom('stock').selectAll().where('tenant_id', '=', tenantId);
  if (filter.sku) query = query.where('sku', '=', filter.sku);
  if (filter.facilityId) query = query.where('facility_id', '=', filter.facilityId);
  const after = page.after;
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('facility_id', '>', after.facilityId),
        eb.and([eb('facility_id', '=', after.facilityId), eb('sku', '>', after.sku)]),
      ]),
    );
  const rows = await query
    .orderBy('facility_id')
    .orderBy('sku')
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit).map((r) => ({
    facilityId: r.facility_id,
    sku: r.sku,
    onHand: r.on_hand,
    reserved: r.reserved,
    available: Math.max(0, r.on_hand - r.reserved),
  }));
  const last = items[items.length - 1];
  return {
    items,
    next: rows.length > page.limit && last ? { facilityId: last.facilityId, sku: last.sku } : null,
  };
}

/**
 * Routing candidates with their available stock for the given skus, the stock rows locked
 * (in a stable order, so two transactions never deadlock) until the transaction ends.
 * `ownReservations` are added back: an order being re-routed may keep what it holds.
 */
export async function lockRoutingCandidates(
  tx: Executor,
  tenantId: string,
  skus: readonly string[],
  ownReservations: readonly { facilityId: string; sku: string; quantity: number }[] = [],
): Promise<FacilityCandidate[]> {
  const facilities = await listFacilities(tx, tenantId);
  const unique = [...new Set(skus)].sort();
  const rows =
    unique.length === 0
      ? []
      : (
          await sql<{ facility_id: string; sku: string; on_hand: number; reserved: number }>`
    SELECT facility_id, sku, on_hand, reserved FROM stock
    WHERE tenant_id = ${tenantId} AND sku = ANY(${unique})
    ORDER BY facility_id, sku FOR UPDATE`.execute(tx)
        ).rows;
  return facilities.map((f) => {
    const available: Record<string, number> = {};
    for (const row of rows.filter((r) => r.facility_id === f.id))
      available[row.sku] = row.on_hand - row.reserved;
    for (const own of ownReservations.filter((r) => r.facilityId === f.id)) {
      available[own.sku] = (available[own.sku] ?? 0) + own.quantity;
    }
    return {
      id: f.id,
      priority: f.priority,
      shipFromStore: f.shipFromStore,
      location: f.location,
      available,
    };
  });
}

/** Moves reserved stock by `delta` per (facility, sku); the CHECK constraint refuses over-reservation. */
export async function adjustReserved(
  tx: Executor,
  tenantId: string,
  deltas: readonly { facilityId: string; sku: string; delta: number }[],
): Promise<void> {
  const merged = new Map<string, { facilityId: string; sku: string; delta: number }>();
  for (const d of deltas) {
    const key = `${d.facilityId}\u0000${d.sku}`;
    const prev = merged.get(key);
    merged.set(key, { ...d, delta: (prev?.delta ?? 0) + d.delta });
  }
  const changes = [...merged.values()].filter((d) => d.delta !== 0);
  if (changes.length === 0) return;
  await sql`UPDATE stock s SET reserved = s.reserved + d.delta
    FROM (SELECT * FROM unnest(${changes.map((c) => c.facilityId)}::text[], ${changes.map((c) => c.sku)}::text[], ${changes.map((c) => c.delta)}::int4[])
          AS t(facility_id, sku, delta)) d
    WHERE s.tenant_id = ${tenantId} AND s.facility_id = d.facility_id AND s.sku = d.sku`.execute(
    tx,
  );
}

/**
 * The product search of the console and picker (issue 17): name or sku containing `q` (any case),
 * `first` skus (a line's allowed substitutes) ahead of the rest, each with what is available at
 * `facilityId` (null without a facility; 0 where the facility holds none).
 */
export async function searchProducts(
  db: Executor,
  tenantId: string,
  search: { q?: string; facilityId?: string; first?: readonly string[]; limit: number },
): Promise<(Product & { available: number | null })[]> {
  const pattern = `%${(search.q ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const first = [...new Set(search.first ?? [])];
  let query = db
    .selectFrom('products as p')
    .leftJoin('stock as s', (join) =>
      join
        .onRef('s.tenant_id', '=', 'p.tenant_id')
        .onRef('s.sku', '=', 'p.sku')
        .on('s.facility_id', '=', search.facilityId ?? ''),
    )
    .selectAll('p')
    .select(['s.on_hand', 's.reserved'])
    .where('p.tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('p.sku', 'ilike', pattern), eb('p.name', 'ilike', pattern)]));
  if (first.length)
    query = query.orderBy(sql`CASE WHEN p.sku IN (${sql.join(first)}) THEN 0 ELSE 1 END`);
  const rows = await query.orderBy('p.name').orderBy('p.sku').limit(search.limit).execute();
  return rows.map((r) => ({
    ...productFromRow(r),
    available: search.facilityId
      ? Math.max(0, Number(r.on_hand ?? 0) - Number(r.reserved ?? 0))
      : null,
  }));
}
