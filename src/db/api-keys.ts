/** API keys (stored only as SHA-256 hashes) and the user, role and tenant settings behind one. */
import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

export interface KeyOwner {
  tenantId: string;
  userId: string;
  demo: boolean;
  role: string;
  settings: unknown;
}

export async function findKeyOwner(db: Kysely<DB>, keyHash: string): Promise<KeyOwner | undefined> {
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('users as u', (j) =>
      j.onRef('u.tenant_id', '=', 'k.tenant_id').onRef('u.id', '=', 'k.user_id'),
    )
    .innerJoin('tenants as t', 't.id', 'k.tenant_id')
    .select(['k.tenant_id', 'k.user_id', 'k.demo', 'u.role', 't.settings'])
    .where('k.key_hash', '=', keyHash)
    .executeTakeFirst();
  return row
    ? {
        tenantId: row.tenant_id,
        userId: row.user_id,
        demo: row.demo,
        role: row.role,
        settings: row.settings,
      }
    : undefined;
}
