/**
 * The customer's notice of a change (issue 16 point 5): whether one is sent, and its words — what
 * changed, the new total, the money charged or refunded — in the customer's language. Pure: preview
 * shows exactly what apply will send.
 */
import type { ChangePlan, Operation } from '../change/types.js';
import type { Order } from '../order.js';
import type { OperationName } from '../settings.js';
import { BUILT_IN_TEMPLATES, fill, PHRASES, type NoticeTemplate } from './templates.js';

export interface CustomerNoticeSettings {
  /** Per operation: does a change with it notify the customer when the request does not say? */
  defaults: Partial<Record<OperationName, boolean>>;
  from: string;
  senderName: string;
  defaultLocale: string;
  /** Tenant templates by locale, over the built-in en and de. */
  templates: Record<string, Partial<NoticeTemplate>>;
  maxAttempts: number;
  retryBaseMs: number;
}

export interface CustomerNotice {
  to: string;
  locale: string;
  subject: string;
  text: string;
}

/** The request's `notify.customer` when given; else whether any of its operations defaults to yes. */
export function wantsCustomerNotice(
  notify: { customer?: boolean } | undefined,
  operations: readonly Operation[],
  settings: CustomerNoticeSettings,
): boolean {
  if (notify?.customer !== undefined) return notify.customer;
  return operations.some((op) => settings.defaults[op.op] === true);
}

/** The tenant's locale nearest the customer's: exact, then its language, then the tenant default. */
export function noticeLocale(wanted: string | undefined, settings: CustomerNoticeSettings): string {
  const known = new Set([...Object.keys(BUILT_IN_TEMPLATES), ...Object.keys(settings.templates)]);
  const candidates = [wanted, wanted?.split('-')[0], settings.defaultLocale].filter(
    (l): l is string => typeof l === 'string',
  );
  return candidates.find((l) => known.has(l)) ?? 'en';
}

// Building an Intl.NumberFormat costs more than rendering the whole notice: one per locale and currency.
const formats = new Map<string, (minor: number) => string>();

function moneyFormat(locale: string, currency: string) {
  const key = `${locale}\u0000${currency}`;
  let format = formats.get(key);
  if (!format) {
    const f = new Intl.NumberFormat(locale, { style: 'currency', currency });
    const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
    format = (minor: number) => f.format(minor / 10 ** digits);
    formats.set(key, format);
  }
  return format;
}

type Phrases = (typeof PHRASES)['en'];

function lineChanges(plan: ChangePlan, phrases: Phrases, money: (m: number) => string): string[] {
  return plan.lines.map((l) => {
    const o = (l.old ?? {}) as Record<string, unknown>;
    const n = (l.new ?? {}) as Record<string, unknown>;
    const name = String(n.name ?? o.name ?? '');
    switch (l.kind) {
      case 'added':
        return fill(phrases.added, { name, quantity: Number(n.quantity) });
      case 'removed':
        return fill(phrases.removed, { name });
      case 'quantity':
        return fill(phrases.quantity, { name, old: Number(o.quantity), new: Number(n.quantity) });
      case 'price':
        return fill(phrases.price, {
          name,
          old: money(Number(o.unitPrice)),
          new: money(Number(n.unitPrice)),
        });
      case 'replaced':
        return fill(phrases.replaced, {
          old: String(o.name),
          name: String(n.name),
          quantity: Number(n.quantity),
        });
      case 'weight':
        return fill(phrases.weight, {
          name,
          old: Number(o.unitMultiplier),
          new: Number(n.unitMultiplier),
        });
    }
  });
}

function fieldChanges(plan: ChangePlan, phrases: Phrases, money: (m: number) => string): string[] {
  const out: string[] = [];
  const paths = new Set(plan.fields.map((f) => f.path.split('.')[0]));
  const after = plan.after;
  if (paths.has('shippingAddress')) {
    const a = after.shippingAddress;
    out.push(
      fill(phrases.address, {
        new: [a.name, a.street, `${a.postalCode} ${a.city}`, a.country].join(', '),
      }),
    );
  }
  if (paths.has('preferredDeliveryDate') && after.preferredDeliveryDate)
    out.push(fill(phrases.deliveryDate, { new: after.preferredDeliveryDate }));
  if (paths.has('deliveryWindow') && after.deliveryWindow)
    out.push(
      fill(phrases.deliveryWindow, {
        new: `${after.deliveryWindow.from} – ${after.deliveryWindow.to}`,
      }),
    );
  if (paths.has('handoverDate') && after.fulfilment.handover?.date)
    out.push(fill(phrases.handoverDate, { new: after.fulfilment.handover.date }));
  if (paths.has('adjustments') || paths.has('appliedPromotions'))
    out.push(fill(phrases.discount, { new: money(plan.totals.after.discounts) }));
  if (paths.has('status') && after.status === 'canceled') out.push(phrases.canceled);
  return out;
}

function moneyLines(plan: ChangePlan, phrases: Phrases, money: (m: number) => string): string[] {
  const out = plan.payments
    .filter((p) => p.action !== 'none' && p.amount !== 0)
    .map((p) =>
      fill(p.amount > 0 ? phrases.charge : phrases.refund, {
        amount: money(Math.abs(p.amount)),
        method: p.method,
      }),
    );
  return out.length ? out : [phrases.noMoney];
}

/** The notice for the order as it was (`before`) and the plan that changes it. */
export function renderCustomerNotice(
  before: Order,
  plan: ChangePlan,
  settings: CustomerNoticeSettings,
): CustomerNotice {
  const locale = noticeLocale(before.customer.locale, settings);
  const builtIn = BUILT_IN_TEMPLATES[locale] ?? (BUILT_IN_TEMPLATES.en as NoticeTemplate);
  const template = { ...builtIn, ...settings.templates[locale] };
  const phrases =
    PHRASES[locale] ?? PHRASES[locale.split('-')[0] ?? 'en'] ?? (PHRASES.en as Phrases);
  const money = moneyFormat(locale, before.currency);
  const changes = [...lineChanges(plan, phrases, money), ...fieldChanges(plan, phrases, money)];
  const values = {
    customerName: before.customer.name,
    orderRef: before.channelOrderRef,
    changes: changes.map((c) => `- ${c}`).join('\n'),
    total: money(plan.totals.after.grandTotal),
    money: moneyLines(plan, phrases, money).join('\n'),
    tenantName: settings.senderName,
  };
  return {
    to: before.customer.email,
    locale,
    subject: fill(template.subject, values),
    text: fill(template.body, values),
  };
}
