/** Start the service: open the store, migrate, seed the demo tenants on first start, listen. */
import type { Deps, Logger } from './app/deps.js';
import { makeDeps } from './app/deps.js';
import { httpGateway } from './integrations/payments/http-gateway.js';
import { openSecretBox } from './integrations/secret-box.js';
import { seedDemo } from './seed/demo.js';
import { startBackground, stopBackground } from './worker/background.js';
import type { Config } from './config.js';
import { createDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { buildApp } from './http/app.js';

export async function openDeps(
  config: Config,
  log: Logger,
): Promise<{ deps: Deps; close: () => Promise<void> }> {
  const handle = await createDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.poolSize,
  });
  const applied = await migrate(handle.db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const deps: Deps = makeDeps({
    db: handle.db,
    engine: handle.engine,
    log,
    demoMode: config.demoMode,
    secretBox: openSecretBox({
      secretKey: config.secretKey,
      dataDir: config.dataDir,
      embedded: !config.databaseUrl,
    }),
    ...(config.gatewayUrl ? { gateway: httpGateway(config.gatewayUrl, config.gatewayToken) } : {}),
  });
  return { deps, close: handle.close };
}

export async function serve(config: Config): Promise<void> {
  const started = Date.now();
  const app0Logger = {
    level: config.logLevel,
    redact: ['req.headers.authorization'],
    // The event stream takes the API key in ?access_token= (EventSource sends no headers): never log it.
    serializers: {
      req: (req: { method: string; url: string; hostname?: string; ip?: string }) => ({
        method: req.method,
        url: req.url.replace(/access_token=[^&]*/g, 'access_token=[redacted]'),
        host: req.hostname,
        remoteAddress: req.ip,
      }),
    },
  };
  // The store opens before the HTTP server so that logs and failures come in a sensible order.
  const bootLog: Logger = {
    info: (o, m) =>
      console.log(
        JSON.stringify({
          level: 30,
          time: Date.now(),
          msg: m ?? o,
          ...(typeof o === 'object' ? o : {}),
        }),
      ),
    warn: (o, m) =>
      console.log(
        JSON.stringify({
          level: 40,
          time: Date.now(),
          msg: m ?? o,
          ...(typeof o === 'object' ? o : {}),
        }),
      ),
    error: (o, m) =>
      console.error(
        JSON.stringify({
          level: 50,
          time: Date.now(),
          msg: m ?? o,
          ...(typeof o === 'object' ? o : {}),
        }),
      ),
  };
  const { deps, close } = await openDeps(config, bootLog);
  if (config.demoMode) {
    const seeded = await seedDemo(deps);
    if (seeded.created) bootLog.info({ orders: seeded.orders }, 'demo tenants seeded');
  }
  const app = await buildApp(deps, { logger: app0Logger, vtexPrefix: config.vtexFacadePrefix });
  deps.log = app.log;
  const background = startBackground(deps, config);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // app.close() stops accepting connections and waits for requests in flight.
    await app.close();
    await stopBackground(background);
    await close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const base = `http://localhost:${config.port}`;
  const store = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
  console.log(
    [
      '',
      `  Amend is running on ${base}  (store: ${store}, started in ${Date.now() - started} ms)`,
      `  API docs:      ${base}/docs   (OpenAPI: ${base}/openapi.json)`,
      config.demoMode
        ? `  Demo keys:     ${base}/v1/demo/keys   e.g. curl -H 'Authorization: Bearer demo-agent' ${base}/v1/orders`
        : '  Demo mode is off: create a key with `amend keys create --tenant T --role R`.',
      '',
    ].join('\n'),
  );
}
