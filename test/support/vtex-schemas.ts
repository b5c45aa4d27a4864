/**
 * VTEX's answer shapes as validators for the facade's answers: always our own restatement
 * (test/fixtures/vtex/vtex-shapes.json, see its SOURCES.md); and, when VTEX_ORDERS_API_JSON names a
 * copy of VTEX's own OpenAPI description (it is not in the repository), that original as well.
 * Where VTEX's schemas contradict each other or its examples, the original is loosened at the places
 * RELAXED lists, with the reason, and nowhere else; the restatement states the same choice there.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

const SHAPES = new URL('../fixtures/vtex/vtex-shapes.json', import.meta.url);

/** The operations whose answers are checked; the restatement names its definitions after them. */
export type VtexOperation =
  | 'RegisterChange'
  | 'GetOrder'
  | 'GetChangeSummary'
  | 'Createchange'
  | 'GetChangeHistory'
  | 'GetChangeDetail'
  | 'PreviewChange'
  | 'RetryChange'
  | 'CancelChangeStoppedonError'
  | 'Error';

const ours = new Ajv({ allErrors: true, allowUnionTypes: true });
ours.addSchema(JSON.parse(readFileSync(SHAPES, 'utf8')) as Json);

/** The schema errors of `body` as VTEX's answer to `operation` ([] when it conforms). */
export function vtexSchemaErrors(operation: VtexOperation, body: unknown): ErrorObject[] {
  const validate = ours.getSchema(`vtex-shapes#/definitions/${operation}`);
  if (!validate) throw new Error(`vtex-shapes.json has no definition ${operation}`);
  return validate(body) ? [] : [...(validate.errors ?? [])];
}

// ---- VTEX's original description, when a copy is named ----

/** Where a copy of VTEX's "Orders API" OpenAPI description (or its excerpt) is; unset: not checked. */
export const VTEX_ORIGINAL = process.env.VTEX_ORDERS_API_JSON || undefined;

/** [JSON pointer into the original, the schema accepted there, why]. */
export const RELAXED: [string, Json, string][] = [
  [
    '/components/schemas/response202/properties/totals/items',
    { type: 'object' },
    "Create's 202 types totals[] as strings; Detail, History and Preview type it as objects { id, name, value } and their examples show objects.",
  ],
  ...['response202', 'Detail', 'Preview'].flatMap((op): [string, Json, string][] =>
    ['add', 'remove'].map((key) => [
      `${schemaOf(op)}/properties/${key}`,
      { type: 'object', nullable: true },
      `${op} types ${key} as an array of strings; History types it as an object (VTEX's examples show only null).`,
    ]),
  ),
  [
    '/components/schemas/Item4/properties/price',
    { type: 'integer', nullable: true },
    "From2's Item4 types price as a string; every VTEX example (History, Preview) shows an integer, as Replace1's from item types it.",
  ],
  [
    '/components/schemas/ChangeSummary/properties/totals',
    { type: 'array', items: { $ref: '#/components/schemas/TotalsUpdated/items' } },
    "ChangeSummary's totals are an array of TotalsUpdated, itself an array; VTEX's example shows one array of { id, name, value }.",
  ],
];

function schemaOf(op: string): string {
  const base = '/paths/~1api~1order-system~1orders~1{changeOrderId}~1changes';
  if (op === 'response202') return '/components/schemas/response202';
  if (op === 'Detail')
    return `${base}~1{changeRequestId}/get/responses/200/content/application~1json/schema`;
  return `${base}~1preview/post/responses/200/content/application~1json/schema`;
}

function setAt(doc: Json, pointer: string, value: Json): void {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = parts.pop() as string;
  let node = doc;
  for (const p of parts) {
    if (!(p in node)) throw new Error(`RELAXED: ${pointer} is not in ${VTEX_ORIGINAL}`);
    node = node[p] as Json;
  }
  if (!(last in node)) throw new Error(`RELAXED: ${pointer} is not in ${VTEX_ORIGINAL}`);
  node[last] = value;
}

/** Where each operation's success schema is in the original (Retry and Cancel document no body). */
const ORIGINAL_ANSWERS: Partial<Record<VtexOperation, [string, string, number]>> = {
  RegisterChange: ['/api/oms/pvt/orders/{orderId}/changes', 'post', 200],
  GetOrder: ['/api/oms/pvt/orders/{orderId}', 'get', 200],
  GetChangeSummary: ['/api/orders/pvt/document/{orderId}/change-summary', 'get', 200],
  Createchange: ['/api/order-system/orders/{changeOrderId}/changes', 'patch', 202],
  GetChangeHistory: ['/api/order-system/orders/{changeOrderId}/changes', 'get', 200],
  GetChangeDetail: [
    '/api/order-system/orders/{changeOrderId}/changes/{changeRequestId}',
    'get',
    200,
  ],
  PreviewChange: ['/api/order-system/orders/{changeOrderId}/changes/preview', 'post', 200],
};

/** The operations the original has an answer schema for. */
export const VTEX_ORIGINAL_OPERATIONS = Object.keys(ORIGINAL_ANSWERS) as VtexOperation[];

let original: Ajv | undefined;
function originalAjv(file: string): Ajv {
  if (original) return original;
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
  for (const [pointer, schema] of RELAXED) setAt(doc, pointer, schema);
  original = new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv) => void)(original);
  original.addSchema({ ...doc, $id: 'vtex' });
  return original;
}

const pointerOf = (path: string) => path.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The errors of `body` against VTEX's original schema for the operation; undefined when no copy is
 * named (VTEX_ORDERS_API_JSON) or the original documents no body for it (Retry, Cancel, errors).
 */
export function vtexOriginalSchemaErrors(
  operation: VtexOperation,
  body: unknown,
): ErrorObject[] | undefined {
  const at = ORIGINAL_ANSWERS[operation];
  if (!VTEX_ORIGINAL || !at) return undefined;
  const [path, method, status] = at;
  const ajv = originalAjv(VTEX_ORIGINAL);
  const ref = `vtex#/paths/${pointerOf(path)}/${method}/responses/${status}/content/application~1json/schema`;
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  return validate(body) ? [] : [...(validate.errors ?? [])];
}
