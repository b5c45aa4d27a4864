/** A change request and its plan (API.md §4): the vocabulary of the change engine. */
import type { RiskContext, RiskVerdict } from '../risk/policy.js';
import type { Product, Promotion } from '../catalogue.js';
import type { Refusal } from '../errors.js';
import type { Minor } from '../money.js';
import type { Address, Order, PaymentMethod, Totals } from '../order.js';
import type { LineView } from './line-edits.js';
import type { Permission, Role } from '../permissions.js';
import type { FacilityCandidate } from '../routing.js';
import type { TenantSettings } from '../settings.js';
import type { PromotionEffect, PromotionPolicy } from './promotion-policy.js';

interface LineRef {
  lineId?: string;
  sku?: string;
}

export type Operation =
  | { op: 'addItem'; sku: string; quantity: number; unitPrice?: number; measurementUnit?: string }
  | ({ op: 'removeItem'; quantity?: number } & LineRef)
  | {
      op: 'replaceItem';
      lineId?: string;
      fromSku?: string;
      fromQuantity?: number;
      sku: string;
      quantity: number;
      unitPrice?: number;
    }
  | ({ op: 'setQuantity'; quantity: number } & LineRef)
  | ({ op: 'setUnitPrice'; unitPrice: number; priceChangeReason: string } & LineRef)
  | { op: 'adjustTotal'; discount?: number; increment?: number }
  | { op: 'changeWeight'; lineId: string; unitMultiplier: number; measurementUnit?: string }
  | { op: 'applyPromotion'; code: string }
  | { op: 'setShippingAddress'; address: Partial<Address> }
  | { op: 'setDeliveryDate'; date?: string; from?: string; to?: string; handoverDate?: string }
  | { op: 'setCustomAttributes'; set?: Record<string, unknown>; unset?: string[] }
  | { op: 'cancelOrder'; reasonCode: string }
  | { op: 'forceCancelOrder'; reasonCode: string }
  | { op: 'changeCarrier'; carrier: string }
  | { op: 'assignFacility'; facilityId: string }
  | { op: 'reroute'; reasonCode?: string }
  | { op: 'rerouteTask'; pickJobId: string; reasonCode?: string }
  | { op: 'changePaymentMethod'; paymentId?: string; method: PaymentMethod };

export type OperationName = Operation['op'];
export type App = 'console' | 'picker' | 'api' | 'bulk';

export interface ChangeRequest {
  operations: Operation[];
  reason?: { code: string; text?: string };
  expectedVersion?: number;
  app?: App;
  ifBusy?: 'queue' | 'refuse';
  /** Tell the customer (issue 16); absent → the tenant's per-operation defaults. */
  notify?: { customer?: boolean };
  /** Set by the bulk use cases, never read from a request body: the job this change belongs to. */
  bulkJobId?: string;
}

export interface ChangeActor {
  actorId: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
}

/** Everything a plan consults besides the order, passed in as values (no I/O in the domain). */
export interface ChangeContext {
  actor: ChangeActor;
  settings: TenantSettings;
  products: ReadonlyMap<string, Product>;
  promotions: ReadonlyMap<string, Promotion>;
  /** Facilities with available stock (this order's own reservations added back); only when lines may move. */
  candidates: readonly FacilityCandidate[];
  /** The order as imported (version 0): picker limits are measured against it. */
  originalOrder: Order;
  /** Other changes of this order in any status but rejected (at most 50; the change itself not counted). */
  changeCount: number;
  /** Applied changes of this order: the approval policy's "more than N changes" (API.md §7.4). */
  appliedCount: number;
  nextId: (prefix: string) => string;
  now: string;
  /** The tenant's model and its requesters' activity (one cached read); absent: the rules score. */
  risk?: RiskContext;
}

export type LineChangeKind = 'added' | 'removed' | 'replaced' | 'quantity' | 'price' | 'weight';
export type PaymentAction = 'none' | 'capture' | 'authorize' | 'refund' | 'reduce-authorization';

export type Effect =
  | {
      type: 'REROUTE';
      fromFacilityId: string | null;
      toFacilityId: string | null;
      routingStatus: 'routed' | 'unroutable';
    }
  | { type: 'LABEL_OBSOLETE'; labelId: string }
  | { type: 'LABEL_REQUESTED'; labelId: string; carrier: string }
  | { type: 'PICK_JOB_REPLACED'; oldPickJobId: string; newPickJobId: string }
  | { type: 'PICK_JOB_UPDATED'; pickJobId: string }
  | { type: 'RESERVATION'; lineId: string; sku: string; facilityId: string; delta: number }
  | {
      type: 'MANUAL_STEP';
      action: 'RETURN_TO_STORAGE';
      lineId: string;
      sku: string;
      quantity: number;
      facilityId: string;
      text: string;
    };

export interface AuditEntry {
  path: string;
  old: unknown;
  new: unknown;
}

export interface ApprovalReason {
  code: string;
  detail: string;
  threshold: number | boolean;
  actual: number | boolean;
}
export interface Approval {
  required: boolean;
  score: number;
  reasons: ApprovalReason[];
  /** The risk score, its reasons and the model version that scored (docs/risk.md). */
  risk?: RiskVerdict;
}

export interface ChangePlan {
  fields: AuditEntry[];
  lines: {
    lineId: string;
    kind: LineChangeKind;
    operationIndex: number;
    old: LineView | null;
    new: LineView | null;
  }[];
  totals: { before: Totals; after: Totals; byCause: { operationIndex: number; amount: Minor }[] };
  /** promotions.onChange, and what re-evaluating moved, line by line under its cause. */
  promotions: { onChange: PromotionPolicy; effects: PromotionEffect[] };
  payments: { paymentId: string; method: string; amount: Minor; action: PaymentAction }[];
  effects: Effect[];
  auditEntries: AuditEntry[];
  approval: Approval;
  /** The order after the change (version not yet bumped). */
  after: Order;
}

/** One operation's rules: gates are value-independent (editability asks them too), check adds the value rules. */
export interface OperationRules<O extends Operation> {
  permission: Permission;
  /** Does it edit lines, dates or attributes (fulfilment must not have started, may re-route)? */
  fulfilmentBound: boolean;
  /** A value-independent condition of its own, asked by check and by the editability view alike. */
  gate?(order: Order, index: number): Refusal | null;
  /** Refusals that hide the operation from the UI instead of locking it (seed 002: payment method). */
  hiddenWhen?: readonly string[];
  /** A process operation has its own status conditions instead of the order gates (API.md §7.6). */
  process?: {
    gate(order: Order, index: number, ctx: ChangeContext): Refusal[];
    /** A cancellation gives money back: all of it, or all but payments settled by API (refunded outside). */
    releases?: 'all' | 'unsettled';
    /** It needs the facilities and their stock (routing, ship-from-store). */
    routes?: boolean;
  };
  check(order: Order, op: O, ctx: ChangeContext, index: number): Refusal[];
  apply(
    order: Order,
    op: O,
    ctx: ChangeContext,
    index: number,
  ): {
    order: Order;
    lines: ChangePlan['lines'];
    effects?: Effect[];
    /** Money the operation itself moves (a payment-method change), before the total's difference. */
    payments?: ChangePlan['payments'];
  };
}
