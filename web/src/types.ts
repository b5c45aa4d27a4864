/** The API's shapes the console reads (API.md §3, §4, §5). */
export interface Line {
  lineId: string;
  sku: string;
  name: string;
  quantity: number;
  measurementUnit: string;
  unitMultiplier: number;
  unitPrice: number;
  discount: number;
  taxRate: number;
  weighable: boolean;
  bundleId: string | null;
  parentLineId: string | null;
  allowedSubstitutes: string[];
}
export interface Payment {
  id: string;
  method: string;
  settledByApi: boolean;
  authorized: number;
  captured: number;
  refunded: number;
}
export interface Totals {
  items: number;
  discounts: number;
  increments: number;
  shipping: number;
  tax: number;
  grandTotal: number;
}
export interface Address {
  name?: string;
  street?: string;
  city?: string;
  postalCode?: string;
  country?: string;
}
export interface PickJob {
  id: string;
  orderId?: string;
  facilityId: string;
  status: string;
  subStatus: string | null;
  assigneeId: string | null;
  lines: { lineId: string; quantity: number; picked: number }[];
}
export interface Order {
  id: string;
  channel: string;
  channelOrderRef: string;
  origin: string;
  status: string;
  currency: string;
  version: number;
  customer: { name: string; email?: string; phone?: string };
  shippingAddress: Address;
  preferredDeliveryDate: string | null;
  deliveryWindow: { from: string; to: string } | null;
  customAttributes: Record<string, unknown>;
  carrier: string | null;
  facilityId: string | null;
  lines: Line[];
  shippingTotal: number;
  adjustments: { discount: number; increment: number };
  totals: Totals;
  payments: Payment[];
  fulfilment?: {
    routing: {
      status: string;
      reasons: { lineId: string; sku: string; missing: number }[];
      blacklist: string[];
    };
    reservations: { lineId: string; sku: string; facilityId: string; quantity: number }[];
    pickJobs: PickJob[];
    labels: { id: string; carrier: string; status: string }[];
    handover: { id: string; status: string; date: string | null } | null;
    packages: { id: string }[];
  };
  createdAt?: string;
  updatedAt?: string;
}
export interface Refusal {
  code: string;
  detail: string;
}
export interface Allowed {
  allowed: boolean;
  visible?: boolean;
  refusals?: Refusal[];
}
export interface Editability {
  version: number;
  operations: Record<string, Allowed>;
  lines: Record<string, Record<string, Allowed>>;
}
export interface Transition {
  status: string;
  at: string;
  actorId: string;
  cause: string;
}
export interface ApprovalReason {
  code: string;
  detail: string;
  threshold: number | boolean;
  actual: number | boolean;
}
export interface Plan {
  fields: { path: string; old: unknown; new: unknown }[];
  lines: {
    lineId: string;
    kind: string;
    old: Record<string, unknown> | null;
    new: Record<string, unknown> | null;
  }[];
  totals: { before: Totals; after: Totals; byCause: { operationIndex: number; amount: number }[] };
  payments: { paymentId: string; method: string; amount: number; action: string }[];
  effects: { type: string; [k: string]: unknown }[];
  /** Absent on changes planned before promotions.onChange existed. */
  promotions?: {
    onChange: 'keep' | 'reevaluate';
    effects: {
      operationIndex: number;
      lineId: string;
      sku: string;
      codes: string[];
      discount: { kept: number; reevaluated: number };
      amount: number;
    }[];
  };
}
export interface Change {
  id: string;
  orderId: string;
  ticket: string;
  status: string;
  requestedBy: { actorId: string; role: string; app: string };
  reason: { code: string; text?: string } | null;
  operations: { op: string; [k: string]: unknown }[];
  baseVersion: number;
  orderVersion: number | null;
  plan: Plan | null;
  approval: {
    required: boolean;
    score: number;
    reasons: ApprovalReason[];
    decision?: string | null;
    decidedBy: string | null;
    note: string | null;
    risk?: Risk;
  } | null;
  outcome: { code: string; detail: string; nextStep: string } | null;
  transitions: Transition[];
  createdAt: string;
  updatedAt: string;
}
export interface HistoryEntry {
  changeId: string;
  ticket: string;
  at: string;
  actor: { id: string; role: string; app: string };
  path: string;
  old: unknown;
  new: unknown;
  reasonCode: string | null;
}
export interface InboxEntry {
  id: string;
  changeId: string;
  orderId: string;
  outcome: string;
  code: string;
  detail: string;
  nextStep: string;
  at: string;
  acknowledgedAt: string | null;
  ticket?: string | null;
  app?: string | null;
  orderRef?: string | null;
  operations?: { op: string; [k: string]: unknown }[];
  lineNames?: Record<string, string>;
}
export interface Me {
  actorId: string;
  tenant: string;
  role: string;
  permissions: string[];
  /** shown instead of the id when known */ name?: string;
}
export interface Settings {
  reasons: Record<string, { code: string; label?: string; text?: string }[]>;
  [k: string]: unknown;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Channel intake (INTAKE.md §3–4). */
export interface IntakeRecord {
  id: string;
  sourceId: string;
  kind: string;
  account: string | null;
  status: string;
  receivedAt: string;
  updatedAt: string;
  attempts: number;
  nextAttemptAt: string | null;
  orderId: string | null;
  duplicateOf: string | null;
  channelOrderRef: string | null;
  code: string | null;
  detail: string | null;
  hint: string | null;
  errors: { code: string; detail: string; field?: string; [k: string]: unknown }[];
  impact: { score: number; reasons: { factor: string; detail: string; points: number }[] };
  payload: unknown;
  canonical: unknown;
  valueMinor: number | null;
  history: { at: string; status: string; code?: string; detail?: string }[];
}
export interface SourceHealth {
  status: string;
  lastReceivedAt: string | null;
  received24h: number;
  imported24h: number;
  deadLettered24h: number;
  errorRate1h: number;
  lagMs: { p50: number | null; p99: number | null };
  openDeadLetters: number;
  retrying: number;
}
export interface Source {
  id: string;
  kind: string;
  name: string;
  enabled: boolean;
}

/** approval.risk (docs/risk.md). */
export interface UnusualActor {
  actorId: string;
  role: string;
  group: string;
  count: number;
  usual: number;
  factor: number;
  at: string | null;
  reason: string;
}
export interface Risk {
  score: number;
  band: 'low' | 'medium' | 'high';
  reasons: { feature: string; effect: number; text: string }[];
  modelVersion: number | null;
  source: 'model' | 'rules';
  unusualActor: UnusualActor | null;
  autoApproved: boolean;
}
export interface RiskSummary {
  mode: 'rules' | 'model' | 'both';
  modelInCharge: boolean;
  decisions: number;
  model: { version: number; trainedAt: string; decisions: number } | null;
  evaluation: {
    trainedOn: number;
    heldOut: number;
    model: {
      auc: number | null;
      calibration: {
        from: number;
        to: number;
        count: number;
        predicted: number | null;
        observed: number | null;
      }[];
    };
    rules: { auc: number | null };
    autoApproved: { share: number; badRate: number | null };
  } | null;
  unusualActors: UnusualActor[];
}
