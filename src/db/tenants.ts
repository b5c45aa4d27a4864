/** The tenants table: each tenant's stored settings (a JSON merge patch over the defaults). */
import type { Kysely } from 'kysely';
import type { Tx } from './database.js';
import type { DB } from './schema.js';

type Executor = Kysely<DB>;

/** What the tenant stored (not the effective settings); undefined when there is no such tenant. */
export async function findStoredSettings(
  db: Executor,
  tenantId: string,
): Promise<{ settings: unknown } | undefined> {
  return db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
}

/** The stored settings, locked until the transaction ends (a settings patch reads, merges, writes). */
export async function lockStoredSettings(tx: Tx, tenantId: string): Promise<unknown> {
  const row = await tx
    .selectFrom('tenants')
    .select('settings')
    .where('id', '=', tenantId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.settings;
}

export async function writeStoredSettings(tx: Tx, tenantId: string, settings: unknown) {
  await tx
    .updateTable('tenants')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', tenantId)
    .execute();
}

export async function listTenantIds(db: Executor): Promise<string[]> {
  return (await db.selectFrom('tenants').select('id').orderBy('id').execute()).map((t) => t.id);
}
