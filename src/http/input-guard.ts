/**
 * One guard for every text a request carries (issue 12 point 4): a NUL byte or a lone UTF-16
 * surrogate in a path parameter, a query value, a header the server reads or any JSON string
 * (key or value) is refused as 400 REQUEST_INVALID naming the field, before authentication and
 * validation; so is JSON nested deeper than any Amend shape. PostgreSQL refuses such text
 * (`invalid byte sequence`, `unsupported Unicode escape sequence`) and a deep document can
 * exhaust the stack: without this guard each was a 500.
 */
import { RefusedError } from '../app/refused-error.js';
import { refusal, type Refusal } from '../domain/errors.js';
import type { AppInstance } from './types.js';

/** The headers a handler reads as text (the rest are passed on untouched or parsed by Fastify). */
const READ_HEADERS = ['idempotency-key', 'if-match', 'last-event-id', 'prefer'] as const;
/** Deeper than any body Amend accepts; free-form values have their own, lower bound. */
const MAX_BODY_DEPTH = 64;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const bad = (field: string, what: string): Refusal =>
  refusal('REQUEST_INVALID', `${field} ${what}; send text without them.`, { field });
const textRefusal = (s: string, field: string): Refusal | null =>
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

function textsRefusal(values: unknown, part: string): Refusal | null {
  if (!values || typeof values !== 'object') return null;
  for (const [key, value] of Object.entries(values)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v !== 'string') continue;
      const r = textRefusal(key, `${part}.${key}`) ?? textRefusal(v, `${part}.${key}`);
      if (r) return r;
    }
  }
  return null;
}

export function registerInputGuard(app: AppInstance): void {
  app.addHook('onRequest', async (request) => {
    const headers = Object.fromEntries(READ_HEADERS.map((h) => [h, request.headers[h]]));
    const found =
      textsRefusal(request.params, 'path') ??
      textsRefusal(request.query, 'query') ??
      textsRefusal(headers, 'header');
    if (found) throw new RefusedError([found]);
  });
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined || typeof request.body !== 'object') return;
    const found = jsonRefusal(request.body, '', MAX_BODY_DEPTH);
    if (found) throw new RefusedError([found]);
  });
}
