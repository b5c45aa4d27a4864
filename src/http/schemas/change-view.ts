/**
 * The Change and what is read about changes (API.md §4) as named components of /openapi.json:
 * the Change with its plan, the preview, the audit, editability and the change summary.
 */
import { Type } from '@sinclair/typebox';
import { lit } from '../../domain/import-order-schema.js';
import { CHANGE_STATUSES } from '../../domain/change/lifecycle.js';
import { LINE_OPERATIONS } from '../../domain/change/operations/index.js';
import type { Operation as OperationType } from '../../domain/change/types.js';
import { ROLES } from '../../domain/permissions.js';
import { OperationSchema } from './changes.js';
import { Money, Nullable } from './common.js';
import { OrderLine, Totals } from './order-view.js';
import { RiskBeforeChangeSchema, RiskVerdict } from './risk.js';

const closed = { additionalProperties: false } as const;
const APPS = ['console', 'picker', 'api', 'bulk'] as const;

/** The operations as requested (the request body's discriminated union, named once). */
export const Operation = Type.Unsafe<OperationType>({
  ...OperationSchema,
  $id: 'Operation',
});

const AuditEntry = Type.Object(
  { path: Type.String(), old: Type.Unknown(), new: Type.Unknown() },
  closed,
);

export const ApprovalReason = Type.Object(
  {
    code: Type.String(),
    detail: Type.String(),
    threshold: Type.Union([Type.Number(), Type.Boolean()]),
    actual: Type.Union([Type.Number(), Type.Boolean()]),
  },
  { ...closed, $id: 'ApprovalReason' },
);

/** The policy's verdict (preview), and with a supervisor's decision once there is one (a Change). */
export const Approval = Type.Object(
  {
    required: Type.Boolean(),
    score: Type.Number(),
    reasons: Type.Array(Type.Ref(ApprovalReason)),
    decision: Type.Optional(Nullable(lit(['approved', 'rejected'] as const))),
    decidedBy: Type.Optional(Nullable(Type.String())),
    decidedAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
    note: Type.Optional(Nullable(Type.String())),
    risk: Type.Optional(Type.Ref(RiskVerdict)),
  },
  { ...closed, $id: 'Approval' },
);

export const Effect = Type.Union(
  [
    Type.Object(
      {
        type: Type.Literal('REROUTE'),
        fromFacilityId: Nullable(Type.String()),
        toFacilityId: Nullable(Type.String()),
        routingStatus: lit(['routed', 'unroutable'] as const),
      },
      closed,
    ),
    Type.Object({ type: Type.Literal('LABEL_OBSOLETE'), labelId: Type.String() }, closed),
    Type.Object(
      { type: Type.Literal('LABEL_REQUESTED'), labelId: Type.String(), carrier: Type.String() },
      closed,
    ),
    Type.Object(
      {
        type: Type.Literal('PICK_JOB_REPLACED'),
        oldPickJobId: Type.String(),
        newPickJobId: Type.String(),
      },
      closed,
    ),
    Type.Object({ type: Type.Literal('PICK_JOB_UPDATED'), pickJobId: Type.String() }, closed),
    Type.Object(
      {
        type: Type.Literal('RESERVATION'),
        lineId: Type.String(),
        sku: Type.String(),
        facilityId: Type.String(),
        delta: Type.Integer(),
      },
      closed,
    ),
    Type.Object(
      {
        type: Type.Literal('MANUAL_STEP'),
        action: Type.Literal('RETURN_TO_STORAGE'),
        lineId: Type.String(),
        sku: Type.String(),
        quantity: Type.Integer(),
        facilityId: Type.String(),
        text: Type.String(),
      },
      closed,
    ),
  ],
  { $id: 'Effect' },
);

/** A line as a plan shows it before and after (domain/change/line-edits.ts). */
export const LineView = Type.Object(
  {
    lineId: Type.String(),
    sku: Type.String(),
    name: Type.String(),
    quantity: Type.Integer(),
    unitPrice: Money,
    unitMultiplier: Type.Number(),
    discount: Money,
    replacedQuantity: Type.Optional(
      Type.Integer({ description: 'a replacement: how many units it replaced' }),
    ),
  },
  { ...closed, $id: 'LineView' },
);

export const Plan = Type.Object(
  {
    fields: Type.Array(AuditEntry),
    lines: Type.Array(
      Type.Object(
        {
          lineId: Type.String(),
          kind: lit(['added', 'removed', 'replaced', 'quantity', 'price', 'weight'] as const),
          operationIndex: Type.Integer(),
          old: Nullable(Type.Ref(LineView)),
          new: Nullable(Type.Ref(LineView)),
        },
        closed,
      ),
    ),
    totals: Type.Object(
      {
        before: Type.Ref(Totals),
        after: Type.Ref(Totals),
        byCause: Type.Array(Type.Object({ operationIndex: Type.Integer(), amount: Money }, closed)),
      },
      closed,
    ),
    payments: Type.Array(
      Type.Object(
        {
          paymentId: Type.String(),
          method: Type.String(),
          amount: Money,
          action: lit(['none', 'capture', 'authorize', 'refund', 'reduce-authorization'] as const),
        },
        closed,
      ),
    ),
    promotions: Type.Optional(
      Type.Object(
        {
          onChange: lit(['keep', 'reevaluate'] as const),
          effects: Type.Array(
            Type.Object(
              {
                operationIndex: Type.Integer(),
                lineId: Type.String(),
                sku: Type.String(),
                codes: Type.Array(Type.String()),
                discount: Type.Object({ kept: Money, reevaluated: Money }, closed),
                amount: Money,
              },
              closed,
            ),
          ),
        },
        {
          ...closed,
          description:
            'promotions.onChange, and what re-evaluating moved per line (absent on changes planned before it existed)',
        },
      ),
    ),
    effects: Type.Array(Type.Ref(Effect)),
    auditEntries: Type.Array(AuditEntry),
  },
  { ...closed, $id: 'ChangePlan' },
);

