import { describe, expect, it } from 'vitest';
import { impactOf } from './impact.js';

const order = {
  origin: 'direct' as const,
  deliveryWindow: null,
  preferredDeliveryDate: null,
  customAttributes: {},
  currency: 'EUR',
};

describe('impactOf', () => {
  it('ranks an overdue marketplace order of a VIP above a small fresh one, and says why', () => {
    const urgent = impactOf({
      order: {
        ...order,
        origin: 'marketplace',
        preferredDeliveryDate: '2026-11-30',
        customAttributes: { customerTier: 'VIP' },
      },
      value: 60_000,
      receivedAt: '2026-12-01T08:00:00Z',
      now: '2026-12-01T12:00:00Z',
    });
    const small = impactOf({
      order,
      value: 999,
      receivedAt: '2026-12-01T11:59:00Z',
      now: '2026-12-01T12:00:00Z',
    });
    expect(urgent.reasons.map((r) => [r.factor, r.points])).toEqual([
      ['orderValue', 40],
      ['promisedDelivery', 35],
      ['marketplaceSla', 20],
      ['customerTier', 15],
      ['age', 4],
    ]);
    expect(urgent.score).toBe(114);
    expect(small).toEqual({
      score: 5,
      reasons: [{ factor: 'orderValue', detail: 'order value 9.99 EUR', points: 5 }],
    });
  });

  it('gives 30 points to a delivery due within a day and counts age up to 20 hours', () => {
    const soon = impactOf({
      order: {
        ...order,
        deliveryWindow: { from: '2026-12-01T14:00:00Z', to: '2026-12-01T18:00:00Z' },
      },
      value: null,
      receivedAt: '2026-11-29T00:00:00Z',
      now: '2026-12-01T12:00:00Z',
    });
    expect(soon.reasons).toEqual([
      {
        factor: 'promisedDelivery',
        detail: '6 h left to the promised delivery 2026-12-01T18:00:00Z',
        points: 30,
      },
      { factor: 'age', detail: '60 h in the queue', points: 20 },
    ]);
  });

  it('scores a payload that could not be read by its age alone', () => {
    expect(
      impactOf({
        order: null,
        value: null,
        receivedAt: '2026-12-01T09:00:00Z',
        now: '2026-12-01T12:00:00Z',
      }).score,
    ).toBe(3);
  });
});
