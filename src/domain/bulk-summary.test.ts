import { describe, expect, it } from 'vitest';
import { bulkCounts, bulkNextStep, bulkSentence } from './bulk-summary.js';

describe("a bulk job's summary", () => {
  it("counts each order by its change's status now, else by the job's record of it", () => {
    const counts = bulkCounts([
      { result: 'applied', changeStatus: 'applied' },
      // Waiting for the seller when recorded, confirmed since.
      { result: 'awaiting-seller', changeStatus: 'applied' },
      { result: 'awaiting-seller', changeStatus: 'awaiting-seller' },
      { result: 'refused', changeStatus: 'rejected' },
      // Refused before a change was recorded (the order was not found).
      { result: 'refused', changeStatus: null },
      { result: 'refused', changeStatus: 'failed' },
      { result: 'validated', changeStatus: 'validated' },
      { result: 'skipped', changeStatus: null },
    ]);
    expect(counts).toEqual({
      total: 8,
      applied: 2,
      awaitingApproval: 0,
      awaitingSeller: 1,
      inProgress: 1,
      rejected: 2,
      failed: 1,
      canceled: 0,
      skipped: 1,
    });
  });

  it('says it in one sentence, leaving out what did not happen', () => {
    const counts = bulkCounts([
      ...Array.from({ length: 45 }, () => ({ result: 'applied', changeStatus: 'applied' })),
      ...Array.from({ length: 3 }, () => ({ result: 'x', changeStatus: 'awaiting-seller' })),
      ...Array.from({ length: 2 }, () => ({ result: 'refused', changeStatus: 'rejected' })),
    ]);
    expect(bulkSentence('bulk-change', counts)).toBe(
      'Bulk change of 50 orders done: 45 applied, 3 waiting for the seller, 2 rejected.',
    );
    expect(bulkNextStep(counts)).toBe(
      'Open the job to see why; the orders rejected or failed stay as they were. Each order still waiting tells you on its own once it is decided.',
    );
  });

  it('names a reroute by what it does, and an empty job as nothing to do', () => {
    const one = bulkCounts([{ result: 'routed', changeStatus: 'applied' }]);
    expect(bulkSentence('reroute-unroutable', one)).toBe(
      'Reroute of 1 unroutable order done: 1 routed again.',
    );
    expect(bulkNextStep(one)).toBe('');
    expect(bulkSentence('bulk-change', bulkCounts([]))).toBe(
      'Bulk change of no orders: nothing to do.',
    );
  });

  it('says when a job stopped before its last order, and how many it never reached', () => {
    const counts = bulkCounts([
      { result: 'applied', changeStatus: 'applied' },
      { result: 'refused', changeStatus: 'rejected' },
    ]);
    expect(bulkSentence('bulk-change', counts, 5)).toBe(
      'Bulk change of 5 orders stopped after 2 orders: 1 applied, 1 rejected. The other 3 orders were not changed; run it again for them.',
    );
    expect(bulkSentence('bulk-change', bulkCounts([]), 1)).toBe(
      'Bulk change of 1 order stopped before its first order. The other order was not changed; run it again for them.',
    );
  });
});
