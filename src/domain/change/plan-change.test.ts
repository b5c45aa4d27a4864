import { describe, expect, it } from 'vitest';
import type { Refusal } from '../errors.js';
import type { Order } from '../order.js';
import { aContext, aLine, anOrder, aPickJob } from '../test-builders.js';
import { planChange } from './plan-change.js';
import type { ChangeContext, ChangePlan, Operation } from './types.js';

const reason = { code: 'CUSTOMER_REQUEST' };
const plan = (
  order: Order,
  operations: Operation[],
  ctx: ChangeContext = aContext(),
  r: { code: string } | null = reason,
) => planChange(order, { operations, ...(r ? { reason: r } : {}) }, ctx);
const refusals = (result: ReturnType<typeof plan>): Refusal[] => (result.ok ? [] : result.refusals);
const codes = (result: ReturnType<typeof plan>) => refusals(result).map((r) => r.code);
const applied = (result: ReturnType<typeof plan>): ChangePlan => {
  if (!result.ok) throw new Error(JSON.stringify(result.refusals));
  return result.value;
};

const inProgress = (assigneeId = 'picker-1', picked = 0) =>
  anOrder({
    status: 'handling',
    fulfilment: {
      pickJobs: [
        aPickJob({
          status: 'in-progress',
          assigneeId,
          lines: [
            { lineId: 'l1', quantity: 2, picked },
            { lineId: 'l2', quantity: 1, picked: 0 },
          ],
        }),
      ],
    },
  });
const bundle = anOrder({
  lines: [
    aLine({ lineId: 'b1', bundleId: 'box' }),
    aLine({ lineId: 'v1', sku: 'MILK' }),
    aLine({ lineId: 's1', sku: 'WRAP', parentLineId: 'v1' }),
  ],
});

