/**
 * The facade's shapes as TypeBox schemas with an `$id` (named components of /openapi.json, tag `vtex`),
 * after VTEX's own (restated in test/fixtures/vtex/vtex-shapes.json). Requests are checked for shape only; VTEX's answers keep
 * `additionalProperties` open because VTEX's clients read more keys than Amend can fill.
 */
import { Type, type TSchema } from '@sinclair/typebox';

const open = { additionalProperties: true };
const Int = Type.Integer();
const Str = Type.String();
const ItemId = Type.String({
  pattern: '\\S',
  description: 'The sku (VTEX item id); blank → CHK0022',
});
const Reason = Type.String({
  description: 'Free text; blank → REASON_REQUIRED ("Field reason not set")',
});

export const VtexV1Item = Type.Object(
  { id: ItemId, price: Type.Optional(Int), quantity: Int },
  { additionalProperties: true },
);

export const VtexV1Body = Type.Object(
  {
    requestId: Type.String({ minLength: 1, maxLength: 100 }),
    reason: Type.Optional(Reason),
    discountValue: Int,
    incrementValue: Int,
    itemsRemoved: Type.Optional(Type.Array(VtexV1Item)),
    itemsAdded: Type.Optional(Type.Array(VtexV1Item)),
  },
  { $id: 'VtexRegisterChangeRequest', ...open },
);

export const VtexV1Receipt = Type.Object(
  { date: Str, orderId: Str, receipt: Str },
  { $id: 'VtexRegisterChangeResponse', ...open },
);

const FromItemIn = Type.Object(
  {
    id: ItemId,
    uniqueId: Type.Optional(Str),
    quantity: Int,
    price: Type.Optional(Int),
    measurementUnit: Type.Optional(Str),
    unitMultiplier: Type.Optional(Type.Number()),
  },
  open,
);
const ToItemIn = Type.Object(
  {
    id: ItemId,
    uniqueId: Type.Optional(Str),
    quantity: Int,
    measurementUnit: Type.Optional(Str),
    unitMultiplier: Type.Optional(Type.Number()),
    manualDiscountValue: Type.Optional(Int),
    manualIncrementValue: Type.Optional(Int),
  },
  open,
);

export const VtexV2Body = Type.Object(
  {
    reason: Type.Optional(Reason),
    add: Type.Optional(Type.Object({ items: Type.Array(ToItemIn) }, open)),
    remove: Type.Optional(Type.Object({ items: Type.Array(FromItemIn) }, open)),
    replace: Type.Optional(
      Type.Array(
        Type.Object(
          {
            from: Type.Object({ items: Type.Array(FromItemIn) }, open),
            to: Type.Object({ items: Type.Array(ToItemIn) }, open),
          },
          open,
        ),
      ),
    ),
    manualDiscountValue: Type.Optional(Int),
    manualIncrementValue: Type.Optional(Int),
    settings: Type.Optional(Type.Unknown()),
  },
  { $id: 'VtexChangeRequest', ...open },
);

export const VtexCancelBody = Type.Object(
  { reason: Type.Optional(Str) },
  { $id: 'VtexCancelRequest', ...open },
);

const Total = Type.Object({ id: Str, name: Str, value: Int }, open);
const Items = Type.Array(Type.Object({ id: Str, quantity: Int }, open));
const Side = Type.Object({ items: Items }, open);

const changeFields = {
  reason: Str,
  manualDiscountValue: Int,
  manualIncrementValue: Int,
  totalChangeValue: Int,
  totals: Type.Array(Total),
  add: Type.Union([Side, Type.Null()]),
  remove: Type.Union([Side, Type.Null()]),
  replace: Type.Array(Type.Object({ from: Side, to: Side }, open)),
  date: Str,
  origin: Type.Object({ account: Str, orderId: Str, component: Str }, open),
  settings: Type.Object({}, open),
};
const ids = { requestId: Str, workflowId: Str };

