/**
 * The risk context of a tenant — its latest model and its requesters' activity — cached per process
 * like the settings (reference-cache.ts): scoring a change costs no round trip while the entry is
 * fresh. Activity may lag by up to TTL_MS; training in this process forgets the entry at once.
 */
import type { Database } from '../db/database.js';
import { readRiskSnapshot } from '../db/risk.js';
import type { RiskContext } from '../domain/risk/policy.js';
import { activitiesOf } from '../domain/risk/unusual-actor.js';

export const RISK_TTL_MS = 10_000;

interface Entry {
  value: Promise<RiskContext>;
  until: number;
  /** Set once the read is done. */
  done?: RiskContext;
}
const caches = new WeakMap<Database, Map<string, Entry>>();

export function cachedRiskContext(
  db: Database,
  tenantId: string,
  opts: { now: Date; windowMinutes: number },
  via: Database = db,
): Promise<RiskContext> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const key = `${tenantId}\u0000${opts.windowMinutes}`;
  const hit = cache.get(key);
  const at = Date.now();
  if (hit && hit.until > at) {
    if (hit.done) return Promise.resolve(hit.done);
    // Inside a transaction, never wait on a read of the pool: on PGlite's one connection the pool
    // waits for this transaction, which would wait for it.
    if (via === db) return hit.value;
  }
  const value = readRiskSnapshot(via, tenantId, opts).then((s) => ({
    model: s.model,
    activity: activitiesOf(s.activity),
  }));
  const entry: Entry = { value, until: at + RISK_TTL_MS };
  cache.set(key, entry);
  value.then(
    (v) => (entry.done = v),
    () => cache.delete(key),
  );
  return value;
}

export function forgetRiskContext(db: Database, tenantId: string): void {
  const cache = caches.get(db);
  if (!cache) return;
  for (const key of cache.keys()) if (key.startsWith(`${tenantId}\u0000`)) cache.delete(key);
}
