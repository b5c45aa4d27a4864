import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideHalfEven, multiplyDivideHalfEven } from './money.js';

const exact = (a: number, b: number, c: number, d: number) =>
  Number(divideHalfEven(BigInt(a) * BigInt(b) * BigInt(c), BigInt(d)));

describe('multiplyDivideHalfEven', () => {
  it('answers what the BigInt division answers, in and beyond the range of exact doubles', () => {
    const int = fc.oneof(
      fc.integer({ min: -1_000_000, max: 1_000_000 }),
      fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    );
    fc.assert(
      fc.property(
        int,
        int,
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (a, b, c, d) => multiplyDivideHalfEven(a, b, c, d) === exact(a, b, c, d),
      ),
      { numRuns: 20_000 },
    );
  });

  it('rounds ties to the even neighbour, on both sides of zero', () => {
    expect(multiplyDivideHalfEven(5, 1, 1, 10)).toBe(0);
    expect(multiplyDivideHalfEven(15, 1, 1, 10)).toBe(2);
    expect(multiplyDivideHalfEven(25, 1, 1, 10)).toBe(2);
    expect(multiplyDivideHalfEven(-15, 1, 1, 10)).toBe(-2);
    expect(multiplyDivideHalfEven(-5, 1, 1, 10)).toBe(0);
    expect(Object.is(multiplyDivideHalfEven(-4, 1, 1, 10), 0)).toBe(true);
  });

  it('falls back to BigInt for products beyond 2^52 and for a divisor that is not positive', () => {
    const big = 2 ** 52 + 1;
    expect(multiplyDivideHalfEven(big, 3, 1, 7)).toBe(exact(big, 3, 1, 7));
    expect(multiplyDivideHalfEven(7, 3, 1, -2)).toBe(exact(7, 3, 1, -2));
  });
});