describe('planChange refuses, with the code, operation index and field', () => {
  const cases: [string, string, () => ReturnType<typeof plan>][] = [
    [
      'PERMISSION_DENIED',
      "when the role lacks the operation's permission",
      () =>
        plan(
          anOrder(),
          [{ op: 'setShippingAddress', address: { city: 'Köln' } }],
          aContext({ role: 'picker' }),
        ),
    ],
    ['CHANGE_EMPTY', 'when there are no operations', () => plan(anOrder(), [])],
    [
      'CHANGE_EMPTY',
      'when the operations change nothing',
      () => plan(anOrder(), [{ op: 'setQuantity', lineId: 'l1', quantity: 2 }]),
    ],
    [
      'CHANGE_EMPTY',
      'when the same promotion is applied twice',
      () =>
        plan(anOrder({ appliedPromotions: ['SAVE10'] }), [
          { op: 'applyPromotion', code: 'SAVE10' },
        ]),
    ],
    [
      'REASON_REQUIRED',
      'without a reason',
      () => plan(anOrder(), [{ op: 'setQuantity', lineId: 'l1', quantity: 3 }], aContext(), null),
    ],
    [
      'REASON_REQUIRED',
      'with a blank reason code',
      () =>
        plan(anOrder(), [{ op: 'setQuantity', lineId: 'l1', quantity: 3 }], aContext(), {
          code: '  ',
        }),
    ],
    [
      'REASON_CODE_UNKNOWN',
      'with a reason not in the catalogue',
      () =>
        plan(anOrder(), [{ op: 'setQuantity', lineId: 'l1', quantity: 3 }], aContext(), {
          code: 'WHIM',
        }),
    ],
    [
      'REASON_CODE_UNKNOWN',
      'with a price-change reason not in the catalogue',
      () =>
        plan(anOrder(), [
          { op: 'setUnitPrice', lineId: 'l1', unitPrice: 250, priceChangeReason: 'WHIM' },
        ]),
    ],
    [
      'CHAIN_ORDER',
      'for a chain order',
      () => plan(anOrder({ origin: 'chain' }), [{ op: 'setQuantity', lineId: 'l1', quantity: 3 }]),
    ],
    [
      'ORDER_INVOICED',
      'after the invoice',
      () =>
        plan(anOrder({ status: 'invoiced' }), [{ op: 'setQuantity', lineId: 'l1', quantity: 3 }]),
    ],
    [
      'ORDER_INVOICED',
      'after shipment',
      () => plan(anOrder({ status: 'shipped' }), [{ op: 'adjustTotal', discount: 100 }]),
    ],
    [
      'MARKETPLACE_PAYMENT_NOT_APPROVED',
      'for a marketplace order awaiting payment',
      () =>
        plan(anOrder({ origin: 'marketplace', status: 'payment-pending' }), [
          { op: 'setQuantity', lineId: 'l1', quantity: 3 },
        ]),
    ],
    [
      'ORDER_STATUS_NOT_EDITABLE',
      'while the payment is pending',
      () =>
        plan(anOrder({ status: 'payment-pending' }), [
          { op: 'setQuantity', lineId: 'l1', quantity: 3 },
        ]),
    ],
    [
      'ORDER_STATUS_NOT_EDITABLE',
      'for a canceled order',
      () =>
        plan(anOrder({ status: 'canceled' }), [{ op: 'setQuantity', lineId: 'l1', quantity: 3 }]),
    ],
    [
      'MAX_CHANGES_EXCEEDED',
      'at the 51st change',
      () =>
        plan(
          anOrder(),
          [{ op: 'setQuantity', lineId: 'l1', quantity: 3 }],
          aContext({ changeCount: 50 }),
        ),
    ],
    [
      'OPERATION_DISABLED',
      'when the tenant switched the operation off',
      () => {
        const ctx = aContext();
        ctx.settings.operations.addItem = false;
        return plan(anOrder(), [{ op: 'addItem', sku: 'PEAR', quantity: 1 }], ctx);
      },
    ],
    [
      'VALUE_NEGATIVE',
      'for a negative discount',
      () => plan(anOrder(), [{ op: 'adjustTotal', discount: -1 }]),
    ],
    [
      'VALUE_NEGATIVE',
      'for a negative price',
      () =>
        plan(anOrder(), [
          { op: 'setUnitPrice', lineId: 'l1', unitPrice: -5, priceChangeReason: 'PRICE_MATCH' },
        ]),
    ],
    [
      'QUANTITY_INVALID',
      'for a quantity below 1',
      () => plan(anOrder(), [{ op: 'setQuantity', lineId: 'l1', quantity: 0 }]),
    ],
    [
      'QUANTITY_INVALID',
      'for a weight with four decimals',
      () =>
        plan(
          anOrder({
            lines: [
              aLine({ sku: 'CHEESE', weighable: true, measurementUnit: 'kg', unitMultiplier: 0.5 }),
            ],
          }),
          [{ op: 'changeWeight', lineId: 'l1', unitMultiplier: 0.1234 }],
        ),
    ],
    [
      'LINE_NOT_FOUND',
      'for an unknown line id',
      () => plan(anOrder(), [{ op: 'removeItem', lineId: 'nope' }]),
    ],
    [
      'LINE_NOT_FOUND',
      'for a sku on no line',
      () => plan(anOrder(), [{ op: 'removeItem', sku: 'PEAR' }]),
    ],
    [
      'LINE_AMBIGUOUS',
      'for a sku on two lines named without lineId',
      () =>
        plan(anOrder({ lines: [aLine(), aLine({ lineId: 'l3' })] }), [
          { op: 'setQuantity', sku: 'APPLE', quantity: 1 },
        ]),
    ],
    [
      'SKU_NOT_FOUND',
      'for a sku not in the catalogue',
      () => plan(anOrder(), [{ op: 'addItem', sku: 'NOPE', quantity: 1 }]),
    ],
    [
      'REMOVE_EXCEEDS_QUANTITY',
      'when removing 3 of 2 units',
      () => plan(anOrder(), [{ op: 'removeItem', lineId: 'l1', quantity: 3 }]),
    ],
    [
      'ORDER_WOULD_BE_EMPTY',
      'when every line is removed',
      () =>
        plan(anOrder(), [
          { op: 'removeItem', lineId: 'l1' },
          { op: 'removeItem', lineId: 'l2' },
        ]),
    ],
    [
      'SUBSTITUTE_NOT_ALLOWED',
      'for a sku the line does not allow',
      () => plan(anOrder(), [{ op: 'replaceItem', lineId: 'l1', sku: 'MILK', quantity: 1 }]),
    ],
    [
      'MEASUREMENT_UNIT_MISMATCH',
      'for a substitute in another unit',
      () =>
        plan(anOrder({ lines: [aLine({ allowedSubstitutes: ['KGPEAR'] })] }), [
          { op: 'replaceItem', lineId: 'l1', sku: 'KGPEAR', quantity: 1 },
        ]),
    ],
    [
      'MEASUREMENT_UNIT_MISMATCH',
      'for a weight in another unit',
      () =>
        plan(anOrder({ lines: [aLine({ weighable: true, measurementUnit: 'kg' })] }), [
          { op: 'changeWeight', lineId: 'l1', unitMultiplier: 0.4, measurementUnit: 'g' },
        ]),
    ],
    [
      'NOT_WEIGHABLE',
      'for changeWeight on a piece item',
      () => plan(anOrder(), [{ op: 'changeWeight', lineId: 'l1', unitMultiplier: 0.5 }]),
    ],
    [
      'LINE_NOT_EDITABLE',
      'for a bundled line',
      () => plan(bundle, [{ op: 'setQuantity', lineId: 'b1', quantity: 1 }]),
    ],
    [
      'LINE_NOT_EDITABLE',
      'for a line with an attached service',
      () => plan(bundle, [{ op: 'removeItem', lineId: 'v1' }]),
    ],
    [
      'LINE_NOT_EDITABLE',
      'for the attached service itself',
      () => plan(bundle, [{ op: 'setQuantity', lineId: 's1', quantity: 2 }]),
    ],
    [
      'PROMOTION_NOT_FOUND',
      'for an unknown code',
      () => plan(anOrder(), [{ op: 'applyPromotion', code: 'FREE' }]),
    ],
    [
      'DISCOUNT_EXCEEDS_ORDER_TOTAL',
      'when the discount is larger than the order',
      () => plan(anOrder(), [{ op: 'adjustTotal', discount: 100_000 }]),
    ],
    [
      'DISCOUNT_EXCEEDS_PAYMENT',
      'when the payments cannot give that much back',
      () =>
        plan(
          anOrder({
            payments: [
              {
                id: 'p',
                method: 'credit-card',
                settledByApi: false,
                transactionId: null,
                authorized: 100,
                captured: 0,
                refunded: 0,
              },
            ],
          }),
          [{ op: 'adjustTotal', discount: 500 }],
        ),
    ],
    [
      'PAYMENT_METHOD_CANNOT_INCREASE',
      'for an increase on a bank slip',
      () =>
        plan(
          anOrder({
            payments: [
              {
                id: 'p',
                method: 'bank-slip',
                settledByApi: false,
                transactionId: null,
                authorized: 1000,
                captured: 0,
                refunded: 0,
              },
            ],
          }),
          [{ op: 'setQuantity', lineId: 'l1', quantity: 3 }],
        ),
    ],
    [
      'PAYMENT_METHOD_CANNOT_DECREASE',
      'for a decrease on a payment settled by API',
      () =>
        plan(
          anOrder({
            payments: [
              {
                id: 'p',
                method: 'instant-transfer',
                settledByApi: true,
                transactionId: 'x',
                authorized: 2000,
                captured: 2000,
                refunded: 0,
              },
            ],
          }),
          [{ op: 'removeItem', lineId: 'l2' }],
        ),
    ],
    [
      'PAYMENT_NOT_FOUND',
      'for a value change without any payment',
      () => plan(anOrder({ payments: [] }), [{ op: 'setQuantity', lineId: 'l1', quantity: 3 }]),
    ],
    [
      'ADDRESS_INVALID',
      'for a blank city and a 4-digit German postal code',
      () =>
        plan(anOrder(), [{ op: 'setShippingAddress', address: { city: '', postalCode: '1011' } }]),
    ],
    [
      'ADDRESS_CHANGE_WITH_PACKAGES',
      'once packages exist',
      () =>
        plan(anOrder({ status: 'ready-for-invoice', fulfilment: { packages: [{ id: 'pk' }] } }), [
          { op: 'setShippingAddress', address: { city: 'Köln' } },
        ]),
    ],
    [
      'ADDRESS_CHANGE_NOT_ALLOWED',
      'once handed over (narrower than packages)',
      () =>
        plan(
          anOrder({
            status: 'ready-for-invoice',
            fulfilment: {
              packages: [{ id: 'pk' }],
              handover: { id: 'h', status: 'handed-over', date: null },
            },
          }),
          [{ op: 'setShippingAddress', address: { city: 'Köln' } }],
        ),
    ],
    [
      'FULFILMENT_STARTED',
      'for a line edit while someone else picks',
      () => plan(inProgress(), [{ op: 'setQuantity', lineId: 'l1', quantity: 3 }]),
    ],
    [
      'FULFILMENT_STARTED',
      'for a date edit once a label was requested',
      () =>
        plan(
          anOrder({ fulfilment: { labels: [{ id: 'lb', carrier: 'DHL', status: 'requested' }] } }),
          [{ op: 'setDeliveryDate', date: '2030-02-01' }],
        ),
    ],
    [
      'ITEMS_ALREADY_PICKED',
      'when the picker goes below what is picked',
      () =>
        plan(
          inProgress('u1', 2),
          [{ op: 'setQuantity', lineId: 'l1', quantity: 1 }],
          aContext({ role: 'picker' }),
        ),
    ],
    [
      'INSUFFICIENT_STOCK',
      'when no facility has enough',
      () => plan(anOrder(), [{ op: 'setQuantity', lineId: 'l1', quantity: 60 }]),
    ],
    [
      'PICKER_LIMIT_EXCEEDED',
      "beyond the picker's quantity limit when the tenant refuses instead of asking approval",
      () => {
        const ctx = aContext({ role: 'picker' });
        ctx.settings.approval.pickerBeyondLimits = false;
        return plan(anOrder(), [{ op: 'setQuantity', lineId: 'l1', quantity: 4 }], ctx);
      },
    ],
    [
      'ITEMS_ALREADY_PICKED',
      'when cancelling after something was picked',
      () => plan(inProgress('u1', 1), [{ op: 'cancelOrder', reasonCode: 'CUSTOMER_REQUEST' }]),
    ],
    [
      'PICK_JOB_NOT_OPEN',
      'when cancelling while a pick job runs, nothing picked yet',
      () => plan(inProgress('u1', 0), [{ op: 'cancelOrder', reasonCode: 'CUSTOMER_REQUEST' }]),
    ],
    [
      'LABEL_ALREADY_REQUESTED',
      'when cancelling after a label was requested',
      () =>
        plan(
          anOrder({ fulfilment: { labels: [{ id: 'lb', carrier: 'DHL', status: 'requested' }] } }),
          [{ op: 'cancelOrder', reasonCode: 'CUSTOMER_REQUEST' }],
        ),
    ],
    [
      'REASON_CODE_UNKNOWN',
      'for a cancelation reason not in the catalogue',
      () => plan(anOrder(), [{ op: 'cancelOrder', reasonCode: 'BORED' }]),
    ],
    [
      'ORDER_INVOICED',
      'when cancelling an invoiced order (force-cancel still can)',
      () =>
        plan(anOrder({ status: 'invoiced' }), [
          { op: 'cancelOrder', reasonCode: 'CUSTOMER_REQUEST' },
        ]),
    ],
    [
      'FACILITY_NOT_FOUND',
      'when assigning to an unknown facility',
      () =>
        plan(
          anOrder(),
          [{ op: 'assignFacility', facilityId: 'paris' }],
          aContext({ role: 'supervisor' }),
        ),
    ],
    [
      'NOT_SHIP_FROM_STORE',
      'when assigning to a warehouse',
      () =>
        plan(
          anOrder(),
          [{ op: 'assignFacility', facilityId: 'dc' }],
          aContext({
            role: 'supervisor',
            candidates: [
              ...aContext().candidates,
              {
                id: 'dc',
                priority: 3,
                shipFromStore: false,
                location: null,
                available: { APPLE: 99, MILK: 99 },
              },
            ],
          }),
        ),
    ],
    [
      'NOT_SHIP_FROM_STORE',
      'when changing the carrier of a warehouse order',
      () =>
        plan(
          anOrder({ facilityId: 'dc' }),
          [{ op: 'changeCarrier', carrier: 'DPD' }],
          aContext({
            candidates: [
              { id: 'dc', priority: 3, shipFromStore: false, location: null, available: {} },
            ],
          }),
        ),
    ],
    [
      'HANDOVER_NOT_OPEN',
      'when changing the carrier after hand-over',
      () =>
        plan(
          anOrder({
            status: 'ready-for-invoice',
            fulfilment: { handover: { id: 'h', status: 'handed-over', date: null } },
          }),
          [{ op: 'changeCarrier', carrier: 'DPD' }],
        ),
    ],
    [
      'ORDER_UNROUTABLE',
      'when assigning to a facility without the stock',
      () =>
        plan(
          anOrder({ lines: [aLine({ quantity: 20 })] }),
          [{ op: 'assignFacility', facilityId: 'berlin' }],
          aContext({ role: 'supervisor' }),
        ),
    ],
    [
      'ORDER_UNROUTABLE',
      'when rerouting a task that no other facility can take',
      () =>
        plan(
          anOrder(),
          [{ op: 'rerouteTask', pickJobId: 'pj1' }],
          aContext({ role: 'supervisor', candidates: [aContext().candidates[0]!] }),
        ),
    ],
    [
      'PICK_JOB_NOT_OPEN',
      'when rerouting a task already being picked',
      () =>
        plan(
          inProgress(),
          [{ op: 'rerouteTask', pickJobId: 'pj1' }],
          aContext({ role: 'supervisor' }),
        ),
    ],
    [
      'REASON_CODE_UNKNOWN',
      'for a reroute reason not in the catalogue',
      () =>
        plan(anOrder(), [{ op: 'reroute', reasonCode: 'WHIM' }], aContext({ role: 'supervisor' })),
    ],
    [
      'REQUEST_INVALID',
      'for a delivery window without its end',
      () => plan(anOrder(), [{ op: 'setDeliveryDate', from: '2030-02-01T08:00:00Z' }]),
    ],
  ];
  it.each(cases)('%s %s', (code, _when, run) => {
    const result = run();
    expect(codes(result)).toContain(code);
  });

  it('names the operation and field of each refusal, several at once', () => {
    const result = plan(anOrder(), [
      { op: 'setQuantity', lineId: 'l1', quantity: 0 },
      { op: 'adjustTotal', increment: -3 },
    ]);
    expect(refusals(result)).toEqual([
      expect.objectContaining({
        code: 'QUANTITY_INVALID',
        operationIndex: 0,
        field: 'operations[0].quantity',
      }),
      expect.objectContaining({
        code: 'VALUE_NEGATIVE',
        operationIndex: 1,
        field: 'operations[1].increment',
      }),
    ]);
  });

  it('answers the first failing order gate alone', () => {
    expect(
      codes(
        plan(anOrder({ origin: 'chain', status: 'invoiced' }), [
          { op: 'setQuantity', lineId: 'l1', quantity: 0 },
        ]),
      ),
    ).toEqual(['CHAIN_ORDER']);
  });
});

