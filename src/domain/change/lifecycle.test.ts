import { describe, expect, it } from 'vitest';
import {
  CHANGE_STATUSES,
  FINAL_STATUSES,
  TRANSITIONS,
  canMove,
  outcomeOf,
  retryDelayMs,
  routeValidated,
  transitionRefusal,
} from './lifecycle.js';

const holds = {
  approvalRequired: false,
  approved: false,
  marketplace: false,
  sellerConfirmed: false,
  movesMoney: false,
  queueBusy: false,
};

describe('the change lifecycle', () => {
  it('lets nothing leave applied or canceled, and never cancels an applying change', () => {
    expect(TRANSITIONS.applied).toEqual([]);
    expect(TRANSITIONS.canceled).toEqual([]);
    expect(canMove('applying', 'canceled')).toBe(false);
    expect(transitionRefusal('applying', 'canceled', 'canceled')?.code).toBe(
      'CHANGE_TRANSITION_INVALID',
    );
  });

  it('retries only failed or rejected changes', () => {
    const retriable = CHANGE_STATUSES.filter((s) => canMove(s, 'received'));
    expect(retriable.sort()).toEqual(['failed', 'rejected']);
  });

  it('cancels from received, validated, awaiting-* and failed only', () => {
    expect(CHANGE_STATUSES.filter((s) => canMove(s, 'canceled')).sort()).toEqual([
      'awaiting-approval',
      'awaiting-seller',
      'failed',
      'received',
      'validated',
    ]);
  });

  it('reaches every final status from received', () => {
    const reach = new Set<string>(['received']);
    for (let i = 0; i < 5; i++)
      for (const s of [...reach])
        for (const t of TRANSITIONS[s as keyof typeof TRANSITIONS]) reach.add(t);
    for (const s of FINAL_STATUSES) expect(reach.has(s), s).toBe(true);
  });

  it('routes a validated change: approval, then the seller, then the queue', () => {
    expect(routeValidated(holds)).toBe('apply-now');
    expect(routeValidated({ ...holds, movesMoney: true })).toBe('queue');
    expect(routeValidated({ ...holds, queueBusy: true })).toBe('queue');
    expect(routeValidated({ ...holds, approvalRequired: true, marketplace: true })).toBe(
      'awaiting-approval',
    );
    expect(
      routeValidated({ ...holds, approvalRequired: true, approved: true, marketplace: true }),
    ).toBe('awaiting-seller');
    expect(routeValidated({ ...holds, marketplace: true, sellerConfirmed: true })).toBe(
      'apply-now',
    );
  });

  it('backs off exponentially with jitter within [0.5, 1.5] of the nominal delay', () => {
    expect(retryDelayMs(200, 1, 0)).toBe(100);
    expect(retryDelayMs(200, 1, 1)).toBe(300);
    expect(retryDelayMs(200, 3, 0.5)).toBe(800);
  });

  it('tells a picker to pack the original items when a line change did not happen', () => {
    const picker = outcomeOf('SUBSTITUTE_NOT_ALLOWED', 'x', { app: 'picker' }, [
      { op: 'replaceItem' },
    ]);
    expect(picker.nextStep).toMatch(
      /^The order stays as it was: pick and pack the original items\./,
    );
    const agent = outcomeOf('SUBSTITUTE_NOT_ALLOWED', 'x', { app: 'console' }, [
      { op: 'replaceItem' },
    ]);
    expect(agent.nextStep).not.toMatch(/pick and pack/);
  });
});
