/**
 * Picker limits (API.md §7.6): for role picker, each line's quantity and unit price and the
 * order's grand total may move at most the tenant's percentages from the order as imported.
 * Exceeded only when strictly greater; a whole removed line counts only toward the total.
 */
import type { Order } from '../order.js';
import type { TenantSettings } from '../settings.js';

export interface LimitBreach {
  limit: 'maxQuantityChangePct' | 'maxPriceChangePct' | 'maxTotalChangePct';
  detail: string;
  threshold: number;
  actual: number;
}

const pct = (now: number, then: number) =>
  then === 0 ? (now === 0 ? 0 : Number.POSITIVE_INFINITY) : (Math.abs(now - then) / then) * 100;
const round = (n: number) => Math.round(n * 10) / 10;

export function pickerLimitBreaches(
  original: Order,
  after: Order,
  settings: TenantSettings,
): LimitBreach[] {
  const limits = settings.pickerLimits;
  const out: LimitBreach[] = [];
  for (const line of after.lines) {
    const then = original.lines.find((l) => l.lineId === line.lineId);
    if (!then) continue;
    const q = pct(line.quantity, then.quantity);
    if (q > limits.maxQuantityChangePct)
      out.push({
        limit: 'maxQuantityChangePct',
        detail: `Line ${line.lineId} quantity moves ${round(q)} % (${then.quantity} → ${line.quantity}); a picker may move it ${limits.maxQuantityChangePct} %.`,
        threshold: limits.maxQuantityChangePct,
        actual: round(q),
      });
    const p = pct(line.unitPrice, then.unitPrice);
    if (p > limits.maxPriceChangePct)
      out.push({
        limit: 'maxPriceChangePct',
        detail: `Line ${line.lineId} price moves ${round(p)} %; a picker may move it ${limits.maxPriceChangePct} %.`,
        threshold: limits.maxPriceChangePct,
        actual: round(p),
      });
  }
  const t = pct(after.totals.grandTotal, original.totals.grandTotal);
  if (t > limits.maxTotalChangePct)
    out.push({
      limit: 'maxTotalChangePct',
      detail: `The order total moves ${round(t)} % from checkout; a picker may move it ${limits.maxTotalChangePct} %.`,
      threshold: limits.maxTotalChangePct,
      actual: round(t),
    });
  return out;
}

/** The per-line bounds a picker's view offers (API.md §7.7). */
export function pickerLineLimits(original: Order, lineId: string, settings: TenantSettings) {
  const then = original.lines.find((l) => l.lineId === lineId);
  if (!then) return undefined;
  const q = settings.pickerLimits.maxQuantityChangePct / 100;
  return {
    minQuantity: Math.max(1, Math.ceil(then.quantity * (1 - q))),
    maxQuantity: Math.floor(then.quantity * (1 + q)),
    maxUnitPrice: Math.floor(then.unitPrice * (1 + settings.pickerLimits.maxPriceChangePct / 100)),
  };
}
