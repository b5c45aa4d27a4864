/**
 * The canonical import body's shape check, for payloads that arrive outside POST /v1/orders (the
 * `amend` kind through POST /v1/intake/{sourceId}, a corrected payload of a replay): the very
 * schema the route uses, compiled once with the same Ajv settings as the HTTP layer's bodies.
 */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { ImportOrderBody } from '../domain/import-order-schema.js';
import type { ShapeIssue } from '../domain/intake/amend-order.js';

const ajv = new Ajv({
  allErrors: true,
  coerceTypes: false,
  useDefaults: false,
  removeAdditional: false,
  strict: false,
});
(addFormats as unknown as (a: Ajv) => void)(ajv);
const check = ajv.compile(ImportOrderBody);

/** /lines/0/sku → lines[0].sku */
const pathOf = (pointer: string, extra?: unknown) =>
  [...pointer.split('/').filter(Boolean), ...(typeof extra === 'string' ? [extra] : [])].reduce(
    (path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part),
    '',
  );

export function importShapeIssues(payload: unknown): ShapeIssue[] {
  if (check(payload)) return [];
  return (check.errors ?? []).map((e) => {
    const field = pathOf(e.instancePath, e.params.missingProperty ?? e.params.additionalProperty);
    const detail =
      e.keyword === 'required'
        ? `${field} is required`
        : e.keyword === 'additionalProperties'
          ? `unknown field ${field}`
          : `${field || 'body'} ${e.message ?? 'is invalid'}`;
    return { field, detail };
  });
}
