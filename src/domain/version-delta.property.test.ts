import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planChange } from './change/plan-change.js';
import type { Operation } from './change/types.js';
import type { Order } from './order.js';
import { aContext, aLine, anOrder } from './test-builders.js';
import {
  applyDelta,
  CHECKPOINT_EVERY,
  diffSnapshots,
  isCheckpoint,
  replayVersions,
  versionSnapshot,
  type VersionSnapshot,
} from './version-delta.js';

const lineIds = ['l1', 'l2', 'l3', 'nope'];
const skus = ['APPLE', 'PEAR', 'MILK', 'CHEESE'];
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    op: fc.constant('addItem' as const),
    sku: fc.constantFrom(...skus),
    quantity: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ op: fc.constant('removeItem' as const), lineId: fc.constantFrom(...lineIds) }),
  fc.record({
    op: fc.constant('replaceItem' as const),
    lineId: fc.constantFrom(...lineIds),
    sku: fc.constantFrom(...skus),
    quantity: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    op: fc.constant('setQuantity' as const),
    lineId: fc.constantFrom(...lineIds),
    quantity: fc.integer({ min: 1, max: 9 }),
  }),
  fc.record({
    op: fc.constant('setUnitPrice' as const),
    lineId: fc.constantFrom(...lineIds),
    unitPrice: fc.integer({ min: 1, max: 3000 }),
    priceChangeReason: fc.constant('PRICE_MATCH'),
  }),
  fc.record({ op: fc.constant('adjustTotal' as const), discount: fc.integer({ min: 0, max: 99 }) }),
  fc.record({
    op: fc.constant('adjustTotal' as const),
    increment: fc.integer({ min: 1, max: 999 }),
  }),
  fc.record({
    op: fc.constant('setCustomAttributes' as const),
    set: fc.dictionary(fc.constantFrom('a', 'b', 'gate'), fc.integer()),
  }),
  fc.record({
    op: fc.constant('applyPromotion' as const),
    code: fc.constantFrom('SAVE10', 'FIVEOFF'),
  }),
);

/** What the database keeps: values as jsonb gives them back. */
const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('order versions from checkpoints and deltas', () => {
  it('answers every version exactly as a full snapshot per version did, over random change sequences', () => {
    let longest = 0;
    fc.assert(
      fc.property(
        // At least two checkpoints' worth of changes: refused ones add no version, and every run
        // must still cross a checkpoint (the check below once failed when none did).
        fc.array(fc.array(operation, { minLength: 1, maxLength: 3 }), {
          minLength: CHECKPOINT_EVERY * 2,
          maxLength: CHECKPOINT_EVERY * 3,
          size: 'max',
        }),
        (requests) => {
          let order: Order = anOrder({
            lines: [
              aLine({ lineId: 'l1', sku: 'APPLE', quantity: 2, unitPrice: 299 }),
              aLine({ lineId: 'l2', sku: 'MILK', quantity: 1, unitPrice: 119 }),
            ],
          });
          // The old way: one full snapshot per version. The new way: a checkpoint or a delta per version.
          const full: VersionSnapshot[] = [stored(versionSnapshot(order))];
          const rows: { snapshot: unknown; delta: unknown }[] = [
            { snapshot: stored(versionSnapshot(order)), delta: null },
          ];
          let ids = 0; // ids stay unique across the changes of one order, as deps.ids makes them
          const nextId = (prefix: string) => `${prefix}-${++ids}`;
          for (const operations of requests) {
            const planned = planChange(
              order,
              { operations, reason: { code: 'CUSTOMER_REQUEST' } },
              aContext({ originalOrder: order, nextId }),
            );
            if (!planned.ok) continue;
            const after: Order = { ...planned.value.after, version: order.version + 1 };
            full.push(stored(versionSnapshot(after)));
            rows.push(
              isCheckpoint(after.version)
                ? { snapshot: stored(versionSnapshot(after)), delta: null }
                : {
                    snapshot: null,
                    delta: stored(diffSnapshots(versionSnapshot(order), versionSnapshot(after))),
                  },
            );
            order = after;
          }
          longest = Math.max(longest, full.length);
          for (let n = 0; n < full.length; n++) {
            const from = n - (n % CHECKPOINT_EVERY);
            expect(replayVersions(rows.slice(from, n + 1))).toEqual(full[n]);
          }
        },
      ),
      { numRuns: 60 },
    );
    expect(longest).toBeGreaterThan(CHECKPOINT_EVERY + 1); // some sequence went past a checkpoint
  });

  it('keeps what fulfilment moved between two versions (a capture at invoice)', () => {
    const v1 = versionSnapshot(anOrder({ version: 1 }));
    const invoiced = {
      ...v1,
      payments: v1.payments.map((p) => ({ ...p, captured: p.authorized })),
    };
    const v2 = { ...invoiced, version: 2, customAttributes: { gate: 'B' } };
    expect(applyDelta(v1, diffSnapshots(invoiced, v2))).toEqual(v2);
  });

  it('keeps one changed line of a long order as that line alone', () => {
    const lines = Array.from({ length: 200 }, (_, i) => aLine({ lineId: `l${i}`, quantity: 1 }));
    const before = versionSnapshot(anOrder({ lines }));
    const after = { ...before, lines: lines.map((l, i) => (i === 7 ? { ...l, quantity: 3 } : l)) };
    const delta = diffSnapshots(before, after);
    expect(delta.lines).toEqual({ put: [{ ...lines[7], quantity: 3 }] });
    expect(JSON.stringify(delta.lines).length).toBeLessThan(400);
  });
});
