/**
 * The canonical import body (API.md §3) as a TypeBox schema: POST /v1/orders checks it at the edge,
 * and the intake pipeline checks an `amend` source's payload against the very same one.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { ORIGINS, PAYMENT_METHODS } from './order.js';

const Money = Type.Integer({ description: 'minor units (1299 = 12.99)' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const strict = { additionalProperties: false } as const;
export const lit = <T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v)));

export const CustomerSchema = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    email: Type.String({ maxLength: 320 }),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    /** BCP 47 (`de`, `en-GB`): the language of the customer's notifications. */
    locale: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$' })),
  },
  strict,
);

export const LocationSchema = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
  },
  strict,
);

/** Every field optional in the schema: the ADDRESS_INVALID rule names each missing one (API.md §7.6). */
export const AddressSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    street: Type.Optional(Type.String({ maxLength: 300 })),
    city: Type.Optional(Type.String({ maxLength: 200 })),
    postalCode: Type.Optional(Type.String({ maxLength: 20 })),
    // Not two letters is a domain refusal (ADDRESS_INVALID 422 naming the field), not a schema 400.
    country: Type.Optional(Type.String({ maxLength: 64 })),
    location: Type.Optional(Nullable(LocationSchema)),
  },
  strict,
);

export const DeliveryWindowSchema = Type.Object(
  { from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) },
  strict,
);

export const ImportLineSchema = Type.Object(
  {
    sku: Type.String({ minLength: 1, maxLength: 100 }),
    quantity: Type.Integer(),
    lineId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    name: Type.Optional(Type.String({ maxLength: 300 })),
    unitPrice: Type.Optional(Money),
    taxRate: Type.Optional(Type.Integer()),
    discount: Type.Optional(Money),
    unitMultiplier: Type.Optional(Type.Number()),
    measurementUnit: Type.Optional(Type.String({ maxLength: 20 })),
    allowedSubstitutes: Type.Optional(Type.Array(Type.String())),
    bundleId: Type.Optional(Nullable(Type.String())),
    parentLineId: Type.Optional(Nullable(Type.String())),
  },
  strict,
);

export const ImportPaymentSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    method: lit(PAYMENT_METHODS),
    authorized: Type.Optional(Money),
    captured: Type.Optional(Money),
    settledByApi: Type.Optional(Type.Boolean()),
    transactionId: Type.Optional(Nullable(Type.String())),
  },
  strict,
);

export const ImportOrderBody = Type.Object(
  {
    channel: Type.String({ minLength: 1, maxLength: 100 }),
    channelOrderRef: Type.String({ minLength: 1, maxLength: 100 }),
    origin: Type.Optional(lit(ORIGINS)),
    status: Type.Optional(lit(['payment-approved', 'payment-pending'] as const)),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    customer: CustomerSchema,
    shippingAddress: AddressSchema,
    preferredDeliveryDate: Type.Optional(Nullable(Type.String({ format: 'date' }))),
    deliveryWindow: Type.Optional(Nullable(DeliveryWindowSchema)),
    customAttributes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    carrier: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
    facilityId: Type.Optional(Nullable(Type.String())),
    lines: Type.Array(ImportLineSchema, { maxItems: 500 }),
    shippingTotal: Type.Optional(Money),
    adjustments: Type.Optional(
      Type.Object({ discount: Type.Optional(Money), increment: Type.Optional(Money) }, strict),
    ),
    payments: Type.Optional(Type.Array(ImportPaymentSchema, { maxItems: 20 })),
  },
  strict,
);
