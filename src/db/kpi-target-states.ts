/** The watcher's last seen status per tenant and KPI target (migrations/0066). */
import type { Tx } from './database.js';

/**
 * Records the status just measured and answers the one it replaces (null: the first check). The
 * row is locked, so two processes checking at once agree which of them saw the status change.
 */
export async function swapKpiTargetState(
  tx: Tx,
  tenantId: string,
  kpi: string,
  next: { status: string; actual: number | null; at: Date },
): Promise<string | null> {
  const inserted = await tx
    .insertInto('kpi_target_states')
    .values({
      tenant_id: tenantId,
      kpi,
      status: next.status,
      actual: next.actual,
      checked_at: next.at,
      changed_at: next.at,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'kpi']).doNothing())
    .returning('kpi')
    .executeTakeFirst();
  if (inserted) return null;
  const row = await tx
    .selectFrom('kpi_target_states')
    .select('status')
    .where('tenant_id', '=', tenantId)
    .where('kpi', '=', kpi)
    .forUpdate()
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('kpi_target_states')
    .set({
      status: next.status,
      actual: next.actual,
      checked_at: next.at,
      ...(row.status !== next.status ? { changed_at: next.at } : {}),
    })
    .where('tenant_id', '=', tenantId)
    .where('kpi', '=', kpi)
    .execute();
  return row.status;
}
