/** Bearer API keys on every /v1 route but the public ones; permissions checked per route. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, Deps } from '../app/deps.js';
import { resolveActor } from '../app/identity.js';
import { refuse } from '../app/refused-error.js';
import type { Permission } from '../domain/permissions.js';
import type { RateLimits } from './rate-limits.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  // EventSource cannot send headers, so the event stream also takes ?access_token= (API.md §5).
  const query = request.query as Record<string, unknown> | undefined;
  if (request.routeOptions.url === '/v1/events' && typeof query?.access_token === 'string')
    return query.access_token;
  return undefined;
}

export function authenticate(deps: Deps, limits: RateLimits) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = bearerToken(request);
    if (!token) refuse('UNAUTHENTICATED', 'Send an API key as `Authorization: Bearer <key>`.');
    request.actor = await actorForKey(deps, limits, request, reply, token);
  };
}

/**
 * The actor of an API key, under the rate limits: an address that failed too often is refused first,
 * an unknown key counts as a failure, a known one counts against its own limit. Every way in (the
 * native API, the VTEX facade) authenticates through here.
 */
export async function actorForKey(
  deps: Deps,
  limits: RateLimits,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
): Promise<Actor> {
  await limits.beforeAuthentication(request, reply);
  const actor = await resolveActor(deps, token);
  if (!actor) {
    await limits.authenticationFailed(request);
    refuse('UNAUTHENTICATED', 'The API key is not known.');
  }
  await limits.authenticated(request, reply, `${actor.tenantId}/${actor.actorId}`);
  return actor;
}

/** The caller, who must hold `permission` (403 names it). */
export function actorWith(request: FastifyRequest, permission: Permission): Actor {
  const actor = request.actor;
  if (!actor) refuse('UNAUTHENTICATED', 'Send an API key as `Authorization: Bearer <key>`.');
  if (!actor.permissions.has(permission)) {
    refuse('PERMISSION_DENIED', `Your role ${actor.role} lacks ${permission}.`, { permission });
  }
  return actor;
}
