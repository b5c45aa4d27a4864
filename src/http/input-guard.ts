/**
 * One guard for every text a request carries (issue 12 point 4): a NUL byte or a lone UTF-16
 * surrogate in a path parameter, a query value, a header the server reads or any JSON string
 * (key or value) is refused as 400 REQUEST_INVALID naming the field, before authentication and
 * validation; so is JSON nested deeper than any Amend shape. PostgreSQL refuses such text
 * (`invalid byte sequence`, `unsupported Unicode escape sequence`) and a deep document can
 * exhaust the stack: without this guard each was a 500.
 */
import { RefusedError } from '../app/refused-error.js';
import type { Refusal } from '../domain/errors.js';
import { jsonRefusal, textRefusal } from '../domain/text.js';
import type { AppInstance } from './types.js';

/** The headers a handler reads as text (the rest are passed on untouched or parsed by Fastify). */
const READ_HEADERS = ['idempotency-key', 'if-match', 'last-event-id', 'prefer'] as const;
/** Deeper than any body Amend accepts; free-form values have their own, lower bound. */
const MAX_BODY_DEPTH = 64;

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
    // A channel's raw bytes (intake) are its pipeline's to judge: it records, never rejects, them.
    if (
      request.body === undefined ||
      typeof request.body !== 'object' ||
      Buffer.isBuffer(request.body)
    )
      return;
    const found = jsonRefusal(request.body, '', MAX_BODY_DEPTH);
    if (found) throw new RefusedError([found]);
  });
}
