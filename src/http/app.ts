/** buildApp(deps): the Fastify application, every route registered, never listening by itself. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import helmet from 'helmet';
import type { Deps } from '../app/deps.js';
import { authenticate } from './auth.js';
import { registerIdempotency } from './idempotency.js';
import { registerInputGuard } from './input-guard.js';
import { registerMetrics } from './metrics.js';
import { catalogueRoutes } from './routes/catalogue.js';
import { intakeRoutes } from './routes/intake.js';
import { sourceRoutes } from './routes/sources.js';
import { DEFAULT_RATE_LIMITS, registerRateLimits, type RateLimitOptions } from './rate-limits.js';
import { errorToProblem, problemOf, sendProblem } from './problem.js';
import { addOperationId } from './operation-ids.js';
import { cachedSerializerFactory } from './serializers.js';
import { addStandardProblems } from './problem-responses.js';
import { registerComponents } from './schemas/components.js';
import { bulkRoutes } from './routes/bulk.js';
import { changeRoutes } from './routes/changes.js';
import { eventRoutes } from './routes/events.js';
import { inboxRoutes } from './routes/inbox.js';
import { fulfilmentRoutes } from './routes/fulfilment.js';
import { orderRoutes } from './routes/orders.js';
import { notificationRoutes } from './routes/notifications.js';
import { paymentSimulatorRoutes } from './routes/payment-simulator.js';
import { webhookRoutes } from './routes/webhooks.js';
import { integrityRoutes } from './routes/integrity.js';
import { kpiRoutes } from './routes/kpis.js';
import { riskRoutes } from './routes/risk.js';
import { vtexFacade } from './vtex/plugin.js';
import { webRoutes } from './web.js';
import { referenceRoutes } from './routes/reference.js';
import { systemRoutes } from './routes/system.js';

export type App = FastifyInstance;

export interface SecurityOptions extends RateLimitOptions {
  /** Fastify's trustProxy: whose X-Forwarded-For to believe for the client's address. */
  trustProxy: boolean | string;
  /** METRICS_TOKEN: the bearer token /metrics requires; unset → loopback only. */
  metricsToken: string | undefined;
}

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  security?: Partial<SecurityOptions>;
  /** Where the VTEX facade's paths are mounted (VTEX_FACADE_PREFIX); '' = VTEX's paths as they are. */
  vtexPrefix?: string;
  /** Called before any hook or route is added (the tests check every answer against /openapi.json). */
  instrument?: (app: FastifyInstance) => void;
  /** The built console's folder (default dist/web when built); tests give one of their own. */
  webRoot?: string;
}

/**
 * Security headers (helmet) with a Content-Security-Policy the console and /docs pass: everything
 * from this origin, inline styles (React and Swagger UI set them), data: images (the favicon).
 * Plain HTTP stays usable (`npm start` on localhost): no upgrade-insecure-requests.
 */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

/**
 * The headers a helmet middleware sets, read once: with these options they are the same on every
 * answer, and running its dozen middlewares per request cost 2 % of an apply's CPU.
 */
function headersSetBy(
  middleware: (req: IncomingMessage, res: ServerResponse, next: () => void) => void,
): [string, string][] {
  const headers: [string, string][] = [];
  const res = {
    setHeader: (name: string, value: unknown) => headers.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  middleware({} as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return headers;
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
  const security = { ...DEFAULT_RATE_LIMITS, ...options.security };
  const app = Fastify({
    trustProxy: security.trustProxy ?? false,
    logger: options.logger ?? false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: 1_048_576,
    schemaController: { compilersFactory: { buildSerializer: cachedSerializerFactory } },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  options.instrument?.(app);
  // Every named response schema, and the problem answers each route gives by what it is (before any route).
  registerComponents(app);
  app.addHook('onRoute', addStandardProblems);
  app.addHook('onRoute', addOperationId);

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
  // Before authentication: no hook or handler ever sees a NUL, a lone surrogate or a runaway depth.
  registerInputGuard(app);
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

  const securityHeaders = headersSetBy(
    helmet({
      contentSecurityPolicy: { directives: CSP_DIRECTIVES },
      // The API is served over plain HTTP on localhost too; HSTS is the TLS terminator's to send.
      strictTransportSecurity: false,
    }),
  );
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of securityHeaders) reply.raw.setHeader(name, value);
    done();
  });
  // Brotli or gzip for text answers (the console's assets, JSON pages) as the browser asks; the
  // event stream is hijacked and never passes through it. Small answers are not worth the CPU.
  await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'] });
  const limits = await registerRateLimits(app, security);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Amend API',
        version: '1.0.0',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
        description:
          'Order modification for Order Management Systems. Errors are application/problem+json with a stable `code` (see docs/errors.md).',
      },
      // Relative: the document describes the server that serves it.
      servers: [{ url: '/', description: 'the server that serves this document' }],
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

  const auth = authenticate(deps, limits);
  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url;
    // A channel's intake route authenticates the channel itself (INTAKE.md §3), not an API key.
    if (request.routeOptions.config.channelAuth) return;
    if (url?.startsWith('/v1/') && !PUBLIC_ROUTES.has(url)) await auth(request, reply);
  });

  registerIdempotency(app, deps);
  registerMetrics(app, deps, { token: security.metricsToken, limits });

  await systemRoutes(app, deps);
  await referenceRoutes(app, deps);
  await orderRoutes(app, deps);
  await notificationRoutes(app, deps);
  await fulfilmentRoutes(app, deps);
  await changeRoutes(app, deps);
  await bulkRoutes(app, deps);
  await paymentSimulatorRoutes(app, deps);
  await webhookRoutes(app, deps);
  await kpiRoutes(app, deps);
  await riskRoutes(app, deps);
  await integrityRoutes(app, deps);
  const vtexPrefix = options.vtexPrefix ?? '';
  await vtexFacade(app, deps, limits, vtexPrefix);
  await webRoutes(app, [`${vtexPrefix}/api`], options.webRoot);
  await inboxRoutes(app, deps);
  await eventRoutes(app, deps);
  await sourceRoutes(app, deps);
  await intakeRoutes(app, deps);
  await catalogueRoutes(app, deps);
  return app;
}
