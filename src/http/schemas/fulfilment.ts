/** Shapes of the fulfilment routes (API.md §3, §2 GET /v1/pick-jobs). Conditions live in domain/fulfilment.ts. */
import { Type } from '@sinclair/typebox';
import { BOUNDS } from '../../domain/bounds.js';
import { PICK_JOB_STATUSES } from '../../domain/order.js';
import { PageQuery } from './common.js';

const strict = { additionalProperties: false } as const;

export const PicksBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        {
          lineId: Type.String({ minLength: 1, maxLength: 100 }),
          quantity: Type.Integer({ minimum: 1, maximum: BOUNDS.quantity }),
        },
        strict,
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  strict,
);

/** The body is optional: without one the carrier is the order's, else 'standard'. */
export const LabelBody = Type.Object(
  { carrier: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
  strict,
);

export const PickJobListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Type.Union(PICK_JOB_STATUSES.map((s) => Type.Literal(s)))),
    facilityId: Type.Optional(Type.String({ maxLength: 128 })),
    mine: Type.Optional(Type.Boolean({ description: 'only pick jobs assigned to the caller' })),
  },
  strict,
);
