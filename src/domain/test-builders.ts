/** Builders for domain tests: a valid order and context, overridden where a test needs it. */
import type { Product } from './catalogue.js';
import type { ChangeContext } from './change/types.js';
import type { Fulfilment, Order, OrderLine, PickJob } from './order.js';
import { DEFAULT_ROLE_PERMISSIONS, type Role } from './permissions.js';
import { defaultSettings } from './settings.js';
import { computeTotals } from './totals.js';

export const aLine = (over: Partial<OrderLine> = {}): OrderLine => ({
  lineId: 'l1',
  sku: 'APPLE',
  name: 'Apples',
  quantity: 2,
  measurementUnit: 'un',
  unitMultiplier: 1,
  unitPrice: 299,
  discount: 0,
  taxRate: 1900,
  weighable: false,
  bundleId: null,
  parentLineId: null,
  allowedSubstitutes: ['PEAR'],
  ...over,
});

export const aPickJob = (over: Partial<PickJob> = {}): PickJob => ({
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

/** A payment-approved order at Berlin: 2 × APPLE (l1), 1 × MILK (l2), paid by credit card. */
export function anOrder(
  over: Partial<Omit<Order, 'fulfilment'>> & { fulfilment?: Partial<Fulfilment> } = {},
): Order {
  const { fulfilment, ...rest } = over;
  const lines = rest.lines ?? [
    aLine(),
    aLine({
      lineId: 'l2',
      sku: 'MILK',
      name: 'Milk',
      quantity: 1,
      unitPrice: 119,
      taxRate: 700,
      allowedSubstitutes: [],
    }),
  ];
  const shippingTotal = rest.shippingTotal ?? 495;
  const adjustments = rest.adjustments ?? { discount: 0, increment: 0 };
  const totals = computeTotals({ lines, shippingTotal, adjustments });
  return {
    id: 'ord1',
    channel: 'web',
    channelOrderRef: 'W-1',
    origin: 'direct',
    status: 'payment-approved',
    currency: 'EUR',
    version: 0,
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
    carrier: 'DHL',
    facilityId: 'berlin',
    lines,
    shippingTotal,
    adjustments,
    appliedPromotions: [],
    payments: [
      {
        id: 'pay1',
        method: 'credit-card',
        settledByApi: false,
        transactionId: null,
        authorized: totals.grandTotal,
        captured: 0,
        refunded: 0,
      },
    ],
    fulfilment: {
      routing: { status: 'routed', reasons: [], blacklist: [] },
      reservations: lines.map((l) => ({
        lineId: l.lineId,
        sku: l.sku,
        facilityId: 'berlin',
        quantity: l.quantity,
      })),
      pickJobs: [
        aPickJob({
          lines: lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, picked: 0 })),
        }),
      ],
      labels: [],
      handover: { id: 'hov1', status: 'open', date: null },
      packages: [],
      ...fulfilment,
    },
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    ...rest,
    totals: rest.totals ?? totals,
  };
}

const product = (sku: string, unitPrice: number, over: Partial<Product> = {}): Product => ({
  sku,
  name: sku,
  unitPrice,
  currency: 'EUR',
  measurementUnit: 'un',
  unitMultiplier: 1,
  weighable: false,
  taxRate: 1900,
  kind: 'item',
  allowedSubstitutes: [],
  ...over,
});

export const PRODUCTS = new Map<string, Product>([
  ['APPLE', product('APPLE', 299, { allowedSubstitutes: ['PEAR'] })],
  ['PEAR', product('PEAR', 349)],
  ['MILK', product('MILK', 119)],
  [
    'CHEESE',
    product('CHEESE', 1299, { weighable: true, measurementUnit: 'kg', unitMultiplier: 0.5 }),
  ],
  ['WRAP', product('WRAP', 300, { kind: 'service' })],
  ['KGPEAR', product('KGPEAR', 349, { measurementUnit: 'kg' })],
]);

export function aContext(
  over: Partial<ChangeContext> & { role?: Role; actorId?: string } = {},
): ChangeContext {
  const { role = 'agent', actorId = 'u1', ...rest } = over;
  let n = 0;
  return {
    actor: { actorId, role, permissions: new Set(DEFAULT_ROLE_PERMISSIONS[role]) },
    settings: defaultSettings(),
    products: PRODUCTS,
    promotions: new Map([
      ['SAVE10', { code: 'SAVE10', kind: 'percent', value: 10, skus: [] }],
      ['FIVEOFF', { code: 'FIVEOFF', kind: 'amount', value: 500, skus: [] }],
    ]),
    candidates: [
      {
        id: 'berlin',
        priority: 1,
        shipFromStore: true,
        location: null,
        available: { APPLE: 10, PEAR: 10, MILK: 10, CHEESE: 10, WRAP: 99, KGPEAR: 5 },
      },
      {
        id: 'hamburg',
        priority: 2,
        shipFromStore: true,
        location: null,
        available: { APPLE: 50, PEAR: 50, MILK: 50 },
      },
    ],
    originalOrder: anOrder(),
    changeCount: 0,
    appliedCount: 0,
    nextId: (prefix) => `${prefix}-${++n}`,
    now: '2030-01-02T00:00:00.000Z',
    ...rest,
  };
}
