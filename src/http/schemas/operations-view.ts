/**
 * What the operational endpoints answer (API.md §5–6): bulk jobs, the payment simulator, webhooks
 * and their deliveries, the inbox, pick jobs, the KPIs and the integrity checks, as named components.
 */
import { Type } from '@sinclair/typebox';
import { lit } from '../../domain/import-order-schema.js';
import { BulkCountsSchema } from '../../domain/bulk-summary.js';
import { KPI_TARGET_NAMES } from '../../domain/kpi-targets.js';
import { Nullable } from './common.js';
import { Operation } from './change-view.js';
import { Label, PickJob } from './order-view.js';

const closed = { additionalProperties: false } as const;
const At = Type.String({ format: 'date-time' });
const Count = Type.Integer({ minimum: 0 });

export const BulkJob = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    status: lit(['queued', 'running', 'completed', 'canceled'] as const),
    total: Count,
    done: Count,
    succeeded: Count,
    failed: Count,
    results: Type.Array(
      Type.Object(
        {
          orderId: Type.Optional(Type.String()),
          intakeId: Type.Optional(Type.String({ description: 'intake replay jobs' })),
          changeId: Type.Optional(Type.String()),
          status: Type.String(),
          code: Type.Optional(Type.String()),
        },
        closed,
      ),
    ),
    createdAt: At,
    updatedAt: At,
    acknowledgedAt: Nullable({
      ...At,
      description: "when its requester acknowledged the job's inbox summary",
    }),
  },
  { ...closed, $id: 'BulkJob' },
);

const FAILURES = ['none', 'decline', 'timeout', 'unavailable'] as const;

export const SimulatorRule = Type.Object(
  {
    method: Type.String(),
    failure: lit(FAILURES),
    times: Nullable(Type.Integer({ description: 'calls left that fail; null: until reset' })),
    latencyMs: Type.Integer(),
    gateway: Type.String({ description: 'the gateway the server uses' }),
  },
  { ...closed, $id: 'SimulatorRule' },
);

export const SimulatorRules = Type.Object(
  {
    gateway: Type.String(),
    items: Type.Array(Type.Omit(SimulatorRule, ['gateway'], closed)),
  },
  { ...closed, $id: 'SimulatorRules' },
);

const webhookFields = {
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  createdAt: At,
};
export const Webhook = Type.Object(webhookFields, { ...closed, $id: 'Webhook' });
export const WebhookCreated = Type.Object(
  { ...webhookFields, secret: Type.String({ description: 'shown once: signs every delivery' }) },
  { ...closed, $id: 'WebhookCreated' },
);

export const WebhookDelivery = Type.Object(
  {
    id: Type.String(),
    webhookId: Type.String(),
    eventId: Type.String(),
    eventType: Type.String(),
    status: Type.String(),
    attempts: Count,
    lastStatusCode: Nullable(Type.Integer()),
    lastError: Nullable(Type.String()),
    nextAttemptAt: Nullable(At),
    replayOf: Nullable(Type.String()),
    createdAt: At,
    updatedAt: At,
  },
  { ...closed, $id: 'WebhookDelivery' },
);

const inboxFields = {
  id: Type.String(),
  detail: Type.String({ description: 'what happened, one sentence' }),
  nextStep: Type.String({ description: 'what to do next; empty when nothing is to do' }),
  at: At,
  acknowledgedAt: Nullable(At),
  app: Nullable(Type.String({ description: 'the app that asked for the change' })),
  operations: Type.Array(Type.Ref(Operation), { description: 'what the change asked for' }),
};

export const ChangeInboxEntry = Type.Object(
  {
    kind: Type.Literal('change'),
    ...inboxFields,
    changeId: Type.String(),
    orderId: Type.String(),
    outcome: lit(['applied', 'rejected', 'failed', 'canceled'] as const),
    code: Type.String(),
    ticket: Nullable(Type.String({ description: "the change's ticket" })),
    orderRef: Nullable(Type.String({ description: "the order's reference in its channel" })),
    lineNames: Type.Record(Type.String(), Type.String(), {
      description: 'the names of the lines the operations name, by line id',
    }),
    bulkJobId: Nullable(
      Type.String({
        description: 'the bulk job that made the change, which was still waiting at its end',
      }),
    ),
  },
  { ...closed, $id: 'ChangeInboxEntry', description: 'the final outcome of one of my changes' },
);

