import { describe, expect, it } from 'vitest';
import type { Change } from '../change/change.js';
import { publicPlan } from '../change/change.js';
import type { ChangeStatus } from '../change/lifecycle.js';
import { planChange } from '../change/plan-change.js';
import type { ChangeRequest } from '../change/types.js';
import { summarizeChanges } from '../change/summary.js';
import { aContext, anOrder } from '../test-builders.js';
import { vtexChangeBody, vtexDetailOf } from './change-view.js';
import { vtexErrorOf } from './errors.js';
import { vtexOrderOf } from './order-view.js';
import { vtexStateOf } from './status.js';
import { vtexSummaryOf } from './summary-view.js';

const facts = () => ({ measurementUnit: 'un', taxRate: 1900 });
const ctx = { account: 'demo', facts };

function changeOf(request: ChangeRequest, over: Partial<Change> = {}): Change {
  const order = anOrder();
  const planned = planChange(order, request, aContext());
  if (!planned.ok) throw new Error(JSON.stringify(planned.refusals));
  return {
    id: 'chg1',
    orderId: order.id,
    ticket: 'MOD-000001',
    status: 'applied',
    requestedBy: { actorId: 'u1', role: 'agent', app: 'api' },
    reason: { code: 'CUSTOMER_REQUEST', text: 'Customer called' },
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
    ...over,
  };
}

const request: ChangeRequest = {
  operations: [
    { op: 'replaceItem', lineId: 'l1', sku: 'PEAR', quantity: 1 },
    { op: 'removeItem', lineId: 'l2' },
    { op: 'addItem', sku: 'MILK', quantity: 3 },
    { op: 'adjustTotal', discount: 100, increment: 30 },
  ],
  reason: { code: 'CUSTOMER_REQUEST', text: 'Customer called' },
};

describe('the VTEX Change object', () => {
  it('lists additions, removals and replacements, and totals that add up to totalChangeValue', () => {
    const body = vtexChangeBody(
      {
        orderId: 'ord1',
        reasonText: 'x',
        operations: request.operations,
        plan: changeOf(request).plan,
        date: 'd',
        component: 'api',
      },
      ctx,
    );
    expect(body.add?.items.map((i) => [i.id, i.quantity])).toEqual([['MILK', 3]]);
    expect(body.remove?.items.map((i) => [i.id, i.quantity])).toEqual([['MILK', 1]]);
    expect(body.replace.map((p) => [p.from.items[0]?.id, p.to.items[0]?.id])).toEqual([
      ['APPLE', 'PEAR'],
    ]);
    expect([body.manualDiscountValue, body.manualIncrementValue]).toEqual([100, 30]);
    expect(body.totals.find((t) => t.id === 'ManualValues')?.value).toBe(-70);
    expect(body.totals.reduce((s, t) => s + t.value, 0)).toBe(body.totalChangeValue);
    expect(body.totalChangeValue).not.toBe(0);
  });

  it('shows the units removed from a line as a removal, not as a from → to pair', () => {
    const partial: ChangeRequest = {
      operations: [{ op: 'removeItem', lineId: 'l1', quantity: 1 }],
      reason: { code: 'CUSTOMER_REQUEST' },
    };
    const body = vtexChangeBody(
      {
        orderId: 'ord1',
        reasonText: 'x',
        operations: partial.operations,
        plan: changeOf(partial).plan,
        date: 'd',
        component: 'api',
      },
      ctx,
    );
    expect(body.remove?.items.map((i) => [i.id, i.quantity])).toEqual([['APPLE', 1]]);
    expect(body.replace).toEqual([]);
  });

  it('shows the units removed from a line as a removal, not as a from → to pair', () => {
    const partial: ChangeRequest = {
      operations: [{ op: 'removeItem', lineId: 'l1', quantity: 1 }],
      reason: { code: 'CUSTOMER_REQUEST' },
    };
    const body = vtexChangeBody(
      {
        orderId: 'ord1',
        reasonText: 'x',
        operations: partial.operations,
        plan: changeOf(partial).plan,
        date: 'd',
        component: 'api',
      },
      ctx,
    );
    expect(body.remove?.items.map((i) => [i.id, i.quantity])).toEqual([['APPLE', 1]]);
    expect(body.replace).toEqual([]);
  });

  it('shows no add, remove or totals for a change not yet planned', () => {
    const body = vtexChangeBody(
      { orderId: 'o', reasonText: 'x', operations: [], plan: null, date: 'd', component: 'api' },
      ctx,
    );
    expect([body.add, body.remove, body.totals, body.totalChangeValue]).toEqual([
      null,
      null,
      [],
      0,
    ]);
  });

  it("carries a refused change's outcome as VTEX's error in the detail", () => {
    const failed = changeOf(request, {
      status: 'failed',
      outcome: { code: 'CHANGE_FAILED_AFTER_RETRIES', detail: 'd', nextStep: 'n' },
    });
    expect(vtexDetailOf(failed, ctx)).toMatchObject({
      status: 'waiting-confirmation',
      inProgress: true,
      error: { code: 'SalesOrderSystem017' },
    });
  });

  it('says a change that could not be written as VTEX says a change the system ended (SalesOrderSystem017)', () => {
    const failed = changeOf(request, {
      status: 'failed',
      outcome: { code: 'CHANGE_COMMIT_FAILED', detail: 'value out of range', nextStep: 'n' },
    });
    expect(vtexDetailOf(failed, ctx).error).toEqual({
      code: 'SalesOrderSystem017',
      message: 'Change process was automatically canceled after failed retries.',
    });
  });
});

