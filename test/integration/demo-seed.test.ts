import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDeps, type Deps } from '../../src/app/deps.js';
import { seedDemo } from '../../src/seed/demo.js';
import { verifyIntegrity } from '../../src/app/verify.js';
import { findOrders } from '../../src/db/orders.js';
import { ORDER_STATUSES, ORIGINS, PAYMENT_METHODS } from '../../src/domain/order.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';

describe('the demo data', () => {
  let database: TestDatabase;
  let deps: Deps;
  let seeded: { created: boolean; orders: number };
  beforeAll(async () => {
    database = await freshDatabase('pglite');
    deps = makeDeps({ db: database.db, engine: database.engine, demoMode: true });
    seeded = await seedDemo(deps);
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("meets the contract's minimums for the demo tenant", async () => {
    expect(seeded.created).toBe(true);
    const db = database.db;
    const facilities = await db
      .selectFrom('facilities')
      .selectAll()
      .where('tenant_id', '=', 'demo')
      .execute();
    expect(facilities.length).toBeGreaterThanOrEqual(3);
    expect(facilities.filter((f) => f.ship_from_store).length).toBeGreaterThanOrEqual(2);
    const products = await db
      .selectFrom('products')
      .selectAll()
      .where('tenant_id', '=', 'demo')
      .execute();
    expect(products.length).toBeGreaterThanOrEqual(30);
    expect(products.some((p) => p.weighable)).toBe(true);
    expect(
      products.some((p) => p.kind === 'bundle') && products.some((p) => p.kind === 'service'),
    ).toBe(true);
    expect(products.some((p) => (p.allowed_substitutes as unknown as string[]).length > 0)).toBe(
      true,
    );
    const stock = await db
      .selectFrom('stock')
      .selectAll()
      .where('tenant_id', '=', 'demo')
      .execute();
    expect(stock.some((s) => s.on_hand >= 32)).toBe(true);
    const at = (facility: string) =>
      new Set(stock.filter((s) => s.facility_id === facility).map((s) => s.sku));
    const shared = (a: string, b: string) => [...at(a)].filter((sku) => at(b).has(sku)).length;
    expect(shared('berlin-mitte', 'hamburg-altona')).toBeGreaterThanOrEqual(2);
    expect(shared('leipzig-dc', 'berlin-mitte')).toBeGreaterThanOrEqual(2);
    const promos = await db
      .selectFrom('promotions')
      .select('code')
      .where('tenant_id', '=', 'demo')
      .execute();
    expect(promos.map((p) => p.code).sort()).toEqual(['FIVEOFF', 'SAVE10']);

    const ids = await db
      .selectFrom('orders')
      .select('id')
      .where('tenant_id', '=', 'demo')
      .execute();
    expect(ids.length).toBeGreaterThanOrEqual(60);
    const orders = await findOrders(
      db,
      'demo',
      ids.map((o) => o.id),
    );
    for (const status of ORDER_STATUSES)
      expect(
        orders.some((o) => o.status === status),
        status,
      ).toBe(true);
    for (const origin of ORIGINS)
      expect(
        orders.some((o) => o.origin === origin),
        origin,
      ).toBe(true);
    for (const method of PAYMENT_METHODS)
      expect(
        orders.some((o) => o.payments.some((p) => p.method === method)),
        method,
      ).toBe(true);
    expect(orders.some((o) => o.payments.some((p) => p.settledByApi))).toBe(true);
    expect(
      orders.some((o) => o.payments.length === 0) && orders.some((o) => o.payments.length === 2),
    ).toBe(true);
    expect(orders.some((o) => o.fulfilment.routing.status === 'unroutable')).toBe(true);
    expect(
      orders.some((o) =>
        o.fulfilment.pickJobs.some(
          (j) => j.status === 'in-progress' && j.lines.some((l) => l.picked > 0),
        ),
      ),
    ).toBe(true);
    expect(orders.some((o) => o.fulfilment.labels.some((l) => l.status === 'requested'))).toBe(
      true,
    );
    expect(orders.find((o) => o.id === 'ord_demo_001')).toMatchObject({
      status: 'payment-approved',
      channelOrderRef: 'W-1001',
    });
  });

  it('is consistent (amend verify) and seeds only once', async () => {
    expect((await verifyIntegrity(deps)).violations).toEqual([]);
    expect(await seedDemo(deps)).toEqual({ created: false, orders: 0 });
  });
});
