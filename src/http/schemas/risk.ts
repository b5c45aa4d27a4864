/** The risk fields and routes (docs/risk.md) as TypeBox: the OpenAPI document is built from these. */
import { Type } from '@sinclair/typebox';

const nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);

const closed = { additionalProperties: false } as const;

export const UnusualActorSchema = Type.Object(
  {
    actorId: Type.String(),
    role: Type.String(),
    group: Type.String({ description: 'the group of operations: price, line, address, …' }),
    count: Type.Integer(),
    usual: Type.Number({ description: "the actor's usual count per active window" }),
    factor: Type.Number(),
    at: Type.Union([Type.String(), Type.Null()]),
    reason: Type.String({ examples: ["14 price overrides in 10 minutes, 6× this agent's usual."] }),
  },
  { ...closed, $id: 'UnusualActor' },
);
const UnusualActor = Type.Ref(UnusualActorSchema);

/** approval.risk on a preview, a change and the approvals queue. */
export const RiskVerdictSchema = Type.Object(
  {
    score: Type.Integer({ minimum: 0, maximum: 100 }),
    band: Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]),
    reasons: Type.Array(
      Type.Object({ feature: Type.String(), effect: Type.Number(), text: Type.String() }),
    ),
    modelVersion: Type.Union([Type.Integer(), Type.Null()], {
      description: 'the model version that scored; null when the fixed rules scored',
    }),
    source: Type.Union([Type.Literal('model'), Type.Literal('rules')]),
    unusualActor: Type.Union([UnusualActor, Type.Null()]),
    autoApproved: Type.Boolean({ description: 'the model approved the change itself' }),
    input: Type.Object({}, { additionalProperties: true, description: 'what was scored' }),
  },
  { ...closed, $id: 'RiskVerdict' },
);
export const RiskVerdict = RiskVerdictSchema;

const RiskReason = Type.Object({
  feature: Type.String(),
  effect: Type.Number(),
  text: Type.String(),
});

/** editability.risk: what each operation would score on this order for this requester now. */
export const RiskBeforeChangeSchema = Type.Object(
  {
    modelVersion: Type.Union([Type.Integer(), Type.Null()]),
    unusualActor: Type.Union([UnusualActor, Type.Null()]),
    operations: Type.Record(
      Type.String(),
      Type.Object(
        {
          score: Type.Integer({ minimum: 0, maximum: 100 }),
          band: Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]),
          reasons: Type.Array(RiskReason),
        },
        closed,
      ),
      { description: 'per operation name' },
    ),
  },
  { ...closed, $id: 'RiskBeforeChange' },
);

const Threshold = Type.Object({
  threshold: Type.Number(),
  flagged: Type.Integer(),
  precision: nullable(Type.Number()),
  recall: nullable(Type.Number()),
});

export const EvaluationSchema = Type.Object(
  {
    trainedOn: Type.Integer(),
    heldOut: Type.Integer(),
    splitAt: Type.Union([Type.String(), Type.Null()]),
    positiveRate: nullable(Type.Number()),
    model: Type.Object({
      auc: nullable(Type.Number()),
      thresholds: Type.Array(Threshold),
      calibration: Type.Array(
        Type.Object({
          from: Type.Number(),
          to: Type.Number(),
          count: Type.Integer(),
          predicted: nullable(Type.Number()),
          observed: nullable(Type.Number()),
        }),
      ),
    }),
    rules: Type.Object({ auc: nullable(Type.Number()), thresholds: Type.Array(Threshold) }),
    autoApproved: Type.Object({ share: Type.Number(), badRate: nullable(Type.Number()) }),
  },
  { ...closed, $id: 'RiskEvaluation' },
);

export const RiskSummarySchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('rules'), Type.Literal('model'), Type.Literal('both')]),
    modelInCharge: Type.Boolean(),
    decisions: Type.Integer(),
    model: Type.Union([
      Type.Object({ version: Type.Integer(), trainedAt: Type.String(), decisions: Type.Integer() }),
      Type.Null(),
    ]),
    evaluation: Type.Union([Type.Ref(EvaluationSchema), Type.Null()]),
    unusualActors: Type.Array(UnusualActor),
  },
  { ...closed, $id: 'RiskSummary' },
);

export const TrainResultSchema = Type.Object(
  {
    trained: Type.Boolean(),
    version: Type.Optional(Type.Integer()),
    decisions: Type.Integer(),
    harvested: Type.Integer(),
    reason: Type.Optional(Type.String()),
    evaluation: Type.Optional(Type.Union([Type.Ref(EvaluationSchema), Type.Null()])),
  },
  { ...closed, $id: 'RiskTrainResult' },
);

export const RISK_COMPONENTS = [
  UnusualActorSchema,
  RiskVerdictSchema,
  RiskBeforeChangeSchema,
  EvaluationSchema,
  RiskSummarySchema,
  TrainResultSchema,
];
