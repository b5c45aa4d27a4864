/**
 * The demo tenants (issue 2, item 10): `demo` with a full catalogue and orders in every state,
 * `other` small, and the fixed demo keys. Idempotent: does nothing when `demo` exists.
 */
import { hashKey } from '../identity.js';
import { DEMO_KEYS } from '../demo-keys.js';
import type { Deps } from '../deps.js';
import { insertTenant, insertUserWithKey } from '../../db/reference-writes.js';
import { seedDemoCatalogue } from './demo-catalogue.js';
import { seedDemoOrders } from './demo-orders.js';

export async function seedDemo(deps: Deps): Promise<{ created: boolean; orders: number }> {
  const exists = await deps.db.selectFrom('tenants').select('id').where('id', '=', 'demo').executeTakeFirst();
  if (exists) return { created: false, orders: 0 };
  await deps.db.transaction().execute(async (tx) => {
    await insertTenant(tx, 'demo', 'Demo Grocer');
    await insertTenant(tx, 'other', 'Other Shop');
    for (const k of DEMO_KEYS) {
      await insertUserWithKey(tx, { tenantId: k.tenant, userId: k.userId, name: k.name, role: k.role, keyHash: hashKey(k.key), demo: true });
    }
    await seedDemoCatalogue(tx);
  });
  const orders = await seedDemoOrders(deps);
  return { created: true, orders };
}
