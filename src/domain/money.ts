/**
 * Money is always an integer number of minor units (1299 = 12.99) in the order's currency.
 * Arithmetic that divides goes through BigInt so that no float ever touches an amount.
 */
export type Minor = number;

/** Divides and rounds half to even (banker's rounding), exact for any integer inputs. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  if (denominator < 0n) return divideHalfEven(-numerator, -denominator);
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let quotient = n / denominator;
  const twiceRemainder = (n % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n))
    quotient += 1n;
  return negative ? -quotient : quotient;
}

/** A weight or unit multiplier (at most 3 decimals) as integer thousandths: 0.75 → 750. */
export function toThousandths(multiplier: number): number {
  return Math.round(multiplier * 1000);
}

export function fromThousandths(thousandths: number): number {
  return thousandths / 1000;
}

/** True when a decimal multiplier has no more than three decimals (0.125 yes, 0.1255 no). */
export function hasAtMostThreeDecimals(multiplier: number): boolean {
  return Math.abs(multiplier * 1000 - Math.round(multiplier * 1000)) < 1e-6;
}

export function isMinor(value: unknown): value is Minor {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * Splits an amount over weights so that the parts always sum to the whole (largest remainder,
 * ties to the earliest weight). Used to spread an order-level amount over lines or payments.
 */
export function prorate(amount: Minor, weights: readonly number[]): Minor[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (weights.length === 0) return [];
  if (total === 0) return weights.map((_, i) => (i === 0 ? amount : 0));
  const big = BigInt(amount);
  const bigTotal = BigInt(total);
  const floors = weights.map((w) => (big * BigInt(w)) / bigTotal);
  let remainder = big - floors.reduce((s, v) => s + v, 0n);
  const order = weights
    .map((w, i) => ({ i, frac: (big * BigInt(w)) % bigTotal }))
    .sort((a, b) => (a.frac === b.frac ? a.i - b.i : a.frac > b.frac ? -1 : 1));
  const step = remainder >= 0n ? 1n : -1n;
  for (const { i } of order) {
    if (remainder === 0n) break;
    floors[i] = (floors[i] ?? 0n) + step;
    remainder -= step;
  }
  return floors.map(Number);
}

const DIGITS = new Map<string, number>();

/** Minor-unit digits of a currency, from the platform's own ISO 4217 data (EUR 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string): number {
  let digits = DIGITS.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
    DIGITS.set(currency, digits);
  }
  return digits;
}

/** 8870 in EUR → "88.70 EUR": for sentences, not for arithmetic. */
export function formatMinor(minor: Minor, currency: string): string {
  const digits = currencyDigits(currency);
  return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
}
