/**
 * The problem answers every route can give because of what it is, documented in one place rather
 * than in each route: any /v1 route behind a key can answer 401 and 429 (and 403 when it asks for
 * a permission), any route 500, a route with a body 400 and 413, one with path or query 400, and
 * one that takes an Idempotency-Key 409 (IDEMPOTENCY_KEY_IN_USE) and 422 (IDEMPOTENCY_KEY_REUSED).
 * The VTEX facade's routes answer the same statuses in VTEX's envelope.
 */
import type { RouteOptions } from 'fastify';
import { problemResponse } from './schemas/common.js';
import { vtexErrors } from './vtex/schemas.js';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** Routes that answer without an API key, or that need no permission beyond a valid key. */
const PUBLIC = new Set(['/v1/demo/keys']);
const NO_PERMISSION = new Set(['/v1/me']);

function statusesOf(route: RouteOptions, schema: Record<string, unknown>): number[] {
  const methods = ([] as string[]).concat(route.method);
  const statuses = [500];
  const hasBody = methods.some((m) => WITH_BODY.has(m));
  if (hasBody) statuses.push(400, 413);
  if (schema.querystring || schema.params) statuses.push(400);
  if (schema.params) statuses.push(404);
  if ((route.config as { idempotent?: boolean } | undefined)?.idempotent) statuses.push(409, 422);
  if (route.url.startsWith('/v1/') && !PUBLIC.has(route.url)) {
    statuses.push(401, 429);
    if (!NO_PERMISSION.has(route.url) && !route.config?.channelAuth) statuses.push(403);
  }
  return [...new Set(statuses)];
}

/** An onRoute hook: adds the standard problem answers a documented route does not list itself. */
export function addStandardProblems(route: RouteOptions): void {
  const schema = route.schema as Record<string, unknown> | undefined;
  if (!schema || schema.hide) return;
  const vtex = Boolean((route.config as { vtexApi?: string } | undefined)?.vtexApi);
  const response = { ...((schema.response as Record<string, unknown> | undefined) ?? {}) };
  const statuses = statusesOf(route, schema);
  if (vtex) statuses.push(401, 429);
  for (const status of statuses) {
    if (response[status] !== undefined) continue;
    response[status] = vtex ? vtexErrors(status)[status] : problemResponse(status);
  }
  schema.response = response;
}
