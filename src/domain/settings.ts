/** The tenant's configuration (API.md §2) and its defaults (§7.1). */
import { DEFAULT_ROLE_PERMISSIONS, type Permission, type Role } from './permissions.js';
import type { PaymentMethod } from './order.js';
import { defaultKpiTargets, type KpiTargets } from './kpi-targets.js';
import type { CustomerNoticeSettings } from './notifications/customer-notice.js';

export const OPERATION_NAMES = [
  'addItem',
  'removeItem',
  'replaceItem',
  'setQuantity',
  'setUnitPrice',
  'adjustTotal',
  'changeWeight',
  'applyPromotion',
  'setShippingAddress',
  'setDeliveryDate',
  'setCustomAttributes',
  'cancelOrder',
  'forceCancelOrder',
  'changeCarrier',
  'assignFacility',
  'reroute',
  'rerouteTask',
  'changePaymentMethod',
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

export interface ReasonEntry {
  code: string;
  label: string;
}
export type ReasonCatalogue = 'change' | 'priceChange' | 'cancelation' | 'reroute' | 'rejection';

/** The risk policy (docs/risk.md): who decides, the model's thresholds, the cold start. */
export interface RiskSettings {
  /** rules: the fixed approval rules; model: the tenant's model; both: either asks for approval. */
  mode: 'rules' | 'model' | 'both';
  /** A score (0–100) below this applies without a person, recorded as the model's decision. */
  autoApproveBelow: number;
  /** A score at or above this needs a supervisor. */
  approvalAbove: number;
  /** Rules decide until the tenant's model was trained on at least this many decisions. */
  minDecisions: number;
  /** The window of the unusual-actor check, and how far above an actor's usual counts as unusual. */
  unusualWindowMinutes: number;
  unusualFactor: number;
  unusualMinCount: number;
}

export interface TenantSettings {
  operations: Record<OperationName, boolean>;
  pickerLimits: {
    maxQuantityChangePct: number;
    maxPriceChangePct: number;
    maxTotalChangePct: number;
  };
  rerouteOnModification: boolean;
  blacklistFacilityOnTaskReroute: boolean;
  approval: {
    valueDeltaAbove: number | null;
    valueDeltaPctAbove: number | null;
    addressChangeAfterPayment: boolean;
    changesPerOrderAbove: number | null;
    pickerBeyondLimits: boolean;
  };
  payments: {
    retryBudget: number;
    retryBaseMs: number;
    callTimeoutMs: number;
    methods: Partial<Record<PaymentMethod, { canIncrease?: boolean }>>;
  };
  webhooks: { maxAttempts: number; retryBaseMs: number };
  risk: RiskSettings;
  roles: Record<Role, Permission[]>;
  reasons: Record<ReasonCatalogue, ReasonEntry[]>;
  /** keep: price terms from checkout stay; reevaluate: percent promotions apply again (issue 16). */
  promotions: { onChange: 'keep' | 'reevaluate' };
  /** seed 002's targets, held against the KPIs (docs/kpis.md). */
  kpiTargets: KpiTargets;
  /** Customer notices of changes (docs/notifications.md). */
  notifications: { customer: CustomerNoticeSettings };
}

const CUSTOMER_VISIBLE: OperationName[] = [
  'addItem',
  'removeItem',
  'replaceItem',
  'setQuantity',
  'setUnitPrice',
  'adjustTotal',
  'changeWeight',
  'applyPromotion',
  'setShippingAddress',
  'setDeliveryDate',
  'cancelOrder',
  'forceCancelOrder',
];

const reasons = (...codes: [string, string][]): ReasonEntry[] =>
  codes.map(([code, label]) => ({ code, label }));

export function defaultSettings(): TenantSettings {
  return {
    operations: Object.fromEntries(OPERATION_NAMES.map((op) => [op, true])) as Record<
      OperationName,
      boolean
    >,
    pickerLimits: { maxQuantityChangePct: 50, maxPriceChangePct: 10, maxTotalChangePct: 20 },
    rerouteOnModification: true,
    blacklistFacilityOnTaskReroute: true,
    approval: {
      valueDeltaAbove: 20000,
      valueDeltaPctAbove: 50,
      addressChangeAfterPayment: false,
      changesPerOrderAbove: 10,
      pickerBeyondLimits: true,
    },
    payments: {
      retryBudget: 5,
      retryBaseMs: 200,
      callTimeoutMs: 2000,
      methods: {
        'credit-card': { canIncrease: true },
        promissory: { canIncrease: true },
        cash: { canIncrease: true },
        'credit-control': { canIncrease: true },
        'bank-slip': { canIncrease: false },
        'instant-transfer': { canIncrease: false },
        'gift-card': { canIncrease: false },
      },
    },
    webhooks: { maxAttempts: 8, retryBaseMs: 1000 },
    risk: {
      mode: 'rules',
      autoApproveBelow: 15,
      approvalAbove: 60,
      minDecisions: 200,
      unusualWindowMinutes: 10,
      unusualFactor: 3,
      unusualMinCount: 8,
    },
    roles: structuredClone(DEFAULT_ROLE_PERMISSIONS),
    reasons: {
      change: reasons(
        ['CUSTOMER_REQUEST', 'Customer asked'],
        ['ITEM_MISSING', 'Item missing at picking'],
        ['ADDRESS_CORRECTION', 'Address correction'],
        ['PRICE_CORRECTION', 'Price correction'],
        ['SUBSTITUTION', 'Substitution'],
      ),
      priceChange: reasons(['PRICE_MATCH', 'Price match'], ['DAMAGED', 'Damaged item']),
      cancelation: reasons(
        ['CUSTOMER_REQUEST', 'Customer asked'],
        ['FRAUD', 'Fraud suspected'],
        ['OUT_OF_STOCK', 'Out of stock'],
      ),
      reroute: reasons(
        ['STOCK_MISMATCH', 'Stock mismatch'],
        ['FACILITY_CLOSED', 'Facility closed'],
      ),
      rejection: reasons(
        ['POLICY', 'Against policy'],
        ['CUSTOMER_NOT_REACHED', 'Customer not reached'],
      ),
    },
    promotions: { onChange: 'keep' },
    kpiTargets: defaultKpiTargets(),
    notifications: {
      customer: {
        // What the customer sees (lines, money, dates, address) notifies; internal moves do not.
        defaults: Object.fromEntries(CUSTOMER_VISIBLE.map((op) => [op, true])),
        from: 'orders@example.com',
        senderName: 'Your shop',
        defaultLocale: 'en',
        templates: {},
        maxAttempts: 6,
        retryBaseMs: 2000,
      },
    },
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Settings whose `null` is a value: the approval thresholds, where null switches the rule off
 * (API.md §2). A plain RFC 7396 merge patch would delete the key and bring the default back, so
 * for these paths a null is kept — in the stored document and over the defaults. To get the
 * default back, send its value.
 */
export const NULLABLE_SETTINGS: ReadonlySet<string> = new Set([
  'approval.valueDeltaAbove',
  'approval.valueDeltaPctAbove',
  'approval.changesPerOrderAbove',
]);

/** RFC 7396 JSON merge patch: objects merge, null deletes (except on NULLABLE_SETTINGS), the rest replaces. */
export function mergePatch(target: unknown, patch: unknown, path = ''): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    const at = path ? `${path}.${key}` : key;
    if (value === null && NULLABLE_SETTINGS.has(at)) result[key] = null;
    else if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value, at);
  }
  return result;
}

/** The effective settings: defaults overlaid with what the tenant stored. */
export function effectiveSettings(stored: unknown): TenantSettings {
  return mergePatch(defaultSettings(), stored ?? {}) as TenantSettings;
}

export function canIncrease(settings: TenantSettings, method: PaymentMethod): boolean {
  return settings.payments.methods[method]?.canIncrease ?? false;
}

export function permissionsOf(settings: TenantSettings, role: Role): Permission[] {
  return settings.roles[role] ?? DEFAULT_ROLE_PERMISSIONS[role];
}

export function isKnownReason(
  settings: TenantSettings,
  catalogue: ReasonCatalogue,
  code: string,
): boolean {
  return settings.reasons[catalogue].some((entry) => entry.code === code);
}