describe('planChange plans', () => {
  it('scales the discount with the quantity and pays the increase by authorizing the card', () => {
    const order = anOrder({ lines: [aLine({ discount: 100 })] });
    const p = applied(plan(order, [{ op: 'setQuantity', lineId: 'l1', quantity: 3 }]));
    expect(p.after.lines[0]).toMatchObject({ quantity: 3, discount: 150 });
    expect(p.payments).toEqual([
      {
        paymentId: 'pay1',
        method: 'credit-card',
        amount: p.after.totals.grandTotal - order.totals.grandTotal,
        action: 'authorize',
      },
    ]);
    expect(p.after.payments[0]?.authorized).toBe(p.after.totals.grandTotal);
    expect(p.auditEntries).toContainEqual({ path: 'lines.l1.quantity', old: 2, new: 3 });
  });

  it('takes a decrease off the uncaptured part first, then refunds', () => {
    const order = anOrder();
    const captured = {
      ...order,
      payments: [{ ...order.payments[0]!, captured: order.totals.grandTotal - 100 }],
    };
    const p = applied(plan(captured, [{ op: 'removeItem', lineId: 'l1' }]));
    expect(p.payments.map((x) => x.action)).toEqual(['reduce-authorization', 'refund']);
    expect(p.payments.reduce((s, x) => s + x.amount, 0)).toBe(
      p.after.totals.grandTotal - order.totals.grandTotal,
    );
  });

  it('replaces the open pick job and re-routes when lines change', () => {
    const p = applied(plan(anOrder(), [{ op: 'setQuantity', lineId: 'l1', quantity: 12 }]));
    expect(p.after.facilityId).toBe('hamburg');
    expect(p.effects.map((e) => e.type)).toEqual(
      expect.arrayContaining(['PICK_JOB_REPLACED', 'REROUTE', 'RESERVATION']),
    );
    expect(p.after.fulfilment.pickJobs.map((j) => [j.status, j.subStatus])).toEqual([
      ['canceled', 'order-modified'],
      ['open', null],
    ]);
    expect(p.after.fulfilment.reservations).toEqual([
      { lineId: 'l1', sku: 'APPLE', facilityId: 'hamburg', quantity: 12 },
      { lineId: 'l2', sku: 'MILK', facilityId: 'hamburg', quantity: 1 },
    ]);
  });

  it('lets the picker at work substitute in place, keeping what is picked (seed 000)', () => {
    const p = applied(
      plan(
        inProgress('u1', 1),
        [{ op: 'replaceItem', lineId: 'l1', fromQuantity: 1, sku: 'PEAR', quantity: 1 }],
        aContext({ role: 'picker' }),
        { code: 'SUBSTITUTION' },
      ),
    );
    expect(p.effects[0]).toEqual({ type: 'PICK_JOB_UPDATED', pickJobId: 'pj1' });
    const job = p.after.fulfilment.pickJobs[0]!;
    expect(job.status).toBe('in-progress');
    expect(job.lines).toContainEqual({ lineId: 'l1', quantity: 1, picked: 1 });
    expect(job.lines.some((l) => l.lineId.startsWith('ln-'))).toBe(true);
  });

  it('applies a percent promotion to the lines and an amount one to the order', () => {
    const order = anOrder();
    const p = applied(
      plan(order, [
        { op: 'applyPromotion', code: 'SAVE10' },
        { op: 'applyPromotion', code: 'FIVEOFF' },
      ]),
    );
    expect(p.after.lines.map((l) => l.discount)).toEqual([60, 12]);
    expect(p.after.adjustments.discount).toBe(500);
    expect(p.totals.byCause.map((c) => c.operationIndex)).toEqual([0, 1]);
    expect(p.totals.byCause.reduce((s, c) => s + c.amount, 0)).toBe(
      p.totals.after.grandTotal - p.totals.before.grandTotal,
    );
  });

  it('asks for approval with its reasons, scored', () => {
    const ctx = aContext();
    ctx.settings.approval.addressChangeAfterPayment = true;
    const p = applied(
      plan(
        anOrder(),
        [{ op: 'setShippingAddress', address: { city: 'Köln', postalCode: '50667' } }],
        ctx,
      ),
    );
    expect(p.approval).toMatchObject({
      required: true,
      reasons: [{ code: 'ADDRESS_CHANGE_AFTER_PAYMENT' }],
    });
    expect(p.approval.score).toBeGreaterThan(0);
  });

  it('obsoletes a generated label on an address change and requests a new one', () => {
    const p = applied(
      plan(
        anOrder({ fulfilment: { labels: [{ id: 'lb1', carrier: 'DHL', status: 'generated' }] } }),
        [{ op: 'setShippingAddress', address: { street: 'Neue Str. 1' } }],
      ),
    );
    expect(p.after.fulfilment.labels.map((l) => l.status)).toEqual(['obsolete', 'requested']);
  });
});

