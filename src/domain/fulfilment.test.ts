import { describe, expect, it } from 'vitest';
import type { Refusal } from './errors.js';
import {
  approvePayment,
  closePickJob,
  deliverOrder,
  generateLabel,
  handOver,
  invoiceOrder,
  packOrder,
  recordPicks,
  requestLabel,
  shipOrder,
  startPickJob,
} from './fulfilment.js';
import type { Fulfilment, Order, PickJob } from './order.js';
import type { Result } from './result.js';

const NOW = '2030-01-02T03:04:05.000Z';

const aPickJob = (over: Partial<PickJob> = {}): PickJob => ({
  id: 'pj1',
  facilityId: 'berlin',
  status: 'open',
  subStatus: null,
  assigneeId: null,
  lines: [
    { lineId: 'l1', quantity: 2, picked: 0 },
    { lineId: 'l2', quantity: 1, picked: 0 },
  ],
  ...over,
});

function anOrder(
  over: Partial<Omit<Order, 'fulfilment'>> & { fulfilment?: Partial<Fulfilment> } = {},
): Order {
  const { fulfilment, ...rest } = over;
  return {
    id: 'ord1',
    channel: 'web',
    channelOrderRef: 'W-1',
    origin: 'direct',
    status: 'payment-approved',
    currency: 'EUR',
    version: 3,
    customer: { name: 'Erika', email: 'e@example.com' },
    shippingAddress: {
      name: 'Erika',
      street: 'Hauptstr. 1',
      city: 'Berlin',
      postalCode: '10115',
      country: 'DE',
    },
    preferredDeliveryDate: null,
    deliveryWindow: null,
    customAttributes: {},
    carrier: null,
    facilityId: 'berlin',
    lines: [],
    shippingTotal: 0,
    adjustments: { discount: 0, increment: 0 },
    appliedPromotions: [],
    totals: { items: 0, discounts: 0, increments: 0, shipping: 0, tax: 0, grandTotal: 1000 },
    payments: [
      {
        id: 'pay1',
        method: 'credit-card',
        settledByApi: false,
        transactionId: null,
        authorized: 1000,
        captured: 0,
        refunded: 0,
      },
    ],
    fulfilment: {
      routing: { status: 'routed', reasons: [], blacklist: [] },
      reservations: [{ lineId: 'l1', sku: 'APPLE', facilityId: 'berlin', quantity: 2 }],
      pickJobs: [aPickJob()],
      labels: [],
      handover: { id: 'hov1', status: 'open', date: null },
      packages: [],
      ...fulfilment,
    },
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    ...rest,
  };
}

function value(result: Result<Order>): Order {
  if (!result.ok) throw new Error(`refused: ${result.refusals.map((r) => r.detail).join('; ')}`);
  expect(result.value.updatedAt).toBe(NOW);
  expect(result.value.version).toBe(3);
  return result.value;
}

function refusals(result: Result<Order>): Refusal[] {
  if (result.ok) throw new Error('expected a refusal');
  return result.refusals;
}

const expectInvalid = (result: Result<Order>, waitingFor: RegExp) =>
  expect(refusals(result)).toEqual([
    expect.objectContaining({
      code: 'FULFILMENT_TRANSITION_INVALID',
      detail: expect.stringMatching(waitingFor),
    }),
  ]);

describe('approve-payment', () => {
  it('moves a payment-pending order to payment-approved', () => {
    expect(value(approvePayment(anOrder({ status: 'payment-pending' }), NOW)).status).toBe(
      'payment-approved',
    );
  });
  it('refuses an order whose payment is already approved', () => {
    expectInvalid(
      approvePayment(anOrder(), NOW),
      /waits for order ord1 to be payment-pending; it is payment-approved/,
    );
  });
});

describe('start', () => {
  it('puts the open job in progress, assigns the caller and moves the order to handling', () => {
    const order = value(startPickJob(anOrder(), 'pj1', 'u-picker', NOW));
    expect(order.status).toBe('handling');
    expect(order.fulfilment.pickJobs[0]).toMatchObject({
      status: 'in-progress',
      assigneeId: 'u-picker',
    });
  });
  it('starts a second job of an order already in handling', () => {
    const order = anOrder({
      status: 'handling',
      fulfilment: { pickJobs: [aPickJob({ id: 'pj0', status: 'closed' }), aPickJob()] },
    });
    expect(value(startPickJob(order, 'pj1', 'u-picker', NOW)).fulfilment.pickJobs[1]?.status).toBe(
      'in-progress',
    );
  });
  it('refuses a job that is not open', () => {
    expectInvalid(
      startPickJob(
        anOrder({ fulfilment: { pickJobs: [aPickJob({ status: 'in-progress' })] } }),
        'pj1',
        'u',
        NOW,
      ),
      /waits for an open pick job; pick job pj1 is in-progress/,
    );
  });
  it('refuses while the payment is pending', () => {
    expectInvalid(
      startPickJob(anOrder({ status: 'payment-pending' }), 'pj1', 'u', NOW),
      /waits for a payment-approved or handling order/,
    );
  });
  it('answers NOT_FOUND for a job of another order', () => {
    expect(refusals(startPickJob(anOrder(), 'pj9', 'u', NOW))[0]?.code).toBe('NOT_FOUND');
  });
});

