/**
 * Our restatement of VTEX's answer shapes (test/fixtures/vtex/vtex-shapes.json) takes the facade's
 * real answers and refuses wrong ones; with VTEX_ORDERS_API_JSON naming a copy of VTEX's original
 * OpenAPI description, the original agrees on both (skipped without one: it is not committed).
 */
import { describe, expect, it } from 'vitest';
import { publicPlan, type Change } from '../../src/domain/change/change.js';
import { planChange } from '../../src/domain/change/plan-change.js';
import { summarizeChanges } from '../../src/domain/change/summary.js';
import type { ChangeRequest } from '../../src/domain/change/types.js';
import { aContext, anOrder } from '../../src/domain/test-builders.js';
import {
  sourceOf,
  vtexChangeBody,
  vtexChangeOf,
  vtexDetailOf,
} from '../../src/domain/vtex/change-view.js';
import { vtexErrorOf } from '../../src/domain/vtex/errors.js';
import { vtexOrderOf } from '../../src/domain/vtex/order-view.js';
import { vtexSummaryOf } from '../../src/domain/vtex/summary-view.js';
import {
  VTEX_ORIGINAL,
  VTEX_ORIGINAL_OPERATIONS,
  vtexOriginalSchemaErrors,
  vtexSchemaErrors,
  type VtexOperation,
} from '../support/vtex-schemas.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const facts = () => ({ measurementUnit: 'un', taxRate: 1900 });
const ctx = { account: 'demo', facts };
const request: ChangeRequest = {
  operations: [
    { op: 'replaceItem', lineId: 'l1', sku: 'PEAR', quantity: 1 },
    { op: 'removeItem', lineId: 'l2' },
    { op: 'addItem', sku: 'MILK', quantity: 3 },
    { op: 'adjustTotal', discount: 100, increment: 30 },
  ],
  reason: { code: 'CUSTOMER_REQUEST', text: 'Customer called' },
};

const order = anOrder();
const planned = planChange(order, request, aContext());
if (!planned.ok) throw new Error(JSON.stringify(planned.refusals));
const change: Change = {
  id: 'chg1',
  orderId: order.id,
  ticket: 'MOD-000001',
  status: 'applied',
  requestedBy: { actorId: 'u1', role: 'agent', app: 'api' },
  reason: request.reason ?? null,
  operations: request.operations,
  baseVersion: 0,
  orderVersion: 1,
  plan: publicPlan(planned.value),
  approval: null,
  undoOf: null,
  outcome: null,
  transitions: [],
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:00:01.000Z',
};
const after = { ...planned.value.after, version: 1 };

/** The facade's answers, made by the same views its routes answer with. */
const answers = (): Record<VtexOperation, unknown> => ({
  RegisterChange: { date: change.createdAt, orderId: order.id, receipt: change.id },
  Createchange: vtexChangeOf(change, ctx),
  PreviewChange: vtexChangeBody(sourceOf(change), ctx),
  GetChangeHistory: { requests: [vtexChangeOf(change, ctx)], actions: [] },
  GetChangeDetail: vtexDetailOf(change, ctx),
  RetryChange: '',
  CancelChangeStoppedonError: {},
  GetChangeSummary: vtexSummaryOf(summarizeChanges(order, after, [change]), [change], facts),
  GetOrder: vtexOrderOf(after, [change]),
  Error: {
    error: { ...vtexErrorOf('LINE_NOT_FOUND', 'd', 'v2', { item: 'WINE' }), exception: null },
  },
});

