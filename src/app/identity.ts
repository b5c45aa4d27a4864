/** API keys → actors. Keys are stored only as SHA-256 hashes. */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../domain/permissions.js';
import { effectiveSettings, permissionsOf } from '../domain/settings.js';
import type { Actor, Deps } from './deps.js';

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

const CACHE_MS = 2_000;
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
  const row = await deps.db
    .selectFrom('api_keys as k')
    .innerJoin('users as u', (j) =>
      j.onRef('u.tenant_id', '=', 'k.tenant_id').onRef('u.id', '=', 'k.user_id'),
    )
    .innerJoin('tenants as t', 't.id', 'k.tenant_id')
    .select(['k.tenant_id', 'k.user_id', 'k.demo', 'u.role', 't.settings'])
    .where('k.key_hash', '=', hash)
    .executeTakeFirst();
  // Demo keys work only while demo mode is on (issue 2: never on a production database by accident).
  const actor: Actor | null =
    !row || (row.demo && !deps.demoMode)
      ? null
      : (() => {
          const settings = effectiveSettings(row.settings);
          const role = row.role as Role;
          return {
            tenantId: row.tenant_id,
            actorId: row.user_id,
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
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('users')
      .values({ tenant_id: tenantId, id: userId, name: name ?? `${role} ${userId}`, role })
      .execute();
    await tx
      .insertInto('api_keys')
      .values({ key_hash: hashKey(key), tenant_id: tenantId, user_id: userId, demo: false })
      .execute();
  });
  return { key, userId };
}