describe('picks', () => {
  const started = anOrder({
    status: 'handling',
    fulfilment: { pickJobs: [aPickJob({ status: 'in-progress', assigneeId: 'u' })] },
  });
  it('adds picked units and keeps the job in progress while a line is short', () => {
    const job = value(recordPicks(started, 'pj1', [{ lineId: 'l1', quantity: 1 }], NOW)).fulfilment
      .pickJobs[0];
    expect(job).toMatchObject({
      status: 'in-progress',
      lines: [
        { lineId: 'l1', picked: 1 },
        { lineId: 'l2', picked: 0 },
      ],
    });
  });
  it('marks the job picked when every line is full, summing repeated lines', () => {
    const picks = [
      { lineId: 'l1', quantity: 1 },
      { lineId: 'l1', quantity: 1 },
      { lineId: 'l2', quantity: 1 },
    ];
    expect(value(recordPicks(started, 'pj1', picks, NOW)).fulfilment.pickJobs[0]?.status).toBe(
      'picked',
    );
  });
  it('refuses picking 3 of 2 units, naming the field', () => {
    expect(refusals(recordPicks(started, 'pj1', [{ lineId: 'l1', quantity: 3 }], NOW))).toEqual([
      expect.objectContaining({
        code: 'FULFILMENT_TRANSITION_INVALID',
        field: 'lines[0].quantity',
      }),
    ]);
  });
  it('refuses an over-pick spread over two entries of the same line', () => {
    const picks = [
      { lineId: 'l1', quantity: 2 },
      { lineId: 'l1', quantity: 1 },
    ];
    expect(refusals(recordPicks(started, 'pj1', picks, NOW))[0]).toMatchObject({
      code: 'FULFILMENT_TRANSITION_INVALID',
      field: 'lines[1].quantity',
    });
  });
  it('refuses LINE_NOT_FOUND for a line not on the job', () => {
    expect(
      refusals(recordPicks(started, 'pj1', [{ lineId: 'nope', quantity: 1 }], NOW))[0],
    ).toMatchObject({ code: 'LINE_NOT_FOUND', field: 'lines[0].lineId' });
  });
  it('refuses QUANTITY_INVALID for a quantity below 1', () => {
    expect(
      refusals(recordPicks(started, 'pj1', [{ lineId: 'l1', quantity: 0 }], NOW))[0]?.code,
    ).toBe('QUANTITY_INVALID');
  });
  it('refuses picks on a job that was not started', () => {
    expectInvalid(
      recordPicks(anOrder(), 'pj1', [{ lineId: 'l1', quantity: 1 }], NOW),
      /picks wait for an in-progress pick job; pick job pj1 is open/,
    );
  });
});

describe('close', () => {
  it.each(['in-progress', 'picked'] as const)('closes a %s job', (status) => {
    const order = anOrder({ status: 'handling', fulfilment: { pickJobs: [aPickJob({ status })] } });
    expect(value(closePickJob(order, 'pj1', NOW)).fulfilment.pickJobs[0]?.status).toBe('closed');
  });
  it.each(['open', 'closed', 'canceled'] as const)('refuses to close a %s job', (status) => {
    expectInvalid(
      closePickJob(anOrder({ fulfilment: { pickJobs: [aPickJob({ status })] } }), 'pj1', NOW),
      /close waits for an in-progress or picked pick job/,
    );
  });
});

describe('labels', () => {
  it("requests a label with the carrier asked for, else the order's, else standard", () => {
    expect(value(requestLabel(anOrder(), 'lb1', 'dhl', NOW)).fulfilment.labels).toEqual([
      { id: 'lb1', carrier: 'dhl', status: 'requested' },
    ]);
    expect(
      value(requestLabel(anOrder({ carrier: 'ups' }), 'lb1', undefined, NOW)).fulfilment.labels[0]
        ?.carrier,
    ).toBe('ups');
    expect(
      value(requestLabel(anOrder(), 'lb1', undefined, NOW)).fulfilment.labels[0]?.carrier,
    ).toBe('standard');
  });
  it('requests a new label once the old one is obsolete', () => {
    const order = anOrder({
      fulfilment: { labels: [{ id: 'lb0', carrier: 'dhl', status: 'obsolete' }] },
    });
    expect(value(requestLabel(order, 'lb1', undefined, NOW)).fulfilment.labels).toHaveLength(2);
  });
  it('refuses a second label while one is live', () => {
    const order = anOrder({
      fulfilment: { labels: [{ id: 'lb0', carrier: 'dhl', status: 'generated' }] },
    });
    expectInvalid(
      requestLabel(order, 'lb1', undefined, NOW),
      /waits for label lb0 \(generated\) to become obsolete/,
    );
  });
  it.each(['shipped', 'delivered', 'canceled'] as const)(
    'refuses a label for a %s order',
    (status) => {
      expectInvalid(
        requestLabel(anOrder({ status }), 'lb1', undefined, NOW),
        /not yet shipped or canceled/,
      );
    },
  );
});

