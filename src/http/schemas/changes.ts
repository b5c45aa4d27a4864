/**
 * The change body (API.md §4). The schema checks only types, unknown fields, `op` and each op's
 * required keys; value rules (negative money, quantity < 1, blank reason, no operations) answer
 * 422 with their own codes from the domain, so every code is reachable.
 */
import { Type, type TObject, type TProperties } from '@sinclair/typebox';
import { BOUNDS } from '../../domain/bounds.js';
import { AddressSchema } from './orders.js';
import { PAYMENT_METHODS } from '../../domain/order.js';

const strict = { additionalProperties: false } as const;
const opt = Type.Optional;
const str = Type.String({ maxLength: 200 });
// Upper bounds from the domain's table (docs/limits.md); lower bounds stay domain refusals (422).
const quantity = Type.Integer({ maximum: BOUNDS.quantity });
const unitPrice = Type.Integer({ maximum: BOUNDS.unitPriceMinor });
const adjustment = Type.Integer({ maximum: BOUNDS.adjustmentMinor });

const op = <N extends string, P extends TProperties>(name: N, props: P): TObject =>
  Type.Object(
    { op: Type.Literal(name), ...props },
    { ...strict, title: name },
  ) as unknown as TObject;

const lineRef = { lineId: opt(str), sku: opt(str) };

const OPERATION_SCHEMAS = [
  op('addItem', {
    sku: str,
    quantity,
    unitPrice: opt(unitPrice),
    measurementUnit: opt(str),
  }),
  op('removeItem', { ...lineRef, quantity: opt(quantity) }),
  op('replaceItem', {
    lineId: opt(str),
    fromSku: opt(str),
    fromQuantity: opt(quantity),
    sku: str,
    quantity,
    unitPrice: opt(unitPrice),
  }),
  op('setQuantity', { ...lineRef, quantity }),
  op('setUnitPrice', { ...lineRef, unitPrice, priceChangeReason: str }),
  op('adjustTotal', { discount: opt(adjustment), increment: opt(adjustment) }),
  op('changeWeight', {
    lineId: str,
    unitMultiplier: Type.Number({ maximum: BOUNDS.unitMultiplier }),
    measurementUnit: opt(str),
  }),
  op('applyPromotion', { code: str }),
  op('setShippingAddress', { address: AddressSchema }),
  op('setDeliveryDate', {
    date: opt(Type.String({ format: 'date' })),
    from: opt(Type.String({ format: 'date-time' })),
    to: opt(Type.String({ format: 'date-time' })),
    handoverDate: opt(Type.String({ format: 'date' })),
  }),
  op('cancelOrder', { reasonCode: str }),
  op('forceCancelOrder', { reasonCode: str }),
  op('changeCarrier', { carrier: str }),
  op('assignFacility', { facilityId: str }),
  op('reroute', { reasonCode: opt(str) }),
  op('rerouteTask', { pickJobId: str, reasonCode: opt(str) }),
  op('changePaymentMethod', {
    paymentId: opt(str),
    method: Type.Union(PAYMENT_METHODS.map((m) => Type.Literal(m))),
  }),
  op('setCustomAttributes', {
    set: opt(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown())),
    unset: opt(Type.Array(Type.String({ maxLength: 100 }))),
  }),
];

// A discriminated oneOf: Ajv checks only the branch that `op` names, so a 400 lists that op's fields.
export const OperationSchema = Type.Unsafe<Record<string, unknown> & { op: string }>({
  type: 'object',
  required: ['op'],
  discriminator: { propertyName: 'op' },
  oneOf: OPERATION_SCHEMAS,
});

export const ChangeBody = Type.Object(
  {
    operations: Type.Array(OperationSchema, { maxItems: BOUNDS.operations }),
    reason: opt(
      Type.Object(
        { code: Type.String({ maxLength: 64 }), text: opt(Type.String({ maxLength: 2000 })) },
        strict,
      ),
    ),
    expectedVersion: opt(Type.Integer({ minimum: 0 })),
    app: opt(
      Type.Union([
        Type.Literal('console'),
        Type.Literal('picker'),
        Type.Literal('api'),
        Type.Literal('bulk'),
      ]),
    ),
    ifBusy: opt(Type.Union([Type.Literal('queue'), Type.Literal('refuse')])),
    notify: opt(
      Type.Object(
        {
          customer: opt(
            Type.Boolean({
              description: "e-mail the customer what changed; absent → the tenant's defaults",
            }),
          ),
        },
        strict,
      ),
    ),
  },
  strict,
);

export const HistoryQuery = Type.Object(
  { path: opt(Type.String({ maxLength: 300 })), changeId: opt(Type.String({ maxLength: 128 })) },
  strict,
);

export const UndoBody = Type.Object(
  {
    reason: opt(
      Type.Object(
        { code: Type.String({ maxLength: 64 }), text: opt(Type.String({ maxLength: 2000 })) },
        strict,
      ),
    ),
  },
  strict,
);

export const NoteBody = Type.Object({ note: opt(Type.String({ maxLength: 2000 })) }, strict);
export const RejectBody = Type.Object(
  {
    reasonCode: Type.String({ minLength: 1, maxLength: 64 }),
    note: opt(Type.String({ maxLength: 2000 })),
  },
  strict,
);

export const SimulatorMethodParams = Type.Object(
  { method: Type.String({ minLength: 1, maxLength: 64 }) },
  strict,
);
export const SimulatorRuleBody = Type.Object(
  {
    failure: Type.Union([
      Type.Literal('none'),
      Type.Literal('decline'),
      Type.Literal('timeout'),
      Type.Literal('unavailable'),
    ]),
    times: opt(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        description: 'the next N calls fail; omitted: until reset with failure "none"',
      }),
    ),
    latencyMs: opt(Type.Integer({ minimum: 0, maximum: 60000 })),
  },
  strict,
);
