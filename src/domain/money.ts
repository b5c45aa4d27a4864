/**
 * Money is always an integer number of minor units (1299 = 12.99) in the order's currency.
 * Arithmetic that divides goes through BigInt so that no float ever touches an amount, except where
 * every operand and product is a safe integer: there a double is exact too, and far cheaper.
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

/**
 * a × b × c ÷ d, rounded half to even: in doubles when every product stays a safe integer (exact,
 * and without the allocations of BigInt: totals run over every line of an order, several times per
 * change), else through divideHalfEven.
 */
export function multiplyDivideHalfEven(a: number, b: number, c: number, d: number): number {
  const ab = a * b;
  const abc = ab * c;
  if (
    !Number.isSafeInteger(a) ||
    !Number.isSafeInteger(b) ||
    !Number.isSafeInteger(c) ||
    !Number.isSafeInteger(ab) ||
    // Below 2^52 the quotient × d below stays exact as well.
    !(Math.abs(abc) <= 2 ** 52) ||
    !Number.isSafeInteger(d) ||
    d <= 0
  )
    return Number(divideHalfEven(BigInt(a) * BigInt(b) * BigInt(c), BigInt(d)));
  const negative = abc < 0;
  const n = negative ? -abc : abc;
  let quotient = Math.floor(n / d);
  // n / d in doubles may round up across an integer: the remainder says which side is right.
  let remainder = n - quotient * d;
  if (remainder < 0) {
    quotient -= 1;
    remainder += d;
  } else if (remainder >= d) {
    quotient += 1;
    remainder -= d;
  }
  const twice = remainder * 2;
  if (twice > d || (twice === d && quotient % 2 === 1)) quotient += 1;
  return negative ? (quotient === 0 ? 0 : -quotient) : quotient;
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
