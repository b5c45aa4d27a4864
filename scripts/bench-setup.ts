/** The bench tenant on Amend's side: catalogue, keys, and orders imported through the real use case. */
import { readFileSync } from 'node:fs';
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

/**
 * SKUs per kind (paid A, paid B, free G): as many as the hot set has orders, so that no two hot orders
 * share a SKU's stock row — the limit's data set spreads its lines over 5,000 SKUs, and its
 * reservations are rows of their own. (With one SKU per kind, every change of all 512 orders queued
 * on the same stock row.)
 */
export const SKUS_PER_KIND = 512;
const sku = (kind: 'A' | 'B' | 'G', n: number) => `${kind}-${n % SKUS_PER_KIND}`;

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
  const skus = (['A', 'B', 'G'] as const).flatMap((kind) =>
    Array.from({ length: SKUS_PER_KIND }, (_, n) => ({ kind, sku: sku(kind, n) })),
  );
  const price = { A: 299, B: 119, G: 0 };
  await insertProducts(
    db,
    'bench',
    skus.map((s) => product(s.sku, price[s.kind])),
  );
  await insertFacilities(db, 'bench', [
    { id: 'f1', name: 'F1', shipFromStore: true, priority: 1, location: null },
  ]);
  await insertStock(
    db,
    'bench',
    skus.map((s) => ({ facilityId: 'f1', sku: s.sku, onHand: 100_000_000 })),
  );
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

/**
 * An order of `lines` lines: A ×2, B ×1, G ×2 first, then B lines to make up the size; the n-th
 * order's SKUs are drawn as the limit draws its own (a stride through the catalogue), all distinct.
 */
export async function benchOrder(t: BenchTenant, lines = 5): Promise<BenchOrder> {
  const n = refs;
  const extra = Array.from({ length: Math.max(0, lines - 3) }, (_, k) => ({
    sku: sku('B', n * 13 + 101 * (k + 1)),
    quantity: 1,
  }));
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
      { sku: sku('A', n * 7), quantity: 2 },
      { sku: sku('B', n * 13), quantity: 1 },
      { sku: sku('G', n * 11), quantity: 2 },
      ...extra,
    ],
    payments: [{ method: 'credit-card' }],
  });
  return { id: o.id, freeLineId: o.lines[2]!.lineId, paidLineId: o.lines[0]!.lineId };
}

/** The node flags `npm start` runs the server with (package.json), so the bench measures that server. */
export function startFlags(): string[] {
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } })
    .scripts.start;
  const flags = /\bnode ((?:--\S+ )*)dist\/src\/cli\/main\.js serve/.exec(start)?.[1];
  if (flags === undefined)
    throw new Error(`npm start no longer runs node … dist/src/cli/main.js serve: ${start}`);
  return flags.split(' ').filter(Boolean);
}
