import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Order } from '../order.js';
import type { FacilityCandidate } from '../routing.js';
import { aContext, aLine, anOrder } from '../test-builders.js';
import { planChange } from './plan-change.js';
import { needsFullStock, scopedCandidates, stockScope } from './stock-scope.js';
import type { ChangeRequest, Operation } from './types.js';

const SKUS = ['APPLE', 'PEAR', 'MILK'] as const;

/** What a narrow read answers: the full stock of the skus read, nothing of the others. */
const narrowRead = (candidates: readonly FacilityCandidate[], skus: readonly string[]) =>
  candidates.map((c) => ({
    ...c,
    available: Object.fromEntries(
      Object.entries(c.available).filter(([sku]) => skus.includes(sku)),
    ),
  }));

const operation = (order: Order) =>
  fc.oneof(
    fc
      .record({ i: fc.nat(9), quantity: fc.integer({ min: 1, max: 6 }) })
      .map(({ i, quantity }): Operation => ({
        op: 'setQuantity',
        lineId: order.lines[i % order.lines.length]!.lineId,
        quantity,
      })),
    fc
      .record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 4 }) })
      .map(({ sku, quantity }): Operation => ({ op: 'addItem', sku, quantity })),
    fc.nat(9).map((i): Operation => ({
      op: 'removeItem',
      lineId: order.lines[i % order.lines.length]!.lineId,
    })),
    fc.integer({ min: 1, max: 3 }).map((quantity): Operation => ({
      op: 'replaceItem',
      fromSku: 'APPLE',
      sku: 'PEAR',
      quantity,
    })),
    fc.constant<Operation>({ op: 'setShippingAddress', address: { street: 'Nebenstr. 2' } }),
  );

describe('the narrow stock read (stock-scope.ts)', () => {
  it('plans exactly what the full read plans, or asks for the full read', () => {
    const setup = fc
      .record({
        lines: fc.array(
          fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 4 }) }),
          { minLength: 1, maxLength: 4 },
        ),
        extra: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
        hamburg: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 3, maxLength: 3 }),
        reroute: fc.boolean(),
        twoFacilities: fc.boolean(),
        blacklisted: fc.boolean(),
        // A reservation short of its line (drift): the lower bound no longer serves the line.
        short: fc.boolean(),
        // Hamburg nearer the customer, or as high in priority: the full read may choose it.
        nearHamburg: fc.boolean(),
        samePriority: fc.boolean(),
      })
      .chain((s) => {
        const order = anOrder({
          lines: s.lines.map((l, i) =>
            aLine({ lineId: `l${i + 1}`, sku: l.sku, quantity: l.quantity }),
          ),
        });
        return fc.record({
          s: fc.constant(s),
          order: fc.constant(order),
          ops: fc.array(operation(order), { minLength: 1, maxLength: 2 }),
        });
      });
    fc.assert(
      fc.property(setup, ({ s, order: built, ops }) => {
        const reservations = built.fulfilment.reservations.map((r, i) =>
          s.short && i === 0 ? { ...r, quantity: r.quantity - 1 } : r,
        );
        const order: Order = {
          ...built,
          shippingAddress: {
            ...built.shippingAddress,
            ...(s.nearHamburg ? { location: { lat: 53.55, lon: 10.0 } } : {}),
          },
          fulfilment: {
            ...built.fulfilment,
            reservations,
            routing: { ...built.fulfilment.routing, blacklist: s.blacklisted ? ['hamburg'] : [] },
          },
        };
        const own = (sku: string) =>
          reservations.filter((r) => r.sku === sku).reduce((n, r) => n + r.quantity, 0);
        const candidates: FacilityCandidate[] = [
          {
            id: 'berlin',
            priority: 1,
            shipFromStore: true,
            location: { lat: 52.52, lon: 13.4 },
            // Never less than the order reserves itself (stock holds reserved ≤ on hand).
            available: Object.fromEntries(SKUS.map((sku, i) => [sku, own(sku) + s.extra[i]!])),
          },
          ...(s.twoFacilities
            ? [
                {
                  id: 'hamburg',
                  priority: s.samePriority ? 1 : 2,
                  shipFromStore: true,
                  location: { lat: 53.55, lon: 10.0 },
                  available: Object.fromEntries(SKUS.map((sku, i) => [sku, s.hamburg[i]!])),
                },
              ]
            : []),
        ];
        const base = aContext();
        const settings = { ...base.settings, rerouteOnModification: s.reroute };
        const request: ChangeRequest = { operations: ops, reason: { code: 'CUSTOMER_REQUEST' } };
        const full = planChange(order, request, { ...aContext(), settings, candidates });
        const scope = stockScope(order, request, settings, candidates);
        if (!scope) return;
        const narrow = planChange(order, request, {
          ...aContext(),
          settings,
          candidates: scopedCandidates(scope, narrowRead(candidates, scope.skus)),
        });
        if (needsFullStock(scope, order, narrow)) return;
        expect(narrow).toEqual(full);
      }),
      { numRuns: 3_000 },
    );
  });

  it('reads only the skus the change touches on a single-facility order, and all for a re-route', () => {
    const order = anOrder();
    const ctx = aContext();
    const berlinOnly = [{ id: 'berlin' }];
    const request: ChangeRequest = {
      operations: [{ op: 'setQuantity', lineId: 'l2', quantity: 3 }],
    };
    expect(stockScope(order, request, ctx.settings, berlinOnly)?.skus).toEqual(['MILK']);
    // Re-routing may choose Hamburg: only the full read ranks the two.
    expect(
      stockScope(order, request, ctx.settings, [{ id: 'berlin' }, { id: 'hamburg' }]),
    ).toBeNull();
    expect(
      stockScope(order, { operations: [{ op: 'reroute' }] }, ctx.settings, berlinOnly),
    ).toBeNull();
    const unrouted = anOrder({
      fulfilment: { routing: { status: 'unroutable', reasons: [], blacklist: [] } },
    });
    expect(stockScope(unrouted, request, ctx.settings, berlinOnly)).toBeNull();
  });
});
