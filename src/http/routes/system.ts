/** Health, readiness, the OpenAPI document, who-am-I and the demo keys. */
import type { Deps } from '../../app/deps.js';
import { refuse } from '../../app/refused-error.js';
import { ping } from '../../db/database.js';
import { pendingMigrations } from '../../db/migrate.js';
import { DEMO_KEYS } from '../../app/demo-keys.js';
import { Type } from '@sinclair/typebox';
import { problemResponses } from '../schemas/common.js';
import { DemoKeys, Me } from '../schemas/reference-view.js';
import type { AppInstance } from '../types.js';

export async function systemRoutes(app: AppInstance, deps: Deps): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await ping(deps.db);
      const pending = await pendingMigrations(deps.db);
      if (pending.length) return reply.code(503).send({ status: 'migrating', pending });
      return { status: 'ready', engine: deps.engine };
    } catch (err) {
      return reply.code(503).send({ status: 'unavailable', error: (err as Error).message });
    }
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/v1/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'Who the API key belongs to',
        response: { 200: Type.Ref(Me) },
      },
    },
    async (request) => {
      const actor = request.actor;
      if (!actor) refuse('UNAUTHENTICATED', 'Send an API key.');
      return {
        actorId: actor.actorId,
        tenant: actor.tenantId,
        role: actor.role,
        permissions: [...actor.permissions].sort(),
      };
    },
  );

  app.get(
    '/v1/demo/keys',
    {
      schema: {
        tags: ['identity'],
        summary: 'The demo API keys (demo mode only; no auth)',
        security: [],
        response: { 200: Type.Ref(DemoKeys), ...problemResponses(404) },
      },
    },
    async () => {
      if (!deps.demoMode) refuse('NOT_FOUND', 'Demo mode is off.');
      return {
        items: DEMO_KEYS.map(({ key, role, tenant, name, userId }) => ({
          key,
          role,
          tenant,
          name,
          userId,
        })),
      };
    },
  );
}
