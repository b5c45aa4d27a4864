/**
 * The catalogue and stock API (INTAKE.md §5): a tenant loads its products, facilities and stock
 * without the demo seed. Every write is audited (catalogue_audit) and announced (PRODUCT_UPDATED,
 * FACILITY_UPDATED, STOCK_UPDATED) in its own transaction; a batch is one transaction, all or nothing.
 */
import {
  appendCatalogueAudit,
  lockFacility,
  lockProduct,
  lockStock,
  setStock,
  upsertFacility,
  upsertProduct,
  type CatalogueAuditEntry,
} from '../db/catalogue-writes.js';
import type { Tx } from '../db/database.js';
import { appendEvents, type NewEvent } from '../db/outbox.js';
import { facilityRefusals, productRefusals, stockRefusals } from '../domain/catalogue-rules.js';
import type { Facility, Product } from '../domain/catalogue.js';
import { refusal, type Refusal } from '../domain/errors.js';
import type { Actor, Deps } from './deps.js';
import { RefusedError } from './refused-error.js';

export interface StockInput {
  facilityId: string;
  sku: string;
  onHand: number;
}
export interface Batch {
  products?: Product[];
  facilities?: Facility[];
  stock?: StockInput[];
}

interface Step {
  refusals: Refusal[];
  audit: CatalogueAuditEntry[];
  events: NewEvent[];
  created: boolean;
}
const none = (refusals: Refusal[]): Step => ({ refusals, audit: [], events: [], created: false });

async function writeProduct(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  p: Product,
  at: string,
): Promise<Step> {
  const refusals = productRefusals(p, at);
  if (refusals.length) return none(refusals);
  const previous = await lockProduct(tx, actor.tenantId, p.sku);
  await upsertProduct(tx, actor.tenantId, p);
  return {
    refusals: [],
    created: !previous,
    audit: [
      {
        actorId: actor.actorId,
        entity: 'product',
        entityId: p.sku,
        oldValue: previous ?? null,
        newValue: p,
      },
    ],
    events: [
      {
        id: deps.ids('evt'),
        type: 'PRODUCT_UPDATED',
        data: { sku: p.sku, product: p, previous: previous ?? null },
      },
    ],
  };
}

async function writeFacility(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  f: Facility,
  at: string,
): Promise<Step> {
  const refusals = facilityRefusals(f, at);
  if (refusals.length) return none(refusals);
  const previous = await lockFacility(tx, actor.tenantId, f.id);
  await upsertFacility(tx, actor.tenantId, f);
  return {
    refusals: [],
    created: !previous,
    audit: [
      {
        actorId: actor.actorId,
        entity: 'facility',
        entityId: f.id,
        oldValue: previous ?? null,
        newValue: f,
      },
    ],
    events: [
      {
        id: deps.ids('evt'),
        type: 'FACILITY_UPDATED',
        data: { facilityId: f.id, facility: f, previous: previous ?? null },
      },
    ],
  };
}

async function writeStock(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  s: StockInput,
  at: string,
): Promise<Step> {
  const f = (name: string) => ({ field: at ? `${at}.${name}` : name });
  const [facility, product] = await Promise.all([
    lockFacility(tx, actor.tenantId, s.facilityId),
    lockProduct(tx, actor.tenantId, s.sku),
  ]);
  const missing = [
    ...(facility
      ? []
      : [
          refusal(
            'FACILITY_NOT_FOUND',
            `facility ${s.facilityId} does not exist.`,
            f('facilityId'),
          ),
        ]),
    ...(product
      ? []
      : [refusal('SKU_NOT_FOUND', `sku ${s.sku} is not in the catalogue.`, f('sku'))]),
  ];
  if (missing.length) return none(missing);
  const previous = await lockStock(tx, actor.tenantId, s.facilityId, s.sku);
  const reserved = previous?.reserved ?? 0;
  const refusals = stockRefusals({ onHand: s.onHand, reserved }, at);
  if (refusals.length) return none(refusals);
  await setStock(tx, actor.tenantId, s.facilityId, s.sku, s.onHand);
  const level = {
    facilityId: s.facilityId,
    sku: s.sku,
    onHand: s.onHand,
    reserved,
    available: s.onHand - reserved,
  };
  return {
    refusals: [],
    created: !previous,
    audit: [
      {
        actorId: actor.actorId,
        entity: 'stock',
        entityId: `${s.facilityId}/${s.sku}`,
        oldValue: previous ?? null,
        newValue: level,
      },
    ],
    events: [
      {
        id: deps.ids('evt'),
        type: 'STOCK_UPDATED',
        data: { ...level, previousOnHand: previous?.onHand ?? null },
      },
    ],
  };
}

/** Runs the steps in one transaction; any refusal rolls every one back. */
async function inOne(deps: Deps, actor: Actor, run: (tx: Tx) => Promise<Step[]>): Promise<Step[]> {
  const steps = await deps.db.transaction().execute(async (tx) => {
    const done = await run(tx);
    const refusals = done.flatMap((s) => s.refusals);
    if (refusals.length) throw new RefusedError(refusals);
    await appendCatalogueAudit(
      tx,
      actor.tenantId,
      done.flatMap((s) => s.audit),
    );
    await appendEvents(
      tx,
      actor.tenantId,
      done.flatMap((s) => s.events),
    );
    return done;
  });
  deps.signals.eventsWritten();
  return steps;
}

export async function putProduct(
  deps: Deps,
  actor: Actor,
  p: Product,
): Promise<{ product: Product; created: boolean }> {
  const [step] = await inOne(deps, actor, async (tx) => [
    await writeProduct(tx, deps, actor, p, ''),
  ]);
  return { product: p, created: step?.created ?? false };
}

export async function putFacility(
  deps: Deps,
  actor: Actor,
  f: Facility,
): Promise<{ facility: Facility; created: boolean }> {
  const [step] = await inOne(deps, actor, async (tx) => [
    await writeFacility(tx, deps, actor, f, ''),
  ]);
  return { facility: f, created: step?.created ?? false };
}

export async function putStock(deps: Deps, actor: Actor, s: StockInput) {
  const [step] = await inOne(deps, actor, async (tx) => [await writeStock(tx, deps, actor, s, '')]);
  return {
    level: (step?.audit[0]?.newValue ?? null) as {
      facilityId: string;
      sku: string;
      onHand: number;
      reserved: number;
      available: number;
    },
    created: step?.created ?? false,
  };
}

/** Products first, then facilities, then stock: a batch may stock what it creates. */
export async function applyBatch(deps: Deps, actor: Actor, batch: Batch) {
  const steps = await inOne(deps, actor, async (tx) => {
    const out: Step[] = [];
    for (const [i, p] of (batch.products ?? []).entries())
      out.push(await writeProduct(tx, deps, actor, p, `products[${i}]`));
    for (const [i, f] of (batch.facilities ?? []).entries())
      out.push(await writeFacility(tx, deps, actor, f, `facilities[${i}]`));
    for (const [i, s] of (batch.stock ?? []).entries())
      out.push(await writeStock(tx, deps, actor, s, `stock[${i}]`));
    return out;
  });
  const count = (entity: string) => steps.filter((s) => s.audit[0]?.entity === entity).length;
  return { products: count('product'), facilities: count('facility'), stock: count('stock') };
}
