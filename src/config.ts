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
    vtexFacadePrefix: (env.VTEX_FACADE_PREFIX ?? '').replace(/\/+$/, ''),
  };
}