export const Outcome = Type.Object(
  { code: Type.String(), detail: Type.String(), nextStep: Type.String() },
  { ...closed, $id: 'Outcome' },
);

export const Change = Type.Object(
  {
    id: Type.String(),
    orderId: Type.String(),
    ticket: Type.String(),
    status: lit(CHANGE_STATUSES),
    requestedBy: Type.Object(
      {
        actorId: Type.String(),
        role: lit(ROLES),
        app: lit(APPS),
        notifyCustomer: Type.Optional(
          Type.Boolean({ description: 'the applied change e-mails the customer' }),
        ),
        bulkJobId: Type.Optional(
          Type.String({
            description: 'the bulk job that made the change (GET /v1/bulk-changes/{id})',
          }),
        ),
      },
      closed,
    ),
    reason: Nullable(
      Type.Object({ code: Type.String(), text: Type.Optional(Type.String()) }, closed),
    ),
    operations: Type.Array(Type.Ref(Operation)),
    baseVersion: Type.Integer(),
    orderVersion: Nullable(Type.Integer()),
    plan: Nullable(Type.Ref(Plan)),
    approval: Nullable(Type.Ref(Approval)),
    undoOf: Nullable(Type.String()),
    outcome: Nullable(Type.Ref(Outcome)),
    transitions: Type.Array(
      Type.Object(
        {
          status: lit(CHANGE_STATUSES),
          at: Type.String({ format: 'date-time' }),
          actorId: Type.String(),
          cause: Type.String(),
        },
        closed,
      ),
    ),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { ...closed, $id: 'Change' },
);

/** The customer notice a preview shows: whether it will be sent, and what it says. */
export const CustomerNoticePreview = Type.Object(
  {
    send: Type.Boolean(),
    to: Type.String(),
    locale: Type.String(),
    subject: Type.String(),
    text: Type.String(),
  },
  { ...closed, $id: 'CustomerNoticePreview' },
);

export const ChangePreview = Type.Object(
  {
    baseVersion: Type.Integer(),
    plan: Type.Ref(Plan),
    approval: Type.Ref(Approval),
    notification: Type.Object({ customer: Type.Ref(CustomerNoticePreview) }, closed),
  },
  { ...closed, $id: 'ChangePreview' },
);

export const HistoryEntry = Type.Object(
  {
    changeId: Type.String(),
    ticket: Type.String(),
    at: Type.String({ format: 'date-time' }),
    actor: Type.Object({ id: Type.String(), role: Type.String(), app: Type.String() }, closed),
    path: Type.String(),
    old: Type.Unknown(),
    new: Type.Unknown(),
    reasonCode: Nullable(Type.String()),
  },
  { ...closed, $id: 'HistoryEntry' },
);

export const Editable = Type.Object(
  {
    allowed: Type.Boolean(),
    visible: Type.Boolean({
      description: 'false exactly when PERMISSION_DENIED or OPERATION_DISABLED',
    }),
    refusals: Type.Array(Type.Object({ code: Type.String(), detail: Type.String() }, closed)),
  },
  { ...closed, $id: 'Editable' },
);

export const PickerLineLimits = Type.Object(
  { minQuantity: Type.Integer(), maxQuantity: Type.Integer(), maxUnitPrice: Money },
  { ...closed, $id: 'PickerLineLimits' },
);

/** One line: each line operation, and for a picker the limits of their changes (API.md §7.7). */
const OptionalEditable = Type.Optional(Type.Ref(Editable));
export const LineEditability = Type.Object(
  {
    ...(Object.fromEntries(LINE_OPERATIONS.map((op) => [op, OptionalEditable])) as Record<
      (typeof LINE_OPERATIONS)[number],
      typeof OptionalEditable
    >),
    limits: Type.Optional(Type.Ref(PickerLineLimits)),
  },
  { ...closed, $id: 'LineEditability' },
);

export const Editability = Type.Object(
  {
    version: Type.Integer(),
    operations: Type.Record(Type.String(), Type.Ref(Editable), {
      description: 'per operation name',
    }),
    lines: Type.Record(Type.String(), Type.Ref(LineEditability), { description: 'per line id' }),
    risk: Type.Ref(RiskBeforeChangeSchema),
  },
  { ...closed, $id: 'Editability' },
);

const SummarySide = Type.Object(
  {
    lines: Type.Array(Type.Ref(OrderLine)),
    totals: Type.Ref(Totals),
    adjustments: Type.Object({ discount: Money, increment: Money }, closed),
  },
  closed,
);

export const ChangeSummary = Type.Object(
  {
    original: SummarySide,
    current: SummarySide,
    added: Type.Array(Type.Ref(OrderLine)),
    removed: Type.Array(Type.Ref(OrderLine)),
    replaced: Type.Array(
      Type.Object(
        {
          changeId: Type.String(),
          from: Nullable(Type.Ref(LineView)),
          to: Nullable(Type.Ref(LineView)),
        },
        closed,
      ),
    ),
    totalsDelta: Type.Record(Type.String(), Money),
    changes: Type.Integer(),
    lastChangeAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { ...closed, $id: 'ChangeSummary' },
);

export const CHANGE_COMPONENTS = [
  Operation,
  ApprovalReason,
  Approval,
  Effect,
  LineView,
  Plan,
  Outcome,
  Change,
  CustomerNoticePreview,
  ChangePreview,
  HistoryEntry,
  Editable,
  PickerLineLimits,
  LineEditability,
  Editability,
  ChangeSummary,
];
