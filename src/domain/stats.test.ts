import { describe, expect, it } from 'vitest';
import { percentile, ratio } from './stats.js';

describe('percentile (nearest rank)', () => {
  it('answers null for nothing and the value itself for one', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 90)).toBe(7);
  });
  it('takes the smallest value with p % at or below it', () => {
    const ten = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
    expect(percentile(ten, 50)).toBe(5);
    expect(percentile(ten, 90)).toBe(9);
    expect(percentile(ten, 91)).toBe(10);
    expect(percentile(ten, 100)).toBe(10);
    expect(percentile([3, 1, 2, 4], 50)).toBe(2);
  });
});

describe('ratio', () => {
  it('is 0 for no base and keeps four decimals', () => {
    expect(ratio(1, 0)).toBe(0);
    expect(ratio(1, 3)).toBe(0.3333);
  });
});
