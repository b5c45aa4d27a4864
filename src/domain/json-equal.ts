/**
 * Equality of JSON values, whatever the key order: the same answer as comparing their canonicalJson
 * (undefined counts as null) without writing either out. The write path compares every line,
 * reservation and pick-job line of an order before and after a change; as text that was the largest
 * cost of a change on a 200-line order.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const k of keys) if (!Object.hasOwn(y, k) || !jsonEqual(x[k], y[k])) return false;
    return true;
  }
  // Primitives, null and undefined as JSON writes them (undefined, NaN and ±Infinity are null).
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
