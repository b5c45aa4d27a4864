/** Shapes shared by many routes. TypeBox checks shape only; business rules live in the domain. */
import { Type, type TSchema } from '@sinclair/typebox';

export const IdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
};

export const Money = Type.Integer({ description: 'minor units (1299 = 12.99)' });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    hint: Type.String(),
    requestId: Type.String(),
    errors: Type.Optional(
      Type.Array(
        Type.Object(
          {
            code: Type.String(),
            detail: Type.String(),
            hint: Type.String(),
            operationIndex: Type.Optional(Type.Integer()),
            field: Type.Optional(Type.String()),
            vtexCode: Type.Optional(Type.String()),
          },
          { additionalProperties: true },
        ),
      ),
    ),
  },
  { additionalProperties: true, $id: 'Problem' },
);

export const listOf = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** Documents the problem answers of a route in the OpenAPI document. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: 'application/problem+json',
        content: {
          'application/problem+json': { schema: { type: 'object', additionalProperties: true } },
        },
      },
    ]),
  );
}

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export { decodeCursor, encodeCursor } from './cursor.js';
