/** The settings PATCH body: a JSON merge patch whose every key must exist (unknown key → 400). */
import { Type } from '@sinclair/typebox';
import { PAYMENT_METHODS } from '../../domain/order.js';
import { PERMISSIONS, ROLES } from '../../domain/permissions.js';
import { KPI_TARGET_NAMES } from '../../domain/kpi-targets.js';
import { OPERATION_NAMES } from '../../domain/settings.js';

const strict = { additionalProperties: false } as const;
const opt = Type.Optional;
const pct = Type.Number({ minimum: 0, maximum: 1000 });
const reasonList = Type.Array(
  Type.Object(
    {
      code: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', maxLength: 64 }),
      label: Type.String({ maxLength: 200 }),
    },
    strict,
  ),
);
const LOCALE = '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$';
const nullableNumber = Type.Union([Type.Number({ minimum: 0 }), Type.Null()]);

export const SettingsPatch = Type.Object(
  {
    operations: opt(
      Type.Object(
        Object.fromEntries(OPERATION_NAMES.map((op) => [op, opt(Type.Boolean())])),
        strict,
      ),
    ),
    pickerLimits: opt(
      Type.Object(
        {
          maxQuantityChangePct: opt(pct),
          maxPriceChangePct: opt(pct),
          maxTotalChangePct: opt(pct),
        },
        strict,
      ),
    ),
    rerouteOnModification: opt(Type.Boolean()),
    blacklistFacilityOnTaskReroute: opt(Type.Boolean()),
    approval: opt(
      Type.Object(
        {
          valueDeltaAbove: opt(nullableNumber),
          valueDeltaPctAbove: opt(nullableNumber),
          addressChangeAfterPayment: opt(Type.Boolean()),
          changesPerOrderAbove: opt(nullableNumber),
          pickerBeyondLimits: opt(Type.Boolean()),
        },
        strict,
      ),
    ),
    payments: opt(
      Type.Object(
        {
          retryBudget: opt(Type.Integer({ minimum: 0, maximum: 20 })),
          retryBaseMs: opt(Type.Integer({ minimum: 0, maximum: 60_000 })),
          callTimeoutMs: opt(Type.Integer({ minimum: 1, maximum: 60_000 })),
          methods: opt(
            Type.Object(
              Object.fromEntries(
                PAYMENT_METHODS.map((m) => [
                  m,
                  opt(Type.Object({ canIncrease: opt(Type.Boolean()) }, strict)),
                ]),
              ),
              strict,
            ),
          ),
        },
        strict,
      ),
    ),
    risk: opt(
      Type.Object(
        {
          mode: opt(
            Type.Union([Type.Literal('rules'), Type.Literal('model'), Type.Literal('both')]),
          ),
          autoApproveBelow: opt(Type.Integer({ minimum: 0, maximum: 100 })),
          approvalAbove: opt(Type.Integer({ minimum: 0, maximum: 101 })),
          minDecisions: opt(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
          unusualWindowMinutes: opt(Type.Integer({ minimum: 1, maximum: 1440 })),
          unusualFactor: opt(Type.Number({ minimum: 1, maximum: 100 })),
          unusualMinCount: opt(Type.Integer({ minimum: 1, maximum: 10_000 })),
        },
        strict,
      ),
    ),
    webhooks: opt(
      Type.Object(
        {
          maxAttempts: opt(Type.Integer({ minimum: 1, maximum: 50 })),
          retryBaseMs: opt(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
        },
        strict,
      ),
    ),
    roles: opt(
      Type.Object(
        Object.fromEntries(
          ROLES.map((r) => [
            r,
            opt(
              Type.Array(Type.Union(PERMISSIONS.map((p) => Type.Literal(p))), {
                uniqueItems: true,
              }),
            ),
          ]),
        ),
        strict,
      ),
    ),
    reasons: opt(
      Type.Object(
        {
          change: opt(reasonList),
          priceChange: opt(reasonList),
          cancelation: opt(reasonList),
          reroute: opt(reasonList),
          rejection: opt(reasonList),
        },
        strict,
      ),
    ),
    promotions: opt(
      Type.Object(
        { onChange: opt(Type.Union([Type.Literal('keep'), Type.Literal('reevaluate')])) },
        strict,
      ),
    ),
    notifications: opt(
      Type.Object(
        {
          customer: opt(
            Type.Object(
              {
                defaults: opt(
                  Type.Object(
                    Object.fromEntries(OPERATION_NAMES.map((op) => [op, opt(Type.Boolean())])),
                    strict,
                  ),
                ),
                from: opt(Type.String({ minLength: 3, maxLength: 320 })),
                senderName: opt(Type.String({ maxLength: 200 })),
                defaultLocale: opt(Type.String({ pattern: LOCALE })),
                templates: opt(
                  Type.Record(
                    Type.String({ pattern: LOCALE }),
                    Type.Object(
                      {
                        subject: opt(Type.String({ minLength: 1, maxLength: 300 })),
                        body: opt(Type.String({ minLength: 1, maxLength: 10_000 })),
                      },
                      strict,
                    ),
                    strict,
                  ),
                ),
                maxAttempts: opt(Type.Integer({ minimum: 1, maximum: 50 })),
                retryBaseMs: opt(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
              },
              strict,
            ),
          ),
        },
        strict,
      ),
    ),
    kpiTargets: opt(
      Type.Object(
        Object.fromEntries(
          KPI_TARGET_NAMES.map((k) => [
            k,
            opt(
              Type.Object(
                {
                  max: opt(Type.Number({ minimum: 0 })),
                  windowHours: opt(Type.Integer({ minimum: 1, maximum: 24 * 366 })),
                },
                strict,
              ),
            ),
          ]),
        ),
        strict,
      ),
    ),
  },
  strict,
);
