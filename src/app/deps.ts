/** What every use case gets: the database and the outside world, passed in (never imported). */
import { randomBytes, randomFillSync } from 'node:crypto';
import type { Database, Engine } from '../db/database.js';
import type { Permission, Role } from '../domain/permissions.js';
import type { TenantSettings } from '../domain/settings.js';
import type { Mailer } from '../integrations/mail/mailer.js';
import type { PaymentGateway } from '../integrations/payments/gateway.js';
import { simulatorGateway } from '../integrations/payments/simulator.js';
import { SecretBox } from '../integrations/secret-box.js';
import { Metrics } from '../integrations/metrics.js';
import { TargetGuard } from '../integrations/webhooks/target-guard.js';
import { Signals } from './signals.js';

export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export interface Deps {
  db: Database;
  engine: Engine;
  clock: () => Date;
  ids: (prefix: string) => string;
  log: Logger;
  demoMode: boolean;
  gateway: PaymentGateway;
  signals: Signals;
  /** Seals secrets kept for reuse (a Shopify webhook secret); null: the server has no key (AMEND_SECRET_KEY). */
  secretBox: SecretBox | null;
  /** This process's Prometheus metrics (GET /metrics). */
  metrics: Metrics;
  /** Which webhook targets may be reached (WEBHOOK_ALLOW_HOSTS). */
  webhookGuard: TargetGuard;
  /** Sends customer notices (SMTP_URL); null: none configured, notices are recorded as not sent. */
  mailer: Mailer | null;
}

/**
 * Deps with the defaults filled in: the system clock, random ids, the built-in payment simulator,
 * metrics without the process figures, and webhooks to public addresses only.
 */
export function makeDeps(parts: Pick<Deps, 'db' | 'engine'> & Partial<Deps>): Deps {
  return {
    clock: () => new Date(),
    ids: randomId,
    log: silentLogger,
    demoMode: false,
    gateway: simulatorGateway(parts.db),
    signals: new Signals(),
    // A key for this process only (tests, tools); the server passes the configured one (server.ts).
    secretBox: new SecretBox(randomBytes(32)),
    metrics: parts.metrics ?? new Metrics(parts.db, { processMetrics: false }),
    webhookGuard: new TargetGuard(),
    mailer: null,
    ...parts,
  };
}

/** Who is asking, resolved from the API key. */
export interface Actor {
  tenantId: string;
  actorId: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
  settings: TenantSettings;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Opaque ids: a type prefix and 16 random base32 characters (80 bits). */
/** Random bytes drawn 4 KB at a time: a change takes ten ids, and one system call each was felt. */
const pool = Buffer.alloc(4096);
let used = pool.length;

export function randomId(prefix: string): string {
  if (used + 16 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  let out = '';
  for (let i = 0; i < 16; i++) out += ALPHABET[(pool[used + i] as number) % 32];
  used += 16;
  return `${prefix}_${out}`;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
