/**
 * Text PostgreSQL cannot store (issue 12 point 4): a NUL character, or an unpaired UTF-16
 * surrogate (JSON's "\ud800" escape parses into one). One rule for the HTTP edge's input guard
 * and for a channel's raw payload in intake.
 */
import { refusal, type Refusal } from './errors.js';

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const bad = (field: string, what: string): Refusal =>
  refusal('REQUEST_INVALID', `${field} ${what}; send text without them.`, { field });
export const textRefusal = (s: string, field: string): Refusal | null =>
  s.includes('\u0000')
    ? bad(field, 'contains a NUL character')
    : LONE_SURROGATE.test(s)
      ? bad(field, 'contains an unpaired UTF-16 surrogate')
      : null;

/** Walks a parsed JSON value without recursion (a 20,000-deep document must not overflow). */
export function jsonRefusal(root: unknown, rootField: string, maxDepth: number): Refusal | null {
  const stack: [unknown, string, number][] = [[root, rootField, 0]];
  while (stack.length) {
    const [value, field, depth] = stack.pop()!;
    if (typeof value === 'string') {
      const r = textRefusal(value, field || 'body');
      if (r) return r;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxDepth)
      return refusal(
        'REQUEST_INVALID',
        `${field || 'body'} is nested more than ${maxDepth} levels deep.`,
        { field: field || 'body' },
      );
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push([v, `${field}[${i}]`, depth + 1]));
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      const at = field ? `${field}.${key}` : key;
      const r = textRefusal(key, at);
      if (r) return r;
      stack.push([v, at, depth + 1]);
    }
  }
  return null;
}
