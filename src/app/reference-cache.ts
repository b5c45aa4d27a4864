/**
 * Tenant settings and the catalogue (facilities, promotions, products by sku), cached per process
 * (issue 13 point 5): a change reads them without a round trip. A write in this process forgets the
 * tenant at once; other processes (and other pools) see it within TTL_MS, well inside 1 s.
 */
import { findProducts, listFacilities, listPromotions } from '../db/catalogue.js';
import type { Database } from '../db/database.js';
import { findStoredSettings } from '../db/tenants.js';
import type { Facility, Product, Promotion } from '../domain/catalogue.js';
import { effectiveSettings, type TenantSettings } from '../domain/settings.js';

export const TTL_MS = 500;
const MAX_ENTRIES = 20_000;

interface Entry {
  value: Promise<unknown>;
  until: number;
  /** The read has answered: waiting on it needs no connection. */
  settled: boolean;
}

class ReferenceCache {
  private readonly entries = new Map<string, Entry>();

  /**
   * `ownConnection`: the caller holds a transaction (and locks). It never waits on a read still in
   * flight on the pool: that read may wait for a connection that the caller's lock keeps busy
   * (every pooled connection waiting on the order row the caller holds) — a deadlock. It reads
   * through its own connection instead.
   */
  get<T>(key: string, load: () => Promise<T>, ownConnection = false): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now && (hit.settled || !ownConnection)) return hit.value as Promise<T>;
    if (this.entries.size > MAX_ENTRIES) this.entries.clear();
    const value = load();
    const entry: Entry = { value, until: now + TTL_MS, settled: false };
    this.entries.set(key, entry);
    value.then(
      () => (entry.settled = true),
      // A failed read is not kept: the next caller asks the database again.
      () => this.entries.get(key) === entry && this.entries.delete(key),
    );
    return value;
  }

  /** The value while fresh, else undefined (for batching the misses into one read). */
  peek<T>(key: string): Promise<T> | undefined {
    const hit = this.entries.get(key);
    return hit && hit.until > Date.now() ? (hit.value as Promise<T>) : undefined;
  }

  put<T>(key: string, value: T): void {
    this.entries.set(key, {
      value: Promise.resolve(value),
      until: Date.now() + TTL_MS,
      settled: true,
    });
  }

  forget(tenantId: string): void {
    for (const key of this.entries.keys())
      if (key.startsWith(`${tenantId}\u0000`)) this.entries.delete(key);
  }
}

/**
 * One cache per database handle: two pools in one test behave as two processes. A miss is read
 * through `via` (inside a transaction, its own connection: a second one from the pool could deadlock).
 */
const caches = new WeakMap<Database, ReferenceCache>();
function cacheOf(db: Database): ReferenceCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new ReferenceCache()));
  return cache;
}
const key = (tenantId: string, what: string) => `${tenantId}\u0000${what}`;

/** The tenant's effective settings; undefined when there is no such tenant. */
export function cachedSettings(
  db: Database,
  tenantId: string,
  via: Database = db,
): Promise<TenantSettings | undefined> {
  return cacheOf(db).get(
    key(tenantId, 'settings'),
    async () => {
      const stored = await findStoredSettings(via, tenantId);
      return stored ? effectiveSettings(stored.settings) : undefined;
    },
    via !== db,
  );
}

export function cachedFacilities(
  db: Database,
  tenantId: string,
  via: Database = db,
): Promise<Facility[]> {
  return cacheOf(db).get(
    key(tenantId, 'facilities'),
    () => listFacilities(via, tenantId),
    via !== db,
  );
}

export async function cachedPromotions(
  db: Database,
  tenantId: string,
  via: Database = db,
): Promise<Map<string, Promotion>> {
  return cacheOf(db).get(
    key(tenantId, 'promotions'),
    async () => new Map((await listPromotions(via, tenantId)).map((p) => [p.code, p])),
    via !== db,
  );
}

/** Products by sku, the ones not cached read in one statement; a sku not found is asked again next time. */
export async function cachedProducts(
  db: Database,
  tenantId: string,
  skus: readonly string[],
  via: Database = db,
): Promise<Map<string, Product>> {
  const out = new Map<string, Product>();
  const cache = cacheOf(db);
  const missing: string[] = [];
  for (const sku of new Set(skus)) {
    const hit = cache.peek<Product>(key(tenantId, `product:${sku}`));
    if (hit) out.set(sku, await hit);
    else missing.push(sku);
  }
  if (missing.length) {
    for (const [sku, product] of await findProducts(via, tenantId, missing)) {
      cache.put(key(tenantId, `product:${sku}`), product);
      out.set(sku, product);
    }
  }
  return out;
}

/** Settings or catalogue of the tenant changed in this process. */
export function forgetTenantReferences(db: Database, tenantId: string): void {
  cacheOf(db).forget(tenantId);
}
