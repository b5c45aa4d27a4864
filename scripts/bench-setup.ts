/** The bench tenant on Amend's side: catalogue, keys, and orders imported through the real use case. */
import { makeDeps, type Actor, type Deps } from '../src/app/deps.js';
import { createApiKey, resolveActor } from '../src/app/identity.js';
import { importOrder } from '../src/app/import-order.js';
import type { Database, Engine } from '../src/db/database.js';
import {
  insertFacilities,
  insertProducts,
  insertStock,
  insertTenant,
} from '../src/db/reference-writes.js';

export interface BenchOrder {
  id: string;
  /** A free line (price 0): changing it moves no money, so it applies in the request. */
  freeLineId: string;
  /** A paid line: changing it moves money, through the worker. */
  paidLineId: string;
}

export interface BenchTenant {
  deps: Deps;
  key: string;
  agent: Actor;
  importer: Actor;
}

const product = (sku: string, unitPrice: number) => ({
  sku,
  name: sku,
  unitPrice,
  currency: 'EUR',
  measurementUnit: 'un',
  unitMultiplier: 1,
  weighable: false,
  taxRate: 1900,
  kind: 'item' as const,
  allowedSubstitutes: [],
});

export async function setupTenant(db: Database, engine: Engine): Promise<BenchTenant> {
  const deps = makeDeps({ db, engine, demoMode: false });
  await insertTenant(db, 'bench', 'Bench');
  // Thousands of changes per order would otherwise go to a supervisor (approval policy).
  await db
    .updateTable('tenants')
    .set({
      settings: JSON.stringify({
        approval: { changesPerOrderAbove: 1_000_000, valueDeltaPctAbove: 1_000_000 },
      }),
    })
    .where('id', '=', 'bench')
    .execute();
  await insertProducts(db, 'bench', [product('A', 299), product('B', 119), product('G', 0)]);
  await insertFacilities(db, 'bench', [
    { id: 'f1', name: 'F1', shipFromStore: true, priority: 1, location: null },
  ]);
  await insertStock(db, 'bench', [
    { facilityId: 'f1', sku: 'A', onHand: 100_000_000 },
    { facilityId: 'f1', sku: 'B', onHand: 100_000_000 },
    { facilityId: 'f1', sku: 'G', onHand: 100_000_000 },
  ]);
  const { key } = await createApiKey(deps, 'bench', 'agent');
  const integration = await createApiKey(deps, 'bench', 'integration');
  return {
    deps,
    key,
    agent: (await resolveActor(deps, key)) as Actor,
    importer: (await resolveActor(deps, integration.key)) as Actor,
  };
}

let refs = 0;

/** An order of `lines` lines: A ×2, B ×2, G ×2 first, then B lines to make up the size. */
export async function benchOrder(t: BenchTenant, lines = 5): Promise<BenchOrder> {
  const extra = Array.from({ length: Math.max(0, lines - 3) }, () => ({ sku: 'B', quantity: 1 }));
  const o = await importOrder(t.deps, t.importer, {
    channel: 'bench',
    channelOrderRef: `B-${++refs}-${Date.now()}`,
    currency: 'EUR',
    customer: { name: 'Bench', email: 'b@example.com' },
    shippingAddress: {
      name: 'Bench',
      street: 'Str. 1',
      city: 'Berlin',
      postalCode: '10115',
      country: 'DE',
    },
    lines: [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
      { sku: 'G', quantity: 2 },
      ...extra,
    ],
    payments: [{ method: 'credit-card' }],
  });
  return { id: o.id, freeLineId: o.lines[2]!.lineId, paidLineId: o.lines[0]!.lineId };
}
