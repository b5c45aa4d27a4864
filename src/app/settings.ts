/** The tenant's settings (API.md §2): the defaults overlaid with what the tenant stored. */
import { findStoredSettings, lockStoredSettings, writeStoredSettings } from '../db/tenants.js';
import { effectiveSettings, mergePatch, type TenantSettings } from '../domain/settings.js';
import type { Actor, Deps } from './deps.js';
import { forgetTenant } from './identity.js';
import { forgetTenantReferences } from './reference-cache.js';
import { refuse } from './refused-error.js';

export async function readSettings(deps: Deps, actor: Actor): Promise<TenantSettings> {
  const stored = await findStoredSettings(deps.db, actor.tenantId);
  if (!stored) refuse('NOT_FOUND', `Tenant ${actor.tenantId} does not exist.`);
  return effectiveSettings(stored.settings);
}

/** A JSON merge patch over what the tenant stored, read and written under the tenant row's lock. */
export async function patchSettings(
  deps: Deps,
  actor: Actor,
  patch: unknown,
): Promise<TenantSettings> {
  const settings = await deps.db.transaction().execute(async (tx) => {
    const next = mergePatch((await lockStoredSettings(tx, actor.tenantId)) ?? {}, patch);
    await writeStoredSettings(tx, actor.tenantId, next);
    return effectiveSettings(next);
  });
  forgetTenant(actor.tenantId);
  forgetTenantReferences(deps.db, actor.tenantId);
  return settings;
}
