/** buildApp(deps): the Fastify application, every route registered, never listening by itself. */
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Deps } from '../app/deps.js';
import { authenticate } from './auth.js';
import { registerIdempotency } from './idempotency.js';
import { registerMetrics } from './metrics.js';
import { intakeHealthMetrics } from '../app/intake-health.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { intakeRoutes } from './routes/intake.js';
import { sourceRoutes } from './routes/sources.js';
import { errorToProblem, problemOf, sendProblem } from './problem.js';
import { bulkRoutes } from './routes/bulk.js';
import { changeRoutes } from './routes/changes.js';
import { eventRoutes } from './routes/events.js';
import { inboxRoutes } from './routes/inbox.js';
import { fulfilmentRoutes } from './routes/fulfilment.js';
import { orderRoutes } from './routes/orders.js';
import { paymentSimulatorRoutes } from './routes/payment-simulator.js';
import { webhookRoutes } from './routes/webhooks.js';
import { kpiRoutes } from './routes/kpis.js';
import { vtexFacade } from './vtex/plugin.js';
import { webRoutes } from './web.js';
import { referenceRoutes } from './routes/reference.js';
import { systemRoutes } from './routes/system.js';

export type App = FastifyInstance;

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  /** Where the VTEX facade's paths are mounted (VTEX_FACADE_PREFIX); '' = VTEX's paths as they are. */
  vtexPrefix?: string;
}

const PUBLIC_ROUTES = new Set(['/v1/demo/keys']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route authenticates its caller itself (a channel posting to its intake source). */
    channelAuth?: boolean;
  }
}

// Bodies are taken as sent: a string where a number belongs is a 400, never silently coerced.
const bodyAjv = new Ajv({
  discriminator: true,
  allErrors: true,
  coerceTypes: false,
  useDefaults: false,
  removeAdditional: false,
  strict: false,
});
// Query strings and path params arrive as text and are coerced to the schema's types.
const queryAjv = new Ajv({
  allErrors: true,
  coerceTypes: 'array',
  useDefaults: true,
  removeAdditional: false,
  strict: false,
});
for (const ajv of [bodyAjv, queryAjv]) (addFormats as unknown as (a: Ajv) => void)(ajv);

export async function buildApp(deps: Deps, options: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: 1_048_576,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? bodyAjv : queryAjv).compile(schema),
  );
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  app.setErrorHandler((error, request, reply) => {
    const problem = errorToProblem(error as Error, request);
    if (problem.status >= 500)
      request.log.error({ err: error, logRef: problem.requestId }, 'unexpected error');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problemOf(
        'NOT_FOUND',
        404,
        `No route ${request.method} ${request.url.split('?')[0]}.`,
        String(request.id),
      ),
    ),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Amend API',
        version: '1.0.0',
        description:
          'Order modification for Order Management Systems. Errors are application/problem+json with a stable `code` (see docs/errors.md).',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key' } },
      },
      security: [{ bearer: [] }],
      tags: [
        {
          name: 'vtex',
          description:
            "VTEX Change v1/v2 at VTEX's paths, with VTEX's auth headers, bodies and error envelope (docs/vtex.md)",
        },
      ],
    },
    // Shared schemas (the VTEX facade's) appear under their $id in components.schemas.
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const auth = authenticate(deps);
  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url;
    // A channel's intake route authenticates the channel itself (INTAKE.md §3), not an API key.
    if (request.routeOptions.config.channelAuth) return;
    if (url?.startsWith('/v1/') && !PUBLIC_ROUTES.has(url)) await auth(request, reply);
  });

  registerIdempotency(app, deps);
  registerMetrics(app, [() => intakeHealthMetrics(deps)]);

  await systemRoutes(app, deps);
  await referenceRoutes(app, deps);
  await orderRoutes(app, deps);
  await fulfilmentRoutes(app, deps);
  await changeRoutes(app, deps);
  await bulkRoutes(app, deps);
  await paymentSimulatorRoutes(app, deps);
  await webhookRoutes(app, deps);
  await kpiRoutes(app, deps);
  const vtexPrefix = options.vtexPrefix ?? '';
  await vtexFacade(app, deps, vtexPrefix);
  await webRoutes(app, [`${vtexPrefix}/api`]);
  await inboxRoutes(app, deps);
  await eventRoutes(app, deps);
  await sourceRoutes(app, deps);
  await intakeRoutes(app, deps);
  await catalogueRoutes(app, deps);
  return app;
}