describe('VTEX statuses', () => {
  const at = '2026-01-01T00:00:00Z';
  const t = (status: ChangeStatus, cause = 'request') => ({ status, at, actorId: 'u', cause });
  it.each([
    ['validated', [], 'waiting-acknowledgement', true],
    ['awaiting-seller', [t('awaiting-seller')], 'waiting-acknowledgement', true],
    [
      'awaiting-seller',
      [t('awaiting-seller'), t('awaiting-seller', 'seller-acknowledged')],
      'waiting-confirmation',
      true,
    ],
    ['failed', [], 'waiting-confirmation', true],
    ['applied', [], 'done', false],
    ['rejected', [], 'canceled', false],
    ['canceled', [], 'canceled', false],
  ] as const)('%s (%j) is %s', (status, transitions, vtex, inProgress) => {
    expect(vtexStateOf({ status, transitions: [...transitions] })).toEqual({
      status: vtex,
      inProgress,
    });
  });

  it('forgets an acknowledgment from before a retry', () => {
    const transitions = [
      t('awaiting-seller', 'seller-acknowledged'),
      t('received', 'retry'),
      t('awaiting-seller'),
    ];
    expect(vtexStateOf({ status: 'awaiting-seller', transitions }).status).toBe(
      'waiting-acknowledgement',
    );
  });
});

describe('VTEX errors', () => {
  it('answers the v1 message on v1 and the v2 message on v2, naming the item', () => {
    expect(
      vtexErrorOf('LINE_NOT_FOUND', 'd', 'v2', { item: 'APPLE', operation: 'remove' }),
    ).toEqual({
      code: 'SalesOrderSystem010',
      message:
        "It's not possible to remove the item of ID APPLE from the original order. Validate your remove operation items IDs.",
    });
    expect(vtexErrorOf('CHAIN_ORDER', 'd', 'v1').message).toBe(
      'It is not allowed to make modifications to chain orders',
    );
  });

  it("says Amend's detail when the message would name what the context does not know", () => {
    expect(vtexErrorOf('LINE_NOT_FOUND', 'No line l9.', 'v2').message).toBe('No line l9.');
  });

  it("says Amend's detail when the message would name what the context does not know", () => {
    expect(vtexErrorOf('LINE_NOT_FOUND', 'No line l9.', 'v2').message).toBe('No line l9.');
  });

  it('answers a blank item id as CHK0022 and any other code as itself', () => {
    expect(vtexErrorOf('REQUEST_INVALID', 'd', 'v1', { field: 'itemsAdded[0].id' }).code).toBe(
      'CHK0022',
    );
    expect(vtexErrorOf('INSUFFICIENT_STOCK', 'No stock', 'v2')).toEqual({
      code: 'INSUFFICIENT_STOCK',
      message: 'No stock',
    });
  });
});

describe('VTEX Get order and change summary', () => {
  it('has no changesAttachment before the first applied change, then one entry per change', () => {
    expect(vtexOrderOf(anOrder(), []).changesAttachment).toBeNull();
    const data = vtexOrderOf(anOrder(), [changeOf(request)]).changesAttachment?.changesData[0];
    expect(data).toMatchObject({
      discountValue: 100,
      incrementValue: 30,
      receipt: { receipt: 'chg1' },
    });
    expect(data?.itemsAdded.map((i) => [i.id, i.quantity])).toEqual([
      ['PEAR', 1],
      ['MILK', 3],
    ]);
    expect(data?.itemsRemoved.map((i) => [i.id, i.quantity])).toEqual([
      ['APPLE', 2],
      ['MILK', 1],
    ]);
  });

  it("adds Get order's totals up to its value", () => {
    const order = vtexOrderOf(anOrder({ adjustments: { discount: 50, increment: 10 } }), []);
    expect(order.totals.reduce((s, t) => s + t.value, 0)).toBe(order.value);
  });

  it('aggregates the manual values and lists in-place edits as replacements', () => {
    const edit = changeOf({
      operations: [
        { op: 'setQuantity', lineId: 'l1', quantity: 5 },
        { op: 'adjustTotal', discount: 40 },
      ],
      reason: { code: 'CUSTOMER_REQUEST' },
    });
    const before = anOrder();
    const after = { ...before, adjustments: { discount: 40, increment: 0 } };
    const summary = vtexSummaryOf(summarizeChanges(before, after, [edit]), [edit], facts);
    expect(summary.manualDiscountValueAggregated).toBe(40);
    expect(summary.replaced.map((r) => r.replaceType)).toEqual(['QuantityChange']);
    expect(summary.lastChange).toBe(edit.updatedAt);
  });
});