describe('cancelling', () => {
  it('cancels the open pick job, releases every reservation and gives the authorization back', () => {
    const order = anOrder();
    const p = applied(plan(order, [{ op: 'cancelOrder', reasonCode: 'FRAUD' }]));
    expect(p.after.status).toBe('canceled');
    expect(p.after.fulfilment.reservations).toEqual([]);
    expect(p.after.fulfilment.pickJobs.map((j) => [j.status, j.subStatus])).toEqual([
      ['canceled', 'order-canceled'],
    ]);
    expect(p.after.fulfilment.handover?.status).toBe('canceled');
    expect(p.payments).toEqual([
      {
        paymentId: 'pay1',
        method: 'credit-card',
        amount: -order.totals.grandTotal,
        action: 'reduce-authorization',
      },
    ]);
    expect(p.auditEntries).toContainEqual({
      path: 'status',
      old: 'payment-approved',
      new: 'canceled',
    });
  });

  it('force-cancels after picking, listing what goes back to storage, and refunds what was captured', () => {
    const order = inProgress('u1', 2);
    const invoiced = {
      ...order,
      status: 'invoiced' as const,
      payments: [{ ...order.payments[0]!, captured: order.totals.grandTotal }],
    };
    const p = applied(
      plan(
        invoiced,
        [{ op: 'forceCancelOrder', reasonCode: 'CUSTOMER_REQUEST' }],
        aContext({ role: 'supervisor' }),
      ),
    );
    expect(p.effects).toEqual([
      {
        type: 'MANUAL_STEP',
        action: 'RETURN_TO_STORAGE',
        lineId: 'l1',
        sku: 'APPLE',
        quantity: 2,
        facilityId: 'berlin',
        text: 'Put 2 × APPLE back into storage at berlin.',
      },
    ]);
    expect(p.payments.map((x) => [x.action, x.amount])).toEqual([
      ['refund', -order.totals.grandTotal],
    ]);
  });

  it('refuses a force-cancel to an agent and after shipment', () => {
    expect(codes(plan(anOrder(), [{ op: 'forceCancelOrder', reasonCode: 'FRAUD' }]))).toEqual([
      'PERMISSION_DENIED',
    ]);
    expect(
      codes(
        plan(
          anOrder({ status: 'shipped' }),
          [{ op: 'forceCancelOrder', reasonCode: 'FRAUD' }],
          aContext({ role: 'supervisor' }),
        ),
      ),
    ).toEqual(['ORDER_INVOICED']);
  });
});

