/** Who-am-I, the demo keys, reference data and settings (API.md §1–2) as named components. */
import { Type, type TSchema } from '@sinclair/typebox';
import { lit } from '../../domain/import-order-schema.js';
import { PAYMENT_METHODS } from '../../domain/order.js';
import { PERMISSIONS, ROLES } from '../../domain/permissions.js';
import { KPI_TARGET_NAMES } from '../../domain/kpi-targets.js';
import { OPERATION_NAMES } from '../../domain/settings.js';
import { Money, Nullable } from './common.js';

const closed = { additionalProperties: false } as const;

/** An object with exactly these keys, each of the one schema (TypeBox's Record of a literal union). */
const keyed = <T extends TSchema>(keys: readonly string[], value: T) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, value])) as Record<string, T>, closed);

export const Me = Type.Object(
  {
    actorId: Type.String(),
    tenant: Type.String(),
    role: lit(ROLES),
    permissions: Type.Array(lit(PERMISSIONS)),
  },
  { ...closed, $id: 'Me' },
);

export const DemoKeys = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          key: Type.String(),
          role: lit(ROLES),
          tenant: Type.String(),
          name: Type.String(),
          userId: Type.String(),
        },
        closed,
      ),
    ),
  },
  { ...closed, $id: 'DemoKeys' },
);

export const Product = Type.Object(
  {
    sku: Type.String(),
    name: Type.String(),
    unitPrice: Money,
    currency: Type.String(),
    measurementUnit: Type.String(),
    unitMultiplier: Type.Number(),
    weighable: Type.Boolean(),
    taxRate: Type.Integer({ description: 'basis points' }),
    kind: lit(['item', 'service', 'bundle'] as const),
    allowedSubstitutes: Type.Array(Type.String()),
    available: Type.Optional(
      Nullable(
        Type.Integer({
          description:
            'a search: the units available at its facilityId (null: the search named none)',
        }),
      ),
    ),
  },
  { ...closed, $id: 'Product' },
);

export const Facility = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    shipFromStore: Type.Boolean(),
    location: Nullable(Type.Object({ lat: Type.Number(), lon: Type.Number() }, closed)),
    priority: Type.Integer(),
  },
  { ...closed, $id: 'Facility' },
);

export const StockLevel = Type.Object(
  {
    facilityId: Type.String(),
    sku: Type.String(),
    onHand: Type.Integer(),
    reserved: Type.Integer(),
    available: Type.Integer({ description: 'onHand − reserved' }),
  },
  { ...closed, $id: 'StockLevel' },
);

export const Promotion = Type.Object(
  {
    code: Type.String(),
    kind: lit(['percent', 'amount'] as const),
    value: Type.Number(),
    skus: Type.Array(Type.String()),
  },
  { ...closed, $id: 'Promotion' },
);

const ReasonEntry = Type.Object({ code: Type.String(), label: Type.String() }, closed);

export const Settings = Type.Object(
  {
    operations: keyed(OPERATION_NAMES, Type.Boolean()),
    pickerLimits: Type.Object(
      {
        maxQuantityChangePct: Type.Number(),
        maxPriceChangePct: Type.Number(),
        maxTotalChangePct: Type.Number(),
      },
      closed,
    ),
    rerouteOnModification: Type.Boolean(),
    blacklistFacilityOnTaskReroute: Type.Boolean(),
    approval: Type.Object(
      {
        valueDeltaAbove: Nullable(Type.Number()),
        valueDeltaPctAbove: Nullable(Type.Number()),
        addressChangeAfterPayment: Type.Boolean(),
        changesPerOrderAbove: Nullable(Type.Number()),
        pickerBeyondLimits: Type.Boolean(),
      },
      closed,
    ),
    payments: Type.Object(
      {
        retryBudget: Type.Integer(),
        retryBaseMs: Type.Integer(),
        callTimeoutMs: Type.Integer(),
        methods: Type.Partial(
          keyed(
            PAYMENT_METHODS,
            Type.Object({ canIncrease: Type.Optional(Type.Boolean()) }, closed),
          ),
        ),
      },
      closed,
    ),
    webhooks: Type.Object({ maxAttempts: Type.Integer(), retryBaseMs: Type.Integer() }, closed),
    roles: keyed(ROLES, Type.Array(lit(PERMISSIONS))),
    reasons: keyed(
      ['change', 'priceChange', 'cancelation', 'reroute', 'rejection'] as const,
      Type.Array(ReasonEntry),
    ),
    risk: Type.Object(
      {
        mode: lit(['rules', 'model', 'both'] as const),
        autoApproveBelow: Type.Integer(),
        approvalAbove: Type.Integer(),
        minDecisions: Type.Integer(),
        unusualWindowMinutes: Type.Integer(),
        unusualFactor: Type.Number(),
        unusualMinCount: Type.Integer(),
      },
      closed,
    ),
    promotions: Type.Object({ onChange: lit(['keep', 'reevaluate'] as const) }, closed),
    kpiTargets: keyed(
      KPI_TARGET_NAMES,
      Type.Object({ max: Type.Number(), windowHours: Type.Integer() }, closed),
    ),
    notifications: Type.Object(
      {
        customer: Type.Object(
          {
            defaults: Type.Partial(keyed(OPERATION_NAMES, Type.Boolean())),
            from: Type.String(),
            senderName: Type.String(),
            defaultLocale: Type.String(),
            templates: Type.Record(
              Type.String(),
              Type.Object(
                { subject: Type.Optional(Type.String()), body: Type.Optional(Type.String()) },
                closed,
              ),
            ),
            maxAttempts: Type.Integer(),
            retryBaseMs: Type.Integer(),
          },
          closed,
        ),
      },
      closed,
    ),
  },
  { ...closed, $id: 'Settings' },
);

/** One of the tenant's people: who asked for or decided a change. */
export const User = Type.Object(
  { id: Type.String(), name: Type.String(), role: Type.String() },
  { ...closed, $id: 'User' },
);

export const REFERENCE_COMPONENTS = [
  User,
  Me,
  DemoKeys,
  Product,
  Facility,
  StockLevel,
  Promotion,
  Settings,
];
