import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { jsonEqual } from './json-equal.js';

// Values like the write path's (few keys, so equal and near-equal pairs both come up often).
const key = fc.constantFrom('a', 'b', 'c', 'lineId');
const leaf = fc.oneof(
  fc.constantFrom(null, undefined, 0, -0, 1, 2, '', 'x', '1', true, false, Number.NaN),
  fc.integer({ min: -3, max: 3 }),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(key, tie('value'), { maxKeys: 3 }),
  ),
}));

/** The same value with its keys in another order (and so another JSON.stringify). */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reordered(x)]),
    );
  return v;
}

describe('jsonEqual', () => {
  it('answers as comparing canonical JSON does', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(jsonEqual(a, b)).toBe(canonicalJson(a) === canonicalJson(b));
      }),
      { numRuns: 3000 },
    );
  });

  it('ignores key order', () => {
    fc.assert(
      fc.property(value, (a) => {
        expect(jsonEqual(a, reordered(a))).toBe(true);
      }),
    );
  });
});