export const VtexPreview = Type.Object(changeFields, { $id: 'VtexChangePreview', ...open });
export const VtexChange = Type.Object({ ...ids, ...changeFields }, { $id: 'VtexChange', ...open });
export const VtexChangeDetail = Type.Object(
  {
    ...ids,
    ...changeFields,
    status: Type.Union(
      ['waiting-acknowledgement', 'waiting-confirmation', 'done', 'canceled'].map((s) =>
        Type.Literal(s),
      ),
    ),
    inProgress: Type.Boolean(),
    logs: Type.Array(Type.Object({ status: Str, date: Str, cause: Str })),
    error: Type.Union([Type.Object({ code: Str, message: Str }), Type.Null()], {
      description: "A refused or failed change's outcome as VTEX's code and message",
    }),
  },
  { $id: 'VtexChangeDetail', ...open },
);
export const VtexHistory = Type.Object(
  { requests: Type.Array(Type.Ref(VtexChange)), actions: Type.Array(Type.Unknown()) },
  { $id: 'VtexChangeHistory', ...open },
);

const ReceiptItem = Type.Object(
  { id: Str, name: Str, quantity: Int, price: Int, unitMultiplier: Type.Null() },
  open,
);
export const VtexOrder = Type.Object(
  {
    orderId: Str,
    status: Str,
    origin: Str,
    value: Int,
    totals: Type.Array(Total),
    items: Type.Array(Type.Object({ uniqueId: Str, id: Str, quantity: Int, price: Int }, open)),
    changesAttachment: Type.Union([
      Type.Object(
        {
          id: Type.Literal('changeAttachment'),
          changesData: Type.Array(
            Type.Object(
              {
                reason: Str,
                discountValue: Int,
                incrementValue: Int,
                itemsAdded: Type.Array(ReceiptItem),
                itemsRemoved: Type.Array(ReceiptItem),
                receipt: Type.Ref(VtexV1Receipt),
              },
              open,
            ),
          ),
        },
        open,
      ),
      Type.Null(),
    ]),
  },
  { $id: 'VtexOrder', ...open },
);

const SummaryItem = Type.Object({ id: Str, uniqueId: Str, quantity: Int, price: Int }, open);
export const VtexSummary = Type.Object(
  {
    original: Type.Array(SummaryItem),
    added: Type.Array(SummaryItem),
    removed: Type.Array(SummaryItem),
    replaced: Type.Array(Type.Object({ replaceType: Str, from: Side, to: Side }, open)),
    manualDiscountValueAggregated: Int,
    manualIncrementValueAggregated: Int,
    totalChangeValueAggregated: Int,
    totals: Type.Array(Total),
    lastChange: Type.Optional(Str),
  },
  { $id: 'VtexChangeSummary', ...open },
);

export const VtexErrorBody = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ description: "VTEX's code (CHK…, SalesOrderSystem…), else Amend's" }),
        message: Type.String({ description: "VTEX's message for v1 or v2" }),
        exception: Type.Null(),
        amend: Type.Unknown({
          description: 'The Amend problem (application/problem+json) behind it',
        }),
      },
      open,
    ),
  },
  { $id: 'VtexError', ...open },
);

/** Every named schema, for addSchema (serializers and /openapi.json) and the facade's validator. */
export const VTEX_SCHEMAS: TSchema[] = [
  VtexV1Body,
  VtexV1Receipt,
  VtexV2Body,
  VtexCancelBody,
  VtexPreview,
  VtexChange,
  VtexChangeDetail,
  VtexHistory,
  VtexOrder,
  VtexSummary,
  VtexErrorBody,
];

/** The error answers of a route, in VTEX's envelope. */
export function vtexErrors(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: "VTEX's error envelope",
        content: { 'application/json': { schema: Type.Ref(VtexErrorBody) } },
      },
    ]),
  );
}

export const OrderParams = Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 128 }) });
export const ChangeOrderParams = Type.Object({
  changeOrderId: Type.String({ minLength: 1, maxLength: 128 }),
});
export const ChangeRequestParams = Type.Object({
  changeOrderId: Type.String({ minLength: 1, maxLength: 128 }),
  changeRequestId: Type.String({ minLength: 1, maxLength: 128 }),
});
/** VTEX marks accountName / an required; the tenant is the key's, so both are accepted and ignored. */
export const AccountQuery = Type.Object(
  { accountName: Type.Optional(Str), an: Type.Optional(Str) },
  { additionalProperties: true },
);
