/**
 * VTEX's change statuses (VTEX-FACADE.md §3.5): waiting-acknowledgement → waiting-confirmation →
 * done | canceled, read off an Amend change's status and transitions.
 */
import type { Change } from '../change/change.js';

export type VtexStatus = 'waiting-acknowledgement' | 'waiting-confirmation' | 'done' | 'canceled';

export interface VtexState {
  status: VtexStatus;
  inProgress: boolean;
}

/** The seller's acknowledgment is a step inside awaiting-seller; a retry (a new `received`) asks afresh. */
export function sellerAcknowledged(change: Pick<Change, 'transitions'>): boolean {
  let acknowledged = false;
  for (const t of change.transitions) {
    if (t.status === 'received') acknowledged = false;
    else if (t.status === 'awaiting-seller' && t.cause.startsWith('seller-acknowledged'))
      acknowledged = true;
  }
  return acknowledged;
}

export function vtexStateOf(change: Pick<Change, 'status' | 'transitions'>): VtexState {
  switch (change.status) {
    case 'received':
    case 'validated':
    case 'awaiting-approval':
      return { status: 'waiting-acknowledgement', inProgress: true };
    case 'awaiting-seller':
      return sellerAcknowledged(change)
        ? { status: 'waiting-confirmation', inProgress: true }
        : { status: 'waiting-acknowledgement', inProgress: true };
    // A failed change stopped on error: VTEX's client retries or cancels it (RetryChange, CancelChangeStoppedonError).
    case 'applying':
    case 'failed':
      return { status: 'waiting-confirmation', inProgress: true };
    case 'applied':
      return { status: 'done', inProgress: false };
    case 'rejected':
    case 'canceled':
      return { status: 'canceled', inProgress: false };
  }
}
