/**
 * The demo tenants (issue 2, item 10): `demo` with a full catalogue and orders in every state,
 * `other` small, and the fixed demo keys. Idempotent: does nothing when `demo` exists.
 */
import { hashKey } from '../app/identity.js';
import { DEMO_KEYS } from '../app/demo-keys.js';
import type { Deps } from '../app/deps.js';
import { insertTenant, insertUserWithKey } from '../db/reference-writes.js';
import { seedDemoCatalogue } from './demo-catalogue.js';
import { seedDemoOrders } from './demo-orders.js';
import { seedDemoIntake } from './demo-intake.js';
import { seedRiskHistory } from './risk-history.js';

export async function seedDemo(deps: Deps): Promise<{ created: boolean; orders: number }> {
  const exists = await deps.db
    .selectFrom('tenants')
    .select('id')
    .where('id', '=', 'demo')
    .executeTakeFirst();
  if (exists) return { created: false, orders: 0 };
  await deps.db.transaction().execute(async (tx) => {
    await insertTenant(tx, 'demo', 'Demo Grocer');
    await insertTenant(tx, 'other', 'Other Shop');
    for (const k of DEMO_KEYS) {
      await insertUserWithKey(tx, {
        tenantId: k.tenant,
        userId: k.userId,
        name: k.name,
        role: k.role,
        keyHash: hashKey(k.key),
        demo: true,
      });
    }
    await seedDemoCatalogue(tx);
  });
  // Predictable ids (ord_demo_001, …) so the README's curl examples work verbatim on every machine.
  const orders = await seedDemoOrders({ ...deps, ids: sequentialIds('demo') });
  await seedDemoIntake(deps);
  await seedRiskHistory(deps);
  return { created: true, orders };
}

/** Ids from a counter per prefix: `ord_demo_001`, `ord_demo_002`, `pj_demo_001`, … */
export function sequentialIds(tag: string): (prefix: string) => string {
  const counters = new Map<string, number>();
  return (prefix) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}_${tag}_${String(n).padStart(3, '0')}`;
  };
}
