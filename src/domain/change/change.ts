/**
 * The Change (API.md §4): a change request as it is stored, answered and announced. Its status walks
 * the lifecycle table of lifecycle.ts; its plan is the planner's, less the order after and the approval.
 */
import type { Role } from '../permissions.js';
import type { RiskVerdict } from '../risk/policy.js';
import type { ChangeStatus, Outcome, Transition } from './lifecycle.js';
import type { App, ApprovalReason, ChangePlan, Operation } from './types.js';

/** The plan as answered and stored: without the whole order after, and with the approval kept apart. */
export type PublicPlan = Omit<ChangePlan, 'after' | 'approval'>;

export const publicPlan = ({
  after: _after,
  approval: _approval,
  ...plan
}: ChangePlan): PublicPlan => plan;

/** The policy's verdict, and a supervisor's decision once there is one. */
export interface ApprovalRecord {
  required: boolean;
  score: number;
  reasons: ApprovalReason[];
  decision?: 'approved' | 'rejected' | null;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
}

export interface Requester {
  actorId: string;
  role: Role;
  app: App;
  /**
   * Whether the applied change notifies the customer, decided when the request arrived (its
   * `notify`, else the tenant's defaults) and kept with who asked, so the worker that applies a
   * queued change later sends what the preview showed.
   */
  notifyCustomer?: boolean;
  /** The bulk job that made this change: its outcome goes into the job's inbox summary (issue 17). */
  bulkJobId?: string;
}

export interface Change {
  id: string;
  orderId: string;
  ticket: string;
  status: ChangeStatus;
  requestedBy: Requester;
  reason: { code: string; text?: string } | null;
  operations: Operation[];
  baseVersion: number;
  orderVersion: number | null;
  plan: PublicPlan | null;
  approval: ApprovalRecord | null;
  undoOf: string | null;
  outcome: Outcome | null;
  transitions: Transition[];
  createdAt: string;
  updatedAt: string;
}

/** The policy's verdict before any supervisor decided: what a preview and a new change carry. */
export const awaitingDecision = (
  verdict: Pick<ApprovalRecord, 'required' | 'score' | 'reasons'>,
): ApprovalRecord => ({ ...verdict, decision: null, decidedBy: null, decidedAt: null, note: null });

export const undecided = (approval: ApprovalRecord | null): ApprovalRecord =>
  approval ?? {
    required: false,
    score: 0,
    reasons: [],
    decision: null,
    decidedBy: null,
    decidedAt: null,
    note: null,
  };

/** A risk verdict as an event carries it: the score and its reasons, not what was scored. */
export type EventRisk = Omit<RiskVerdict, 'input' | 'unusualActor'>;

/**
 * What a CHANGE_* event carries (events v3, README "Changelog of the API contract"): the ids and what
 * moved, not the plan, operations and transitions, and the approval's risk without the features it
 * scored and the unusual-actor detail (half of the event, written four times per change); the whole
 * Change is GET /v1/changes/{id}.
 */
export type ChangeEventData = Pick<
  Change,
  | 'id'
  | 'orderId'
  | 'ticket'
  | 'status'
  | 'requestedBy'
  | 'baseVersion'
  | 'orderVersion'
  | 'undoOf'
  | 'outcome'
  | 'updatedAt'
> & { approval: (ApprovalRecord & { risk?: EventRisk }) | null };

function eventApproval(
  approval: (ApprovalRecord & { risk?: RiskVerdict }) | null,
): ChangeEventData['approval'] {
  if (!approval?.risk) return approval;
  const { input: _input, unusualActor: _unusual, ...risk } = approval.risk;
  return { ...approval, risk };
}

export const changeEventData = (c: Change): ChangeEventData => ({
  id: c.id,
  orderId: c.orderId,
  ticket: c.ticket,
  status: c.status,
  requestedBy: c.requestedBy,
  baseVersion: c.baseVersion,
  orderVersion: c.orderVersion,
  approval: eventApproval(c.approval),
  undoOf: c.undoOf,
  outcome: c.outcome,
  updatedAt: c.updatedAt,
});