export const BulkJobInboxEntry = Type.Object(
  {
    kind: Type.Literal('bulk-job'),
    ...inboxFields,
    outcome: Type.Literal('completed'),
    bulkJobId: Type.String({ description: 'GET /v1/bulk-changes/{id}' }),
    jobKind: Type.String({ description: 'bulk-change or reroute-unroutable' }),
    counts: { ...BulkCountsSchema, description: "the job's orders as they stood at its end" },
  },
  {
    ...closed,
    $id: 'BulkJobInboxEntry',
    description:
      "one of my bulk jobs ended: its changes' outcomes in one entry; acknowledging it acknowledges the job",
  },
);

export const InboxEntry = Type.Union([Type.Ref(ChangeInboxEntry), Type.Ref(BulkJobInboxEntry)], {
  $id: 'InboxEntry',
  description: 'a change\'s outcome (kind "change") or a bulk job\'s summary (kind "bulk-job")',
});

export const InboxPage = Type.Object(
  {
    items: Type.Array(Type.Ref(InboxEntry)),
    nextCursor: Nullable(Type.String()),
    unacknowledgedRejections: Count,
  },
  { ...closed, $id: 'InboxPage' },
);

export const PickJobEntry = Type.Composite([PickJob, Type.Object({ orderId: Type.String() })], {
  ...closed,
  $id: 'PickJobEntry',
});

export const LabelEntry = Type.Composite([Label, Type.Object({ orderId: Type.String() })], {
  ...closed,
  $id: 'LabelEntry',
});

const Percentiles = Type.Object(
  { p50: Nullable(Type.Number()), p90: Nullable(Type.Number()), count: Count },
  closed,
);
const Tally = Type.Record(Type.String(), Type.Integer());

export const KpiTargetStatus = Type.Object(
  {
    kpi: lit(KPI_TARGET_NAMES),
    target: Type.Number(),
    actual: Nullable(Type.Number()),
    status: lit(['met', 'missed', 'no-data'] as const),
    windowHours: Type.Integer(),
    detail: Type.String(),
  },
  { ...closed, $id: 'KpiTargetStatus' },
);

export const Kpis = Type.Object(
  {
    from: At,
    to: At,
    modificationRate: Nullable(Type.Number()),
    ordersCreated: Count,
    ordersModified: Count,
    resolutionMs: Percentiles,
    rejectionsByCode: Tally,
    changesByApp: Tally,
    changesByChannel: Tally,
    changesByStatus: Tally,
    integrityErrors: Count,
    lastVerify: Type.Object({ findings: Count, at: At, ordersChecked: Count }, closed),
    unacknowledgedRejections: Count,
    intake: Type.Object(
      {
        received: Count,
        imported: Count,
        successRate: Nullable(Type.Number()),
        deadLettersByCode: Tally,
        timeToRecoverMs: Percentiles,
      },
      closed,
    ),
    daily: Type.Array(
      Type.Object({ date: Type.String(), changes: Count, rejected: Count }, closed),
    ),
    targets: Type.Array(Type.Ref(KpiTargetStatus), {
      description: "seed 002's targets held against this range's actuals",
    }),
  },
  { ...closed, $id: 'Kpis' },
);

export const IntegrityRun = Type.Object(
  {
    id: Type.String(),
    at: At,
    ordersChecked: Count,
    findings: Count,
    violations: Type.Array(
      Type.Object({ rule: Type.String(), orderId: Type.String(), detail: Type.String() }, closed),
      { description: "this tenant's findings (the first 500)" },
    ),
  },
  { ...closed, $id: 'IntegrityRun' },
);

export const OPERATIONS_COMPONENTS = [
  BulkJob,
  SimulatorRule,
  SimulatorRules,
  Webhook,
  WebhookCreated,
  WebhookDelivery,
  ChangeInboxEntry,
  BulkJobInboxEntry,
  InboxEntry,
  InboxPage,
  PickJobEntry,
  LabelEntry,
  KpiTargetStatus,
  Kpis,
  IntegrityRun,
];
