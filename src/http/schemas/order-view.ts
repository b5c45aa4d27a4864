/**
 * The canonical order as the API answers it (API.md §3), as named components of /openapi.json.
 * The route's TypeBox provider checks the domain's Order against it at compile time, and the test
 * app validates every answer against the document (test/support/response-contract.ts).
 */
import { Type } from '@sinclair/typebox';
import { lit } from '../../domain/import-order-schema.js';
import { ORDER_STATUSES, ORIGINS, PAYMENT_METHODS, PICK_JOB_STATUSES } from '../../domain/order.js';
import { Money, Nullable } from './common.js';

const closed = { additionalProperties: false } as const;

export const Location = Type.Object({ lat: Type.Number(), lon: Type.Number() }, closed);

export const Customer = Type.Object(
  {
    name: Type.String(),
    email: Type.String(),
    phone: Type.Optional(Nullable(Type.String())),
    locale: Type.Optional(
      Type.String({
        description: "the customer's notices' language; absent: the tenant's default",
      }),
    ),
  },
  { ...closed, $id: 'Customer' },
);

export const Address = Type.Object(
  {
    name: Type.String(),
    street: Type.String(),
    city: Type.String(),
    postalCode: Type.String(),
    country: Type.String({ description: 'ISO 3166-1 alpha-2' }),
    location: Type.Optional(Nullable(Location)),
  },
  { ...closed, $id: 'Address' },
);

export const OrderLine = Type.Object(
  {
    lineId: Type.String(),
    sku: Type.String(),
    name: Type.String(),
    quantity: Type.Integer(),
    measurementUnit: Type.String(),
    unitMultiplier: Type.Number({
      description: 'weight per unit for weighable lines; 1 otherwise',
    }),
    unitPrice: Money,
    discount: Money,
    taxRate: Type.Integer({ description: 'basis points: 1900 = 19 %' }),
    weighable: Type.Boolean(),
    bundleId: Nullable(Type.String()),
    parentLineId: Nullable(Type.String()),
    allowedSubstitutes: Type.Array(Type.String()),
  },
  { ...closed, $id: 'OrderLine' },
);

export const Payment = Type.Object(
  {
    id: Type.String(),
    method: lit(PAYMENT_METHODS),
    settledByApi: Type.Boolean(),
    transactionId: Nullable(Type.String()),
    authorized: Money,
    captured: Money,
    refunded: Money,
  },
  { ...closed, $id: 'Payment' },
);

export const Totals = Type.Object(
  {
    items: Money,
    discounts: Money,
    increments: Money,
    shipping: Money,
    tax: Money,
    grandTotal: Money,
  },
  { ...closed, $id: 'Totals' },
);

export const PickJob = Type.Object(
  {
    id: Type.String(),
    facilityId: Type.String(),
    status: lit(PICK_JOB_STATUSES),
    subStatus: Nullable(Type.String()),
    assigneeId: Nullable(Type.String()),
    lines: Type.Array(
      Type.Object(
        { lineId: Type.String(), quantity: Type.Integer(), picked: Type.Integer() },
        closed,
      ),
    ),
  },
  { ...closed, $id: 'PickJob' },
);

export const Label = Type.Object(
  {
    id: Type.String(),
    carrier: Type.String(),
    status: lit(['requested', 'generated', 'obsolete'] as const),
  },
  { ...closed, $id: 'Label' },
);

export const Fulfilment = Type.Object(
  {
    routing: Type.Object(
      {
        status: lit(['routed', 'unroutable'] as const),
        reasons: Type.Array(
          Type.Object(
            { lineId: Type.String(), sku: Type.String(), missing: Type.Integer() },
            closed,
          ),
        ),
        blacklist: Type.Array(Type.String()),
      },
      closed,
    ),
    reservations: Type.Array(
      Type.Object(
        {
          lineId: Type.String(),
          sku: Type.String(),
          facilityId: Type.String(),
          quantity: Type.Integer(),
        },
        closed,
      ),
    ),
    pickJobs: Type.Array(Type.Ref(PickJob)),
    labels: Type.Array(Type.Ref(Label)),
    handover: Nullable(
      Type.Object(
        {
          id: Type.String(),
          status: lit(['open', 'handed-over', 'canceled'] as const),
          date: Nullable(
            Type.String({ format: 'date', description: 'the day the hand-over is planned for' }),
          ),
        },
        closed,
      ),
    ),
    packages: Type.Array(Type.Object({ id: Type.String() }, closed)),
  },
  { ...closed, $id: 'Fulfilment' },
);

export const Order = Type.Object(
  {
    id: Type.String(),
    channel: Type.String(),
    channelOrderRef: Type.String(),
    origin: lit(ORIGINS),
    status: lit(ORDER_STATUSES),
    currency: Type.String(),
    version: Type.Integer({ description: 'also the ETag' }),
    customer: Type.Ref(Customer),
    shippingAddress: Type.Ref(Address),
    preferredDeliveryDate: Nullable(Type.String({ format: 'date' })),
    deliveryWindow: Nullable(
      Type.Object(
        { from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) },
        closed,
      ),
    ),
    customAttributes: Type.Record(Type.String(), Type.Unknown()),
    carrier: Nullable(Type.String()),
    facilityId: Nullable(Type.String()),
    lines: Type.Array(Type.Ref(OrderLine)),
    shippingTotal: Money,
    adjustments: Type.Object({ discount: Money, increment: Money }, closed),
    appliedPromotions: Type.Array(Type.String()),
    totals: Type.Ref(Totals),
    payments: Type.Array(Type.Ref(Payment)),
    fulfilment: Type.Ref(Fulfilment),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { ...closed, $id: 'Order' },
);

/** `?version=N`: the order as it was after change N, less status and fulfilment (API.md §7.5). */
export const OrderVersion = Type.Omit(Order, ['status', 'fulfilment'], {
  ...closed,
  $id: 'OrderVersion',
  description: 'the order as it was after change N (?version=N): no status, no fulfilment',
});

export const ORDER_COMPONENTS = [
  Customer,
  Address,
  OrderLine,
  Payment,
  Totals,
  PickJob,
  Label,
  Fulfilment,
  Order,
  OrderVersion,
];
