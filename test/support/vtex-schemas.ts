/**
 * VTEX's own JSON schemas (test/fixtures/vtex, see its SOURCES.md) as validators for the facade's
 * answers. Where VTEX's examples, or its schemas among themselves, contradict a schema, both are
 * accepted: each such place is listed in RELAXED with the reason, and nowhere else is one loosened.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

const FIXTURE = new URL('../fixtures/vtex/orders-api-changes.json', import.meta.url);

type Json = Record<string, unknown>;

/** [JSON pointer into the fixture, the schema accepted there, why]. */
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
  let node = doc as Json;
  for (const p of parts) {
    if (!(p in node)) throw new Error(`RELAXED: ${pointer} is not in the fixture`);
    node = node[p] as Json;
  }
  if (!(last in node)) throw new Error(`RELAXED: ${pointer} is not in the fixture`);
  node[last] = value;
}

const doc = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Json;
for (const [pointer, schema] of RELAXED) setAt(doc, pointer, schema);

const ajv = new Ajv({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
ajv.addSchema({ ...doc, $id: 'vtex' });

/** The operations whose answers are checked, and where their success schema is. */
const ANSWERS = {
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
} as const;

export type VtexOperation = keyof typeof ANSWERS;

const pointerOf = (path: string) => path.replace(/~/g, '~0').replace(/\//g, '~1');

/** The schema errors of `body` as VTEX's answer to `operation` ([] when it conforms). */
export function vtexSchemaErrors(operation: VtexOperation, body: unknown): ErrorObject[] {
  const [path, method, status] = ANSWERS[operation];
  const ref = `vtex#/paths/${pointerOf(path)}/${method}/responses/${status}/content/application~1json/schema`;
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
  return validate(body) ? [] : [...(validate.errors ?? [])];
}
