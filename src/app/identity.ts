/** API keys → actors. Keys are stored only as SHA-256 hashes. */
import { createHash, randomBytes } from 'node:crypto';
import { findKeyOwner } from '../db/api-keys.js';
import { insertUserWithKey } from '../db/reference-writes.js';
import type { Role } from '../domain/permissions.js';
import { effectiveSettings, permissionsOf } from '../domain/settings.js';
import type { Actor, Deps } from './deps.js';

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

// Within 1 s in every process (issue 13 point 5): a settings patch elsewhere is seen after this.
const CACHE_MS = 500;
const cache = new Map<string, { actor: Actor | null; until: number }>();

/** Settings changed in this process take effect at once; other processes see them within CACHE_MS. */
export function forgetTenant(tenantId: string): void {
  for (const [key, entry] of cache) if (entry.actor?.tenantId === tenantId) cache.delete(key);
}

export async function resolveActor(deps: Deps, key: string): Promise<Actor | null> {
  const hash = hashKey(key);
  const now = Date.now();
  const hit = cache.get(hash);
  if (hit && hit.until > now) return hit.actor;
  const row = await findKeyOwner(deps.db, hash);
  // Demo keys work only while demo mode is on (issue 2: never on a production database by accident).
  const actor: Actor | null =
    !row || (row.demo && !deps.demoMode)
      ? null
      : (() => {
          const settings = effectiveSettings(row.settings);
          const role = row.role as Role;
          return {
            tenantId: row.tenantId,
            actorId: row.userId,
            role,
            permissions: new Set(permissionsOf(settings, role)),
            settings,
          };
        })();
  if (cache.size > 10_000) cache.clear();
  cache.set(hash, { actor, until: now + CACHE_MS });
  return actor;
}

/** Creates a key for a new user of the tenant; the key is returned once, only its hash is kept. */
export async function createApiKey(
  deps: Deps,
  tenantId: string,
  role: Role,
  name?: string,
): Promise<{ key: string; userId: string }> {
  const key = `amk_${randomBytes(24).toString('base64url')}`;
  const userId = deps.ids('usr');
  await deps.db.transaction().execute((tx) =>
    insertUserWithKey(tx, {
      tenantId,
      userId,
      name: name ?? `${role} ${userId}`,
      role,
      keyHash: hashKey(key),
      demo: false,
    }),
  );
  return { key, userId };
}