/** [operation, what is wrong, the wrong answer made from a right one, where the error is]. */
const WRONG: [VtexOperation, string, (a: Json) => unknown, string][] = [
  ['RegisterChange', 'a receipt that is a number', (a) => ({ ...a, receipt: 42 }), '/receipt'],
  [
    'Createchange',
    'no requestId',
    ({ requestId: _, ...a }) => a,
    "must have required property 'requestId'",
  ],
  [
    'PreviewChange',
    'a total whose value is a string',
    (a) => ({ ...a, totals: [{ ...a.totals[0], value: '12' }] }),
    '/totals/0/value',
  ],
  [
    'PreviewChange',
    'a replacement without receiptData',
    (a) => {
      const { receiptData: _, ...to } = a.replace[0].to;
      return { ...a, replace: [{ ...a.replace[0], to }] };
    },
    "must have required property 'receiptData'",
  ],
  [
    'GetChangeDetail',
    'inProgress as a string',
    (a) => ({ ...a, inProgress: 'yes' }),
    '/inProgress',
  ],
  [
    'GetChangeDetail',
    "a weighable to-item's unitMultiplier 0.75 (VTEX types it an integer: the known gap)",
    (a) => ({
      ...a,
      replace: [
        {
          ...a.replace[0],
          to: {
            ...a.replace[0].to,
            items: [{ ...a.replace[0].to.items[0], unitMultiplier: 0.75 }],
          },
        },
      ],
    }),
    '/replace/0/to/items/0/unitMultiplier',
  ],
  [
    'GetChangeHistory',
    'no actions',
    ({ actions: _, ...a }) => a,
    "must have required property 'actions'",
  ],
  ['GetOrder', 'an origin VTEX does not have', (a) => ({ ...a, origin: 'Direct' }), '/origin'],
  [
    'GetOrder',
    'a change without its receipt',
    (a) => {
      const { receipt: _, ...data } = a.changesAttachment.changesData[0];
      return { ...a, changesAttachment: { ...a.changesAttachment, changesData: [data] } };
    },
    "must have required property 'receipt'",
  ],
  [
    'GetChangeSummary',
    'a replacement type VTEX does not have',
    (a) => ({ ...a, replaced: [{ ...a.replaced[0], replaceType: 'Swap' }] }),
    '/replaced/0/replaceType',
  ],
  ['RetryChange', 'a body on a 204', () => '{}', ''],
  ['CancelChangeStoppedonError', 'a non-empty body', () => ({ ok: true }), ''],
  [
    'Error',
    'an error without exception',
    (a) => ({ error: { code: a.error.code, message: a.error.message } }),
    "must have required property 'exception'",
  ],
];

const described = (errors: { instancePath: string; message?: string }[]) =>
  errors.map((e) => `${e.instancePath} ${e.message ?? ''}`).join('; ');

describe("our restatement of VTEX's answer shapes", () => {
  it.each(Object.entries(answers()))("takes the facade's %s answer", (operation, body) => {
    expect(vtexSchemaErrors(operation as VtexOperation, body)).toEqual([]);
  });

  it('makes the wrong answers below from answers with a replacement and an applied change', () => {
    const a = answers() as Record<VtexOperation, Json>;
    expect(a.PreviewChange.replace).toHaveLength(1);
    expect(a.GetChangeSummary.replaced).toHaveLength(1);
    expect(a.GetOrder.changesAttachment.changesData).toHaveLength(1);
  });

  it.each(WRONG)('refuses %s with %s', (operation, _what, wrong, where) => {
    const errors = vtexSchemaErrors(operation, wrong(answers()[operation] as Json));
    expect(errors).not.toEqual([]);
    expect(described(errors)).toContain(where);
  });
});

describe.skipIf(!VTEX_ORIGINAL)("VTEX's original description (VTEX_ORDERS_API_JSON)", () => {
  const inOriginal = (op: VtexOperation) => VTEX_ORIGINAL_OPERATIONS.includes(op);

  it.each(Object.entries(answers()).filter(([op]) => inOriginal(op as VtexOperation)))(
    "takes the facade's %s answer too",
    (operation, body) => {
      expect(vtexOriginalSchemaErrors(operation as VtexOperation, body)).toEqual([]);
    },
  );

  it.each(WRONG.filter(([op]) => inOriginal(op)))(
    'refuses %s with %s too',
    (operation, _what, wrong) => {
      const errors = vtexOriginalSchemaErrors(operation, wrong(answers()[operation] as Json));
      expect(errors).not.toEqual([]);
    },
  );
});