describe('moving an order', () => {
  const supervisor = () => aContext({ role: 'supervisor' });

  it('assigns it to another ship-from-store facility: new pick job there, reservations moved', () => {
    const p = applied(
      plan(anOrder(), [{ op: 'assignFacility', facilityId: 'hamburg' }], supervisor()),
    );
    expect(p.after.facilityId).toBe('hamburg');
    expect(p.after.fulfilment.reservations.every((r) => r.facilityId === 'hamburg')).toBe(true);
    expect(p.after.fulfilment.pickJobs.map((j) => [j.facilityId, j.status, j.subStatus])).toEqual([
      ['berlin', 'canceled', 'reassigned'],
      ['hamburg', 'open', null],
    ]);
  });

  it('reroutes a task away from its facility and blacklists it when the tenant says so', () => {
    const p = applied(
      plan(
        anOrder(),
        [{ op: 'rerouteTask', pickJobId: 'pj1', reasonCode: 'FACILITY_CLOSED' }],
        supervisor(),
      ),
    );
    expect(p.after.facilityId).toBe('hamburg');
    expect(p.after.fulfilment.routing.blacklist).toEqual(['berlin']);
    const ctx = supervisor();
    ctx.settings.blacklistFacilityOnTaskReroute = false;
    expect(
      applied(plan(anOrder(), [{ op: 'rerouteTask', pickJobId: 'pj1' }], ctx)).after.fulfilment
        .routing.blacklist,
    ).toEqual([]);
  });

  it('reroutes an unroutable order once stock is there, and routes anew when the same facility wins', () => {
    const unroutable = anOrder({
      facilityId: null,
      fulfilment: {
        routing: { status: 'unroutable', reasons: [], blacklist: [] },
        reservations: [],
        pickJobs: [],
      },
    });
    const p = applied(plan(unroutable, [{ op: 'reroute' }], supervisor()));
    expect(p.after).toMatchObject({
      facilityId: 'berlin',
      fulfilment: { routing: { status: 'routed' } },
    });
    // API.md §7.6: the same facility wins, and still the open pick job is replaced (never CHANGE_EMPTY).
    const routed = anOrder();
    const before = routed.fulfilment.pickJobs.find((j) => j.status === 'open')!;
    const again = applied(plan(routed, [{ op: 'reroute' }], supervisor()));
    expect(again.after.facilityId).toBe(routed.facilityId);
    const jobs = again.after.fulfilment.pickJobs;
    expect(jobs.find((j) => j.id === before.id)?.status).toBe('canceled');
    expect(jobs.filter((j) => j.status === 'open').map((j) => j.id)).not.toContain(before.id);
    expect(jobs.filter((j) => j.status === 'open')).toHaveLength(1);
    expect(again.effects.map((e) => e.type)).toContain('PICK_JOB_REPLACED');
  });

  it('changes the carrier, obsoleting the live label and requesting one from the new carrier', () => {
    const p = applied(
      plan(
        anOrder({ fulfilment: { labels: [{ id: 'lb1', carrier: 'DHL', status: 'generated' }] } }),
        [{ op: 'changeCarrier', carrier: 'DPD' }],
      ),
    );
    expect(p.after.carrier).toBe('DPD');
    expect(p.after.fulfilment.labels.map((l) => [l.carrier, l.status])).toEqual([
      ['DHL', 'obsolete'],
      ['DPD', 'requested'],
    ]);
  });
});
