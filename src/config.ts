/** Configuration from the environment (the README's table lists each variable). */
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  demoMode: boolean;
  poolSize: number;
  /** An HTTP payment gateway (docs/payment-gateway.md); absent: the built-in simulator. */
  gatewayUrl: string | undefined;
  gatewayToken: string | undefined;
  /** Run the change worker inside the server process (default on; `amend worker` runs it alone). */
  inProcessWorker: boolean;
  /** Publish every outbox event to NATS JetStream (stream AMEND_EVENTS). */
  natsUrl: string | undefined;
  workerConcurrency: number;
  /** How long a claimed change stays a worker's without word from it (then another worker takes it). */
  workerLeaseMs: number;
  /** Intake records worked at once by the in-process intake worker. */
  intakeConcurrency: number;
  /** Key for secrets kept encrypted (Shopify webhook secrets): 32 bytes, hex or base64. */
  secretKey: string | undefined;
  /** Webhook hosts (names, addresses or CIDR ranges) allowed although internal (docs/webhooks.md). */
  webhookAllowHosts: string[];
  /** Failed authentications one client address may make per minute before 429 (0: no limit). */
  authFailuresPerMinute: number;
  /** Requests one API key may make per minute before 429 (0: no limit). */
  requestsPerKeyPerMinute: number;
  /** Fastify's trustProxy: `true` or the proxies' addresses (then X-Forwarded-For names the client). */
  trustProxy: boolean | string;
  /** A bearer token for GET /metrics; unset: /metrics answers only on the loopback interface. */
  metricsToken: string | undefined;
  /** `amend worker` serves its own /metrics on this port when set. */
  metricsPort: number | undefined;
  /** How often the server runs the integrity check for the KPIs (0: never by itself). */
  verifyIntervalMs: number;
  /** How often the risk trainer retrains each tenant's model (docs/risk.md); 0 = only on demand. */
  riskTrainIntervalMs: number;
  /** How often KPI targets are held against the KPIs (KPI_TARGET_MISSED); 0: never. */
  kpiCheckIntervalMs: number;
  /** Where customer notices are sent (nodemailer's URL form); unset → recorded as not sent. */
  smtpUrl: string | undefined;
  /** How long a graceful shutdown may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Where the VTEX facade's paths are mounted (e.g. `/vtex`); empty: VTEX's paths as they are. */
  vtexFacadePrefix: string;
}

const truthy = (v: string | undefined) =>
  v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
const falsy = (v: string | undefined) =>
  v !== undefined && ['0', 'false', 'no', 'off'].includes(v.toLowerCase());

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  // Demo mode is on for the embedded store and off on a server unless asked for (issue 2, item 10).
  const demoMode = databaseUrl ? truthy(env.AMEND_DEMO) : !falsy(env.AMEND_DEMO);
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    dataDir: resolve(env.DATA_DIR ?? './data'),
    logLevel: env.LOG_LEVEL ?? 'info',
    demoMode,
    poolSize: Number(env.PG_POOL_SIZE ?? 20),
    gatewayUrl: env.GATEWAY_URL || undefined,
    gatewayToken: env.GATEWAY_TOKEN || undefined,
    inProcessWorker: !falsy(env.WORKER),
    natsUrl: env.NATS_URL || undefined,
    workerConcurrency: Number(env.WORKER_CONCURRENCY ?? 4),
    workerLeaseMs: Number(env.WORKER_LEASE_MS ?? 30_000),
    intakeConcurrency: Number(env.INTAKE_CONCURRENCY ?? 4),
    secretKey: env.AMEND_SECRET_KEY || undefined,
    webhookAllowHosts: list(env.WEBHOOK_ALLOW_HOSTS),
    authFailuresPerMinute: Number(env.AUTH_FAILURES_PER_MINUTE ?? 100),
    requestsPerKeyPerMinute: Number(env.RATE_LIMIT_PER_KEY ?? 60_000),
    trustProxy: proxySetting(env.TRUST_PROXY),
    metricsToken: env.METRICS_TOKEN || undefined,
    metricsPort: env.METRICS_PORT ? Number(env.METRICS_PORT) : undefined,
    verifyIntervalMs: Number(env.VERIFY_INTERVAL_MS ?? 3_600_000),
    riskTrainIntervalMs: Number(env.RISK_TRAIN_INTERVAL_MS ?? 21_600_000),
    kpiCheckIntervalMs: Number(env.KPI_CHECK_INTERVAL_MS ?? 300_000),
    smtpUrl: env.SMTP_URL || undefined,
    shutdownTimeoutMs: Number(env.SHUTDOWN_TIMEOUT_MS ?? 9_000),
    vtexFacadePrefix: (env.VTEX_FACADE_PREFIX ?? '').replace(/\/+$/, ''),
  };
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function proxySetting(v: string | undefined): boolean | string {
  if (!v || falsy(v)) return false;
  return truthy(v) ? true : v;
}
