/**
 * The VTEX Change v1/v2 facade (VTEX-FACADE.md): VTEX's paths, auth headers, bodies, answers and
 * error envelope over Amend's own use cases. An adapter only: every rule is the engine's.
 */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../app/deps.js';
import { refuse } from '../../app/refused-error.js';
import { actorForKey, bearerToken } from '../auth.js';
import type { RateLimits } from '../rate-limits.js';
import type { AppInstance } from '../types.js';
import { sendVtexError } from './envelope.js';
import { vtexReadRoutes } from './routes-read.js';
import { vtexV1Routes } from './routes-v1.js';
import { vtexV2Routes } from './routes-v2.js';
import { VTEX_SCHEMAS } from './schemas.js';

/** `Authorization: Bearer <key>`, or VTEX's pair whose AppToken is the Amend key (the AppKey names it only). */
export function vtexKey(request: FastifyRequest): string | undefined {
  const bearer = bearerToken(request);
  if (bearer) return bearer;
  const token = request.headers['x-vtex-api-apptoken'];
  return typeof token === 'string' && token.trim() ? token.trim() : undefined;
}

function validators() {
  const options = { allErrors: true, removeAdditional: false, strict: false } as const;
  // Bodies as sent (a string where a number belongs is a 400); paths and queries are text, coerced.
  const body = new Ajv({ ...options, coerceTypes: false, useDefaults: false });
  const text = new Ajv({ ...options, coerceTypes: 'array', useDefaults: true });
  for (const ajv of [body, text]) {
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    for (const schema of VTEX_SCHEMAS) ajv.addSchema(schema);
  }
  return { body, text };
}

export async function vtexFacade(
  app: AppInstance,
  deps: Deps,
  limits: RateLimits,
  prefix = '',
): Promise<void> {
  await app.register(
    async (facade) => {
      const ajv = validators();
      facade.setValidatorCompiler(({ schema, httpPart }) =>
        (httpPart === 'body' ? ajv.body : ajv.text).compile(schema),
      );
      for (const schema of VTEX_SCHEMAS) facade.addSchema(schema);
      facade.setErrorHandler(sendVtexError);
      // VTEX documents bodies that may be left out (retry, cancel): an empty JSON body is no body.
      const json = facade.getDefaultJsonParser('error', 'error');
      facade.addContentTypeParser(
        'application/json',
        { parseAs: 'string' },
        (request, body, done) =>
          (body as string).trim() === ''
            ? done(null, undefined)
            : json(request, body as string, done),
      );
      facade.addHook('onRequest', async (request, reply) => {
        const key = vtexKey(request);
        if (!key)
          refuse(
            'UNAUTHENTICATED',
            'Send an Amend API key as `Authorization: Bearer <key>` or `X-VTEX-API-AppToken`.',
          );
        request.actor = await actorForKey(deps, limits, request, reply, key);
      });
      await vtexV1Routes(facade, deps);
      await vtexV2Routes(facade, deps);
      await vtexReadRoutes(facade, deps);
    },
    { prefix },
  );
}
