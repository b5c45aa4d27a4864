/**
 * Which dead letter to work first (seed 002: "prioritise high-impact intake failures"; INTAKE.md
 * §3 `sort=impact`). Each factor gives points and says why, so a person sees the reasoning: the
 * order's value, the time left to the promised delivery, a marketplace's SLA, the customer's tier,
 * and how long the failure has waited.
 */
import type { ImportRequest } from '../import-order.js';
import { formatMinor, type Minor } from '../money.js';

export interface ImpactReason {
  factor: 'orderValue' | 'promisedDelivery' | 'marketplaceSla' | 'customerTier' | 'age';
  detail: string;
  points: number;
}

export interface Impact {
  score: number;
  reasons: ImpactReason[];
}

export interface ImpactInput {
  /** The order as far as it could be read (null when the payload could not be adapted). */
  order: Pick<
    ImportRequest,
    'origin' | 'deliveryWindow' | 'preferredDeliveryDate' | 'customAttributes' | 'currency'
  > | null;
  /** The channel's total, or Amend's when the channel has none. */
  value: Minor | null;
  receivedAt: string;
  now: string;
}

const HOUR = 3_600_000;
const PREMIUM_TIERS = new Set(['vip', 'gold', 'platinum', 'premium', 'plus']);

function valuePoints(value: Minor | null, currency: string): ImpactReason | null {
  if (value === null) return null;
  // Thresholds in minor units of a two-digit currency: 500.00, 100.00, 20.00.
  const points = value >= 50_000 ? 40 : value >= 10_000 ? 25 : value >= 2_000 ? 10 : 5;
  return {
    factor: 'orderValue',
    detail: `order value ${currency ? formatMinor(value, currency) : value}`,
    points,
  };
}

function promisedAt(order: NonNullable<ImpactInput['order']>): string | null {
  const attr = order.customAttributes?.promisedDeliveryDate;
  return (
    order.deliveryWindow?.to ??
    order.preferredDeliveryDate ??
    (typeof attr === 'string' ? attr : null)
  );
}

function deliveryPoints(
  order: NonNullable<ImpactInput['order']>,
  now: number,
): ImpactReason | null {
  const promised = promisedAt(order);
  const at = promised
    ? Date.parse(promised.length === 10 ? `${promised}T23:59:59Z` : promised)
    : NaN;
  if (Number.isNaN(at)) return null;
  const hours = (at - now) / HOUR;
  const points = hours < 0 ? 35 : hours < 24 ? 30 : hours < 72 ? 15 : 5;
  const detail =
    hours < 0
      ? `promised delivery ${promised} has passed`
      : `${Math.floor(hours)} h left to the promised delivery ${promised}`;
  return { factor: 'promisedDelivery', detail, points };
}

export function impactOf(input: ImpactInput): Impact {
  const now = Date.parse(input.now);
  const o = input.order;
  const reasons: (ImpactReason | null)[] = [
    valuePoints(input.value, o?.currency ?? ''),
    o ? deliveryPoints(o, now) : null,
    o?.origin === 'marketplace'
      ? {
          factor: 'marketplaceSla',
          detail: 'marketplace order: late handling costs SLA penalties',
          points: 20,
        }
      : null,
    (() => {
      const tier = o?.customAttributes?.customerTier;
      if (typeof tier !== 'string' || !tier) return null;
      const premium = PREMIUM_TIERS.has(tier.toLowerCase());
      return {
        factor: 'customerTier' as const,
        detail: `customer tier ${tier}`,
        points: premium ? 15 : 5,
      };
    })(),
    (() => {
      const hours = Math.max(0, Math.floor((now - Date.parse(input.receivedAt)) / HOUR));
      return {
        factor: 'age' as const,
        detail: `${hours} h in the queue`,
        points: Math.min(20, hours),
      };
    })(),
  ];
  const kept = reasons.filter((r): r is ImpactReason => r !== null && r.points > 0);
  return { score: kept.reduce((s, r) => s + r.points, 0), reasons: kept };
}
