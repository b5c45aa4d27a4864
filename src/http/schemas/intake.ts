/** Shapes of the intake contract (INTAKE.md §2–4). TypeBox checks shape only; rules live in the domain. */
import { Type } from '@sinclair/typebox';
import { lit } from '../../domain/import-order-schema.js';
import { PROFILES } from '../../domain/intake/profile.js';
import { INTAKE_STATUSES } from '../../domain/intake/record.js';
import { SOURCE_KINDS } from '../../domain/intake/source.js';
import { Nullable, PageQuery } from './common.js';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ minLength: 1, maxLength: 128 });

export const ValidationSchema = Type.Object(
  {
    profile: Type.Optional(lit(PROFILES)),
    requireEmail: Type.Optional(Type.Boolean()),
    requirePhone: Type.Optional(Type.Boolean()),
    allowedCountries: Type.Optional(
      Type.Array(Type.String({ minLength: 2, maxLength: 2 }), { maxItems: 250 }),
    ),
    totalToleranceMinor: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    unknownSku: Type.Optional(Type.Literal('dead-letter')),
  },
  strict,
);
const ValidationPatch = Type.Union([ValidationSchema, Type.Null()]);

const CredentialsSchema = Type.Object(
  {
    appKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    appToken: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    webhookSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    key: Type.Optional(Nullable(Type.String({ minLength: 16, maxLength: 500 }))),
  },
  strict,
);

const sourceFields = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  enabled: Type.Optional(Type.Boolean()),
  channel: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  credentials: Type.Optional(CredentialsSchema),
  validation: Type.Optional(ValidationPatch),
  accounts: Type.Optional(
    Type.Record(
      Type.String({ maxLength: 200 }),
      Nullable(Type.Object({ validation: Type.Optional(ValidationPatch) }, strict)),
    ),
  ),
  skuMap: Type.Optional(
    Type.Record(
      Type.String({ maxLength: 200 }),
      Nullable(Type.String({ minLength: 1, maxLength: 100 })),
    ),
  ),
  expectedIntervalSeconds: Type.Optional(
    Nullable(Type.Integer({ minimum: 1, maximum: 31_536_000 })),
  ),
  retry: Type.Optional(
    Type.Object(
      {
        maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
        baseMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 3_600_000 })),
      },
      strict,
    ),
  ),
};

export const SourceBody = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 63 }),
    kind: lit(SOURCE_KINDS),
    ...sourceFields,
    name: Type.String({ minLength: 1, maxLength: 200 }),
  },
  strict,
);
export const SourcePatch = Type.Object(
  { kind: Type.Optional(lit(SOURCE_KINDS)), ...sourceFields },
  strict,
);

const Settings = Type.Object({
  profile: lit(PROFILES),
  requireEmail: Type.Boolean(),
  requirePhone: Type.Boolean(),
  allowedCountries: Type.Array(Type.String()),
  totalToleranceMinor: Type.Integer(),
  unknownSku: Type.String(),
});

export const SourceView = Type.Object(
  {
    id: Type.String(),
    kind: lit(SOURCE_KINDS),
    name: Type.String(),
    enabled: Type.Boolean(),
    channel: Type.String(),
    credentials: Type.Record(Type.String(), Type.String(), {
      description: 'secrets shown as "***"',
    }),
    validation: Settings,
    accounts: Type.Record(
      Type.String(),
      Type.Object({ validation: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }),
    ),
    skuMap: Type.Record(Type.String(), Type.String()),
    expectedIntervalSeconds: Nullable(Type.Integer()),
    retry: Type.Object({ maxAttempts: Type.Integer(), baseMs: Type.Integer() }),
    intakeUrl: Type.String(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'IntakeSource' },
);

export const HealthView = Type.Object(
  {
    status: lit(['healthy', 'degraded', 'down', 'silent'] as const),
    lastReceivedAt: Nullable(Type.String()),
    lastImportedAt: Nullable(Type.String()),
    received24h: Type.Integer(),
    imported24h: Type.Integer(),
    deadLettered24h: Type.Integer(),
    duplicates24h: Type.Integer(),
    errorRate1h: Type.Number(),
    lagMs: Type.Object({ p50: Nullable(Type.Number()), p99: Nullable(Type.Number()) }),
    openDeadLetters: Type.Integer(),
    retrying: Type.Integer(),
  },
  { $id: 'IntakeHealth' },
);

const Reason = Type.Object({
  factor: Type.String(),
  detail: Type.String(),
  points: Type.Integer(),
});
export const RecordView = Type.Object(
  {
    id: Type.String(),
    sourceId: Type.String(),
    account: Nullable(Type.String()),
    kind: Type.String(),
    status: lit(INTAKE_STATUSES),
    receivedAt: Type.String(),
    updatedAt: Type.String(),
    attempts: Type.Integer(),
    nextAttemptAt: Nullable(Type.String()),
    orderId: Nullable(Type.String()),
    duplicateOf: Nullable(Type.String()),
    channelOrderRef: Nullable(Type.String()),
    webhookId: Nullable(Type.String()),
    code: Nullable(Type.String()),
    detail: Nullable(Type.String()),
    hint: Nullable(Type.String()),
    errors: Type.Array(
      Type.Object(
        { code: Type.String(), detail: Type.String(), field: Type.Optional(Type.String()) },
        { additionalProperties: true },
      ),
    ),
    impact: Type.Object({ score: Type.Integer(), reasons: Type.Array(Reason) }),
    payload: Type.Unknown(),
    canonical: Type.Unknown(),
    valueMinor: Nullable(Type.Integer()),
    history: Type.Array(
      Type.Object(
        {
          at: Type.String(),
          status: Type.String(),
          code: Type.Optional(Type.String()),
          detail: Type.Optional(Type.String()),
        },
        { additionalProperties: true },
      ),
    ),
    importedAt: Nullable(Type.String()),
    deadLetteredAt: Nullable(Type.String()),
  },
  { $id: 'IntakeRecord' },
);

export const Accepted = Type.Object(
  {
    id: Type.String(),
    sourceId: Type.String(),
    status: lit(INTAKE_STATUSES),
    orderId: Nullable(Type.String()),
    duplicateOf: Nullable(Type.String()),
  },
  { $id: 'IntakeAccepted' },
);

export const RecordListQuery = Type.Object(
  {
    ...PageQuery,
    sourceId: Type.Optional(Id),
    status: Type.Optional(lit(INTAKE_STATUSES)),
    code: Type.Optional(Type.String({ maxLength: 64 })),
    sort: Type.Optional(lit(['received', 'impact'] as const)),
  },
  strict,
);

export const SourceParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 128, description: "the source's id" }) },
  strict,
);
export const ReplayBody = Type.Object({ payload: Type.Optional(Type.Unknown()) }, strict);
export const DiscardBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000 }) },
  strict,
);
export const BulkReplayBody = Type.Object(
  { sourceId: Type.Optional(Id), code: Type.Optional(Type.String({ maxLength: 64 })) },
  strict,
);

/** The intake contract's named answers (components of /openapi.json). */
export const INTAKE_COMPONENTS = [SourceView, HealthView, RecordView, Accepted];