describe('generate', () => {
  it('generates a requested label', () => {
    const order = anOrder({
      fulfilment: { labels: [{ id: 'lb1', carrier: 'dhl', status: 'requested' }] },
    });
    expect(value(generateLabel(order, 'lb1', NOW)).fulfilment.labels[0]?.status).toBe('generated');
  });
  it('refuses a label that is not requested', () => {
    const order = anOrder({
      fulfilment: { labels: [{ id: 'lb1', carrier: 'dhl', status: 'generated' }] },
    });
    expectInvalid(
      generateLabel(order, 'lb1', NOW),
      /generate waits for a requested label; label lb1 is generated/,
    );
  });
});

describe('pack', () => {
  const closed = (jobs: PickJob[]) =>
    anOrder({ status: 'handling', fulfilment: { pickJobs: jobs } });
  it('creates a package and makes the order ready for invoice, ignoring canceled jobs', () => {
    const order = value(
      packOrder(
        closed([aPickJob({ id: 'pj0', status: 'canceled' }), aPickJob({ status: 'closed' })]),
        'pk1',
        NOW,
      ),
    );
    expect(order.status).toBe('ready-for-invoice');
    expect(order.fulfilment.packages).toEqual([{ id: 'pk1' }]);
  });
  it('refuses while a live job is not closed', () => {
    expectInvalid(
      packOrder(
        closed([aPickJob({ status: 'closed' }), aPickJob({ id: 'pj2', status: 'picked' })]),
        'pk1',
        NOW,
      ),
      /every pick job to be closed; pick job pj2 is picked/,
    );
  });
  it('refuses an order without a live pick job', () => {
    expectInvalid(
      packOrder(closed([aPickJob({ status: 'canceled' })]), 'pk1', NOW),
      /waits for a pick job/,
    );
  });
  it('refuses an order that is no longer in handling', () => {
    expectInvalid(
      packOrder(
        anOrder({ status: 'invoiced', fulfilment: { pickJobs: [aPickJob({ status: 'closed' })] } }),
        'pk1',
        NOW,
      ),
      /pack waits for a handling order/,
    );
  });
});

describe('hand-over', () => {
  const ready = (f: Partial<Fulfilment> = {}) =>
    anOrder({
      status: 'ready-for-invoice',
      fulfilment: {
        labels: [{ id: 'lb1', carrier: 'dhl', status: 'generated' }],
        packages: [{ id: 'pk1' }],
        ...f,
      },
    });
  it('hands over an open handover with a generated label and a package', () => {
    const order = value(handOver(ready(), NOW));
    expect(order.fulfilment.handover).toEqual({ id: 'hov1', status: 'handed-over', date: null });
    expect(order.status).toBe('ready-for-invoice');
  });
  it('refuses without a generated label', () => {
    expectInvalid(
      handOver(ready({ labels: [{ id: 'lb1', carrier: 'dhl', status: 'requested' }] }), NOW),
      /waits for a generated label/,
    );
  });
  it('refuses without a package', () => {
    expectInvalid(handOver(ready({ packages: [] }), NOW), /waits for a package/);
  });
  it('refuses a handover that is not open', () => {
    expectInvalid(
      handOver(ready({ handover: { id: 'hov1', status: 'handed-over', date: null } }), NOW),
      /waits for an open handover/,
    );
  });
});

describe('invoice, ship, deliver', () => {
  it('invoices a ready-for-invoice order, capturing what is authorized', () => {
    const order = value(invoiceOrder(anOrder({ status: 'ready-for-invoice' }), NOW));
    expect(order.status).toBe('invoiced');
    expect(order.payments[0]).toMatchObject({ authorized: 1000, captured: 1000 });
  });
  it('refuses to invoice an order still in handling', () => {
    expectInvalid(
      invoiceOrder(anOrder({ status: 'handling' }), NOW),
      /invoice waits for order ord1 to be ready-for-invoice; it is handling/,
    );
  });
  it('ships an invoiced order, consuming its reservations', () => {
    const order = value(shipOrder(anOrder({ status: 'invoiced' }), NOW));
    expect(order.status).toBe('shipped');
    expect(order.fulfilment.reservations).toEqual([]);
  });
  it('refuses to ship an order that is not invoiced', () => {
    expectInvalid(
      shipOrder(anOrder({ status: 'ready-for-invoice' }), NOW),
      /ship waits for order ord1 to be invoiced/,
    );
  });
  it('delivers a shipped order', () => {
    expect(value(deliverOrder(anOrder({ status: 'shipped' }), NOW)).status).toBe('delivered');
  });
  it('refuses to deliver an order that was not shipped', () => {
    expectInvalid(
      deliverOrder(anOrder({ status: 'invoiced' }), NOW),
      /deliver waits for order ord1 to be shipped/,
    );
  });
});
