import { describe, expect, it } from 'vitest';
import { orderViolations } from './invariants.js';
import { aPickJob, anOrder } from './test-builders.js';

const rules = (order: ReturnType<typeof anOrder>, applied = 0) =>
  orderViolations(order, applied).map((v) => v.rule);

describe('order invariants', () => {
  it('hold for a fresh order', () => {
    expect(rules(anOrder())).toEqual([]);
  });
  it('catch stored totals that differ from the lines', () => {
    expect(rules({ ...anOrder(), totals: { ...anOrder().totals, grandTotal: 1 } })).toContain(
      'TOTALS_MISMATCH',
    );
  });
  it('catch a version that is not the number of applied changes', () => {
    expect(rules(anOrder(), 2)).toEqual(['VERSION_MISMATCH']);
  });
  it('catch reservations that do not follow the lines', () => {
    expect(rules(anOrder({ fulfilment: { reservations: [] } }))).toContain('RESERVATION_MISMATCH');
  });
  it('catch an unroutable order holding stock', () => {
    expect(
      rules(
        anOrder({ fulfilment: { routing: { status: 'unroutable', reasons: [], blacklist: [] } } }),
      ),
    ).toContain('UNROUTABLE_HOLDS');
  });
  it('catch a canceled order still picking and one holding stock', () => {
    expect(
      rules(
        anOrder({
          status: 'canceled',
          fulfilment: { pickJobs: [aPickJob({ status: 'in-progress' })] },
        }),
      ),
    ).toEqual(['RESERVATION_LEFT', 'CANCELED_STILL_PICKING']);
  });
  it('catch a routed order with no pick job, and an over-picked line', () => {
    expect(rules(anOrder({ fulfilment: { pickJobs: [] } }))).toEqual(['NO_PICK_JOB']);
    expect(
      rules(
        anOrder({
          fulfilment: {
            pickJobs: [aPickJob({ lines: [{ lineId: 'l1', quantity: 2, picked: 3 }] })],
          },
        }),
      ),
    ).toEqual(['OVER_PICKED']);
  });
});
