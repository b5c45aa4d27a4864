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
            hint: Type.Optional(Type.String()),
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

/** A named page of a named item (`OrderPage` of `Order`): `{ items, nextCursor }` (API.md §1). */
export const pageOf = <T extends TSchema & { $id?: string }>(item: T) =>
  Type.Object(
    { items: Type.Array(Type.Ref(item)), nextCursor: Type.Union([Type.String(), Type.Null()]) },
    { additionalProperties: false, $id: `${item.$id}Page` },
  );

const PROBLEM_MEANING: Record<number, string> = {
  400: 'The request is malformed: REQUEST_INVALID, each field in `errors`',
  401: 'No valid API key (UNAUTHENTICATED)',
  403: 'The role lacks the permission (PERMISSION_DENIED), or the operation is switched off',
  404: 'What the path names does not exist for this tenant',
  409: 'The state does not allow it now (a conflict; see `code`)',
  412: 'If-Match or expectedVersion names another version (ORDER_VERSION_MISMATCH)',
  413: 'The body is over 1 MiB (BODY_TOO_LARGE)',
  422: 'The request is well-formed but refused by a rule: every refusal in `errors`',
  429: 'Too many requests or failed authentications: wait `Retry-After` seconds',
  500: 'An unexpected error (INTERNAL) with a log reference',
  503: 'Not ready yet (migrating) or shutting down',
};

/** One documented problem answer: application/problem+json of the `Problem` component. */
export const problemResponse = (status: number) => ({
  description: PROBLEM_MEANING[status] ?? 'application/problem+json',
  content: { 'application/problem+json': { schema: Type.Ref(ProblemSchema) } },
});

/** Documents the problem answers of a route in the OpenAPI document (routes also get the standard ones: problem-responses.ts). */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, problemResponse(s)]));
}

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export { decodeCursor, encodeCursor } from './cursor.js';
