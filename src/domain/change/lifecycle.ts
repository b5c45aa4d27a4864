/**
 * The lifecycle of a change (PRODUCT.md §4, API.md §7.4) as one table: which status may follow which,
 * where a validated change goes next, how long to wait before a gateway retry, and what the
 * requester is told. Everything that moves a change asks this module.
 */
import { CATALOGUE, refusal, type ErrorCode, type Refusal } from '../errors.js';

export const CHANGE_STATUSES = [
  'received',
  'validated',
  'awaiting-approval',
  'awaiting-seller',
  'applying',
  'applied',
  'rejected',
  'failed',
  'canceled',
] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<ChangeStatus> = new Set([
  'applied',
  'rejected',
  'failed',
  'canceled',
]);
/** A change in one of these holds its order's queue. */
export const QUEUED_STATUSES: ReadonlySet<ChangeStatus> = new Set(['validated', 'applying']);
export const AWAITING_STATUSES: ReadonlySet<ChangeStatus> = new Set([
  'awaiting-approval',
  'awaiting-seller',
]);

/**
 * `validated` means "valid and waiting in its order's queue"; a change released by a supervisor or
 * the seller goes back to `validated` (the tail of the queue) and is planned again. The seller's
 * acknowledgment is recorded as a step inside `awaiting-seller`.
 */
export const TRANSITIONS: Readonly<Record<ChangeStatus, readonly ChangeStatus[]>> = {
  received: ['validated', 'rejected', 'canceled'],
  validated: [
    'awaiting-approval',
    'awaiting-seller',
    'applying',
    'applied',
    'rejected',
    'canceled',
  ],
  'awaiting-approval': ['validated', 'awaiting-seller', 'rejected', 'canceled'],
  'awaiting-seller': ['awaiting-seller', 'validated', 'rejected', 'canceled'],
  applying: ['applied', 'rejected', 'failed'],
  applied: [],
  rejected: ['received'],
  failed: ['received', 'canceled'],
  canceled: [],
};

export function canMove(from: string, to: ChangeStatus): boolean {
  return (TRANSITIONS[from as ChangeStatus] ?? []).includes(to);
}

export function transitionRefusal(from: string, to: ChangeStatus, action: string): Refusal | null {
  if (canMove(from, to)) return null;
  return refusal('CHANGE_TRANSITION_INVALID', `A change that is ${from} cannot be ${action}.`, {
    meta: { changeStatus: from },
  });
}

export interface Transition {
  status: ChangeStatus;
  at: string;
  actorId: string;
  cause: string;
}

export const step = (
  status: ChangeStatus,
  at: string,
  actorId: string,
  cause: string,
): Transition => ({
  status,
  at,
  actorId,
  cause,
});

/** What stops a validated change from applying at once, in the order it must be cleared. */
export interface Holds {
  approvalRequired: boolean;
  approved: boolean;
  marketplace: boolean;
  sellerConfirmed: boolean;
  /** Some payment action is not `none`: the gateway is called by the worker. */
  movesMoney: boolean;
  /** Another change of the order is queued or applying. */
  queueBusy: boolean;
}

export type Route = 'awaiting-approval' | 'awaiting-seller' | 'apply-now' | 'queue';

export function routeValidated(h: Holds): Route {
  if (h.approvalRequired && !h.approved) return 'awaiting-approval';
  if (h.marketplace && !h.sellerConfirmed) return 'awaiting-seller';
  if (h.movesMoney || h.queueBusy) return 'queue';
  return 'apply-now';
}

/** Fulfilment decisions stay Amend's own; what the customer bought, pays or receives is the seller's to confirm. */
const SELLER_FREE_OPS = new Set(['changeCarrier', 'assignFacility', 'reroute', 'rerouteTask']);

export function needsSeller(origin: string, operations: readonly { op: string }[]): boolean {
  return origin === 'marketplace' && operations.some((o) => !SELLER_FREE_OPS.has(o.op));
}

/** Delay before gateway retry n (1-based): base × 2^(n−1) × U[0.5, 1.5] (API.md §7.4). */
export function retryDelayMs(retryBaseMs: number, n: number, random: number): number {
  return Math.round(retryBaseMs * 2 ** (n - 1) * (0.5 + random));
}

export interface Outcome {
  code: string;
  detail: string;
  nextStep: string;
}

const LINE_OPS = new Set([
  'addItem',
  'removeItem',
  'replaceItem',
  'setQuantity',
  'changeWeight',
  'setUnitPrice',
]);

/**
 * What the requester reads. A picker whose line change did not happen is told what to do with the
 * goods in hand (seed 000): the order keeps the original item.
 */
export function outcomeOf(
  code: ErrorCode,
  detail: string,
  requester: { app: string },
  operations: readonly { op: string }[],
): Outcome {
  const pickerLines = requester.app === 'picker' && operations.some((o) => LINE_OPS.has(o.op));
  const hint = CATALOGUE[code].hint;
  const nextStep =
    pickerLines && !hint.startsWith('The order stays as it was')
      ? `The order stays as it was: pick and pack the original items. ${hint}`
      : hint;
  return { code, detail, nextStep };
}

export const appliedOutcome = (version: number): Outcome => ({
  code: 'APPLIED',
  detail: `Applied as version ${version} of the order.`,
  nextStep: 'Nothing to do.',
});
