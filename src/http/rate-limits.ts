/**
 * Rate limits (issue 12; @fastify/rate-limit, one window a minute, kept in this process's memory):
 * failed authentications per client address — an unknown API key or metrics token, not a missing
 * one — and requests per API key. Over a limit the answer is 429 problem+json with `Retry-After`.
 * The defaults are far above what the test suite or the benchmark send; 0 switches a limit off.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { refuse } from '../app/refused-error.js';
import type { AppInstance } from './types.js';

export interface RateLimitOptions {
  /** Failed authentications one client address may make per minute (AUTH_FAILURES_PER_MINUTE). */
  authFailuresPerMinute: number;
  /** Requests one API key may make per minute (RATE_LIMIT_PER_KEY). */
  requestsPerKeyPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  authFailuresPerMinute: 100,
  requestsPerKeyPerMinute: 60_000,
};

export interface RateLimits {
  /** Refuses a client address that has failed too often already (before its key is even looked at). */
  beforeAuthentication(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Counts one failed authentication of the request's address. */
  authenticationFailed(request: FastifyRequest): Promise<void>;
  /** Counts one request of the authenticated key; refuses it over the key's limit. */
  authenticated(request: FastifyRequest, reply: FastifyReply, keyId: string): Promise<void>;
}

const WINDOW_MS = 60_000;

export async function registerRateLimits(
  app: AppInstance,
  options: RateLimitOptions,
): Promise<RateLimits> {
  await app.register(rateLimit, { global: false, timeWindow: WINDOW_MS });
  const failures = app.createRateLimit({
    max: Math.max(1, options.authFailuresPerMinute),
    keyGenerator: (request) => `auth-failures:${request.ip}`,
  });
  const keys = new WeakMap<FastifyRequest, string>();
  const perKey = app.createRateLimit({
    max: Math.max(1, options.requestsPerKeyPerMinute),
    keyGenerator: (request) => `key:${keys.get(request)}`,
  });
  const retryAfter = (reply: FastifyReply, ttlMs: number) => {
    const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
    reply.header('retry-after', String(seconds));
    return seconds;
  };
  return {
    async beforeAuthentication(request, reply) {
      if (options.authFailuresPerMinute <= 0) return;
      // A peek: `max` failures so far means this address is refused until the window ends.
      const state = await failures(request, { increment: false });
      if (state.isAllowed || state.remaining > 0) return;
      const seconds = retryAfter(reply, state.ttl);
      refuse(
        'AUTH_RATE_LIMITED',
        `More than ${state.max} failed authentications from your address within a minute; try again in ${seconds} s.`,
        { retryAfterSeconds: seconds },
      );
    },
    async authenticationFailed(request) {
      if (options.authFailuresPerMinute > 0) await failures(request);
    },
    async authenticated(request, reply, keyId) {
      if (options.requestsPerKeyPerMinute <= 0) return;
      keys.set(request, keyId);
      const state = await perKey(request);
      if (state.isAllowed || !state.isExceeded) return;
      const seconds = retryAfter(reply, state.ttl);
      refuse(
        'RATE_LIMITED',
        `This API key sent more than ${state.max} requests within a minute; try again in ${seconds} s.`,
        { retryAfterSeconds: seconds },
      );
    },
  };
}
