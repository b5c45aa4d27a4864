/**
 * Start the service: open the store, migrate, seed the demo tenants on first start, listen; and stop
 * it gracefully on SIGTERM (docs/operations.md): stop accepting, let requests in flight finish, end the
 * long-lived ones early, give back worker leases, close the store — within SHUTDOWN_TIMEOUT_MS.
 */
import { createServer } from 'node:http';
import type { Deps, Logger } from './app/deps.js';
import { makeDeps } from './app/deps.js';
import { smtpMailer } from './integrations/mail/mailer.js';
import { httpGateway } from './integrations/payments/http-gateway.js';
import { openSecretBox } from './integrations/secret-box.js';
import { Metrics } from './integrations/metrics.js';
import { TargetGuard } from './integrations/webhooks/target-guard.js';
import { seedDemo } from './seed/demo.js';
import { startBackground, stopBackground } from './worker/background.js';
import type { Config } from './config.js';
import { createDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { buildApp } from './http/app.js';
import { loggerOptions } from './http/logging.js';
import { metricsAccess } from './http/metrics.js';

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
    metrics: new Metrics(handle.db),
    webhookGuard: new TargetGuard(config.webhookAllowHosts),
    mailer: config.smtpUrl ? smtpMailer(config.smtpUrl) : null,
    ...(config.gatewayUrl ? { gateway: httpGateway(config.gatewayUrl, config.gatewayToken) } : {}),
  });
  return { deps, close: handle.close };
}

const line = (level: number, stream: 'log' | 'error') => (o: object | string, m?: string) =>
  console[stream](
    JSON.stringify({
      level,
      time: Date.now(),
      msg: m ?? o,
      ...(typeof o === 'object' ? o : {}),
    }),
  );
/** Until Fastify's logger exists: JSON lines like it writes. */
const bootLog: Logger = { info: line(30, 'log'), warn: line(40, 'log'), error: line(50, 'error') };

/** Runs `stop` once on SIGTERM or SIGINT; the process exits 0 after it, or 1 past the timeout. */
function onShutdown(config: Config, log: () => Logger, stop: () => Promise<void>): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    const started = Date.now();
    log().info({ signal }, 'shutting down: finishing requests and work in flight');
    setTimeout(() => {
      log().error({ ms: config.shutdownTimeoutMs }, 'shutdown took too long: exiting anyway');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    try {
      await stop();
      log().info({ ms: Date.now() - started }, 'shut down');
      process.exit(0);
    } catch (err) {
      log().error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** The change worker gets half the budget to finish its changes, then lets go of their leases. */
const workerGrace = (config: Config) => Math.max(500, Math.floor(config.shutdownTimeoutMs / 2));

export async function serve(config: Config): Promise<void> {
  const started = Date.now();
  // The store opens before the HTTP server so that logs and failures come in a sensible order.
  const { deps, close } = await openDeps(config, bootLog);
  if (config.demoMode) {
    const seeded = await seedDemo(deps);
    if (seeded.created) bootLog.info({ orders: seeded.orders }, 'demo tenants seeded');
  }
  const app = await buildApp(deps, {
    logger: loggerOptions(config.logLevel),
    security: config,
    vtexPrefix: config.vtexFacadePrefix,
  });
  deps.log = app.log;
  const background = startBackground(deps, config);

  onShutdown(
    config,
    () => deps.log,
    async () => {
      deps.signals.shutdown(); // `Prefer: wait` answers now, event streams end
      // app.close() stops accepting connections and waits for the requests in flight.
      await Promise.all([app.close(), stopBackground(background, workerGrace(config))]);
      await close();
    },
  );

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

/** `amend worker`: the background services alone; METRICS_PORT serves this process's /metrics. */
export async function runWorker(config: Config): Promise<void> {
  const { deps, close } = await openDeps(config, bootLog);
  const services = startBackground(deps, { ...config, inProcessWorker: true });
  const metricsServer = config.metricsPort === undefined ? null : workerMetrics(deps, config);
  onShutdown(
    config,
    () => deps.log,
    async () => {
      deps.signals.shutdown();
      metricsServer?.close();
      await stopBackground(services, workerGrace(config));
      await close();
    },
  );
  console.log(
    `amend worker running: ${services.map((s) => s.name).join(', ')} (stop with SIGTERM)`,
  );
}

function workerMetrics(deps: Deps, config: Config) {
  const allowed = metricsAccess(config.metricsToken);
  const server = createServer((req, res) => {
    const verdict = allowed(req.headers.authorization, req.socket.remoteAddress ?? '');
    if (req.url !== '/metrics' || verdict !== 'ok') {
      res.writeHead(req.url !== '/metrics' ? 404 : verdict === 'unauthenticated' ? 401 : 403);
      res.end();
      return;
    }
    deps.metrics.text().then(
      (text) => res.writeHead(200, { 'content-type': deps.metrics.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  server.listen(config.metricsPort, config.host);
  return server;
}
