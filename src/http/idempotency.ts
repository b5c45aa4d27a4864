/**
 * `Idempotency-Key` on state-changing POSTs (routes opt in with `config: { idempotent: true }`).
 * Same key and fingerprint → the first answer again with `Idempotency-Replayed: true`; another
 * fingerprint → 422 IDEMPOTENCY_KEY_REUSED; first still running → 409 IDEMPOTENCY_KEY_IN_USE.
 * 2xx and 4xx answers are kept, 5xx are not. A use case that commits the answer in its own
 * transaction sets `request.idempotency.completed` so it is not written twice.
 */
import { createHash } from 'node:crypto';
import type { Deps } from '../app/deps.js';
import { refuse } from '../app/refused-error.js';
import { findChange } from '../db/changes.js';
import { claimKey, completeKey, releaseKey } from '../db/idempotency.js';
import { FINAL_STATUSES } from '../domain/change/lifecycle.js';
import { canonicalJson } from '../domain/canonical-json.js';
import type { AppInstance } from './types.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    idempotent?: boolean;
    /** A key the route derives from the request itself (the VTEX facade's v1 requestId). */
    idempotencyKey?: (request: FastifyRequest) => string | undefined;
  }
  interface FastifyRequest {
    idempotency?: { key: string; fingerprint: string; completed: boolean };
  }
}

const KEPT_HEADERS = ['location', 'etag', 'content-type', 'preference-applied'];

export function fingerprintOf(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

export function registerIdempotency(app: AppInstance, deps: Deps): void {
  app.addHook('preHandler', async (request, reply) => {
    const config = request.routeOptions.config;
    const key = config.idempotencyKey?.(request) ?? request.headers['idempotency-key'];
    if (!config.idempotent || typeof key !== 'string' || !request.actor) return;
    if (key.length === 0 || key.length > 255)
      refuse('REQUEST_INVALID', 'Idempotency-Key must have 1 to 255 characters.');
    const fingerprint = fingerprintOf(
      request.method,
      request.url.split('?')[0] as string,
      request.body,
    );
    const claim = await claimKey(deps.db, request.actor.tenantId, key, fingerprint);
    if (claim.kind === 'reused')
      refuse('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was first used with another request.');
    if (claim.kind === 'in-use')
      refuse(
        'IDEMPOTENCY_KEY_IN_USE',
        'The first request with this Idempotency-Key is still running.',
      );
    if (claim.kind === 'replay') {
      for (const [name, value] of Object.entries(claim.headers)) reply.header(name, value);
      // An apply answers with its change as it is now: once final, its final answer (a 202 becomes 200).
      const change = claim.changeId
        ? await findChange(deps.db, request.actor.tenantId, claim.changeId)
        : undefined;
      if (change)
        return reply
          .code(FINAL_STATUSES.has(change.status) ? 200 : claim.statusCode)
          .header('Idempotency-Replayed', 'true')
          .send(change);
      return reply.code(claim.statusCode).header('Idempotency-Replayed', 'true').send(claim.body);
    }
    request.idempotency = { key, fingerprint, completed: false };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim || claim.completed || !request.actor) return payload;
    claim.completed = true;
    if (reply.statusCode >= 500) {
      await releaseKey(deps.db, request.actor.tenantId, claim.key);
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    const body = typeof payload === 'string' && payload.length ? JSON.parse(payload) : null;
    await completeKey(deps.db, request.actor.tenantId, claim.key, {
      statusCode: reply.statusCode,
      headers,
      body,
    });
    return payload;
  });
}
