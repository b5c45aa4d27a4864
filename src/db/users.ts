/** The tenant's people, as the console names them instead of their ids. */
import type { Kysely } from 'kysely';
import type { DB } from './schema.js';

export async function listUsers(
  db: Kysely<DB>,
  tenantId: string,
): Promise<{ id: string; name: string; role: string }[]> {
  return db
    .selectFrom('users')
    .select(['id', 'name', 'role'])
    .where('tenant_id', '=', tenantId)
    .orderBy('name')
    .execute();
}
