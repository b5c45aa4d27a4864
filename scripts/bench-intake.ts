/**
 * Intake throughput (issue 14): VTEX and Shopify payloads posted over HTTP to the built server in a
 * child process on PostgreSQL, at a given concurrency, through the whole pipeline (stored → adapted
 * → validated → imported with routing, reservation and pick job). Prints payloads/s accepted (202)
 * and payloads/s imported (first POST to the last record imported), with latencies.
 * `benchIntake(opts)` is what `npm run bench` calls; run alone: `node dist/scripts/bench-intake.js`.
 */
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { makeDeps, type Actor } from '../src/app/deps.js';
import { createSource } from '../src/app/sources.js';
import { createDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { startFlags } from './bench-setup.js';
import {
  insertFacilities,
  insertProducts,
  insertStock,
  insertTenant,
} from '../src/db/reference-writes.js';
import type { Product } from '../src/domain/catalogue.js';
import { effectiveSettings } from '../src/domain/settings.js';
import { SecretBox } from '../src/integrations/secret-box.js';
import shopifyOrder from '../test/fixtures/intake/shopify-orders-create.json' with { type: 'json' };
import vtexOrder from '../test/fixtures/intake/vtex-order.json' with { type: 'json' };

export interface BenchIntakeOptions {
  adminUrl?: string;
  database?: string;
  concurrency?: number;
  payloads?: number;
  port?: number;
}

export interface BenchIntakeResult {
  concurrency: number;
  payloads: number;
  acceptedPerSecond: number;
  importedPerSecond: number;
  acceptMs: { p50: number; p99: number };
  lagMs: { p50: number; p99: number };
  imported: number;
  deadLettered: number;
  errors: number;
}

const VTEX = { appKey: 'bench-app-key', appToken: 'bench-app-token' };
const SHOPIFY_SECRET = 'bench-shopify-secret';
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const product = (sku: string, unitPrice: number, extra: Partial<Product> = {}): Product => ({
  sku,
  name: sku,
  unitPrice,
  currency: 'EUR',
  measurementUnit: 'un',
  unitMultiplier: 1,
  weighable: false,
  taxRate: 1900,
  kind: 'item',
  allowedSubstitutes: [],
  ...extra,
});

async function setup(adminUrl: string, name: string, key: Buffer): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const handle = await createDatabase({ databaseUrl: u.toString(), poolSize: 4 });
  await migrate(handle.db);
  await insertTenant(handle.db, 'bench', 'Bench');
  const products = [
    product('APPLE', 299),
    product('CHEESE', 1299, { weighable: true, measurementUnit: 'kg', unitMultiplier: 0.5 }),
    product('WINE', 899),
    product('PEAR', 349),
  ];
  await insertProducts(handle.db, 'bench', products);
  await insertFacilities(handle.db, 'bench', [
    { id: 'dc', name: 'DC', shipFromStore: false, priority: 1, location: null },
  ]);
  await insertStock(
    handle.db,
    'bench',
    products.map((p) => ({ facilityId: 'dc', sku: p.sku, onHand: 1_000_000 })),
  );
  const deps = makeDeps({ db: handle.db, engine: 'postgres', secretBox: new SecretBox(key) });
  const actor: Actor = {
    tenantId: 'bench',
    actorId: 'bench',
    role: 'admin',
    permissions: new Set(),
    settings: effectiveSettings({}),
  };
  await createSource(deps, actor, {
    id: 'vtex',
    kind: 'vtex',
    name: 'VTEX',
    credentials: VTEX,
    skuMap: { '1234': 'APPLE', '2001': 'CHEESE' },
  });
  await createSource(deps, actor, {
    id: 'shopify',
    kind: 'shopify',
    name: 'Shopify',
    credentials: { webhookSecret: SHOPIFY_SECRET },
    skuMap: { 'KAFFEE-ESP-1KG': 'WINE', 'ZUB-MS-01': 'PEAR' },
  });
  await handle.close();
  return u.toString();
}

function payload(i: number): { path: string; body: string; headers: Record<string, string> } {
  if (i % 2 === 0) {
    const o = structuredClone(vtexOrder) as Record<string, unknown>;
    o.orderId = `B${i}-01`;
    return {
      path: '/v1/intake/vtex',
      body: JSON.stringify(o),
      headers: { 'x-vtex-api-appkey': VTEX.appKey, 'x-vtex-api-apptoken': VTEX.appToken },
    };
  }
  const o = structuredClone(shopifyOrder) as Record<string, unknown>;
  o.id = 7_000_000 + i;
  o.admin_graphql_api_id = `gid://shopify/Order/${7_000_000 + i}`;
  const body = JSON.stringify(o);
  return {
    path: '/v1/intake/shopify',
    body,
    headers: {
      'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_SECRET).update(body).digest('base64'),
      'x-shopify-shop-domain': 'bench.myshopify.com',
    },
  };
}

function post(agent: http.Agent, port: number, p: ReturnType<typeof payload>): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: p.path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', ...p.headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(p.body);
  });
}

async function startServer(url: string, port: number, key: Buffer): Promise<() => void> {
  const child = spawn(process.execPath, [...startFlags(), 'dist/src/cli/main.js', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      AMEND_DEMO: '0',
      PG_POOL_SIZE: '20',
      NATS_URL: '',
      AMEND_SECRET_KEY: key.toString('base64'),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 150; i++) {
    const ok = await new Promise<boolean>((r) =>
      http
        .get(
          { host: '127.0.0.1', port, path: '/readyz' },
          (res) => (res.resume(), r(res.statusCode === 200)),
        )
        .on('error', () => r(false)),
    );
    if (ok) return () => child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error('the server did not become ready');
}

export async function benchIntake(opts: BenchIntakeOptions = {}): Promise<BenchIntakeResult> {
  const adminUrl =
    opts.adminUrl ?? process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const concurrency = opts.concurrency ?? 16;
  const total = opts.payloads ?? 1_000;
  const port = opts.port ?? 3998;
  const key = randomBytes(32);
  const url = await setup(adminUrl, opts.database ?? 'amend_intake_bench', key);
  const stop = await startServer(url, port, key);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const accept: number[] = [];
    let errors = 0;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const p = payload(next++);
          const t = performance.now();
          if ((await post(agent, port, p)) === 202) accept.push(performance.now() - t);
          else errors++;
        }
      }),
    );
    const accepted = performance.now() - t0;
    let done = 0;
    for (let i = 0; i < 6_000; i++) {
      const r = await db.query<{ n: number }>(
        `SELECT count(*)::int4 AS n FROM intake_records WHERE status IN ('imported', 'dead-lettered')`,
      );
      done = r.rows[0]?.n ?? 0;
      if (done >= accept.length) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    const finished = performance.now() - t0;
    const stats = await db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int4 AS n FROM intake_records GROUP BY 1`,
    );
    const lags = (
      await db.query<{ ms: number }>(
        `SELECT (extract(epoch FROM imported_at - received_at) * 1000)::float8 AS ms FROM intake_records WHERE status = 'imported'`,
      )
    ).rows
      .map((r) => Number(r.ms))
      .sort((a, b) => a - b);
    accept.sort((a, b) => a - b);
    agent.destroy();
    const count = (s: string) => stats.rows.find((r) => r.status === s)?.n ?? 0;
    return {
      concurrency,
      payloads: total,
      acceptedPerSecond: Math.round((accept.length / accepted) * 1000),
      importedPerSecond: Math.round((count('imported') / finished) * 1000),
      acceptMs: { p50: Math.round(pct(accept, 50)), p99: Math.round(pct(accept, 99)) },
      lagMs: { p50: Math.round(pct(lags, 50)), p99: Math.round(pct(lags, 99)) },
      imported: count('imported'),
      deadLettered: count('dead-lettered'),
      errors,
    };
  } finally {
    await db.end();
    stop();
  }
}

export function printIntake(r: BenchIntakeResult): void {
  console.log(
    `intake c=${r.concurrency}: ${r.payloads} payloads (VTEX and Shopify), ${r.acceptedPerSecond} accepted/s (202 p50 ${r.acceptMs.p50} ms, p99 ${r.acceptMs.p99} ms), ${r.importedPerSecond} imported/s through the pipeline (receipt → import p50 ${r.lagMs.p50} ms, p99 ${r.lagMs.p99} ms); ${r.imported} imported, ${r.deadLettered} dead letters, ${r.errors} errors`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  benchIntake({
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
    payloads: Number(process.env.BENCH_PAYLOADS ?? 1000),
  }).then(
    (r) => (printIntake(r), process.exit(0)),
    (err) => (console.error(err), process.exit(1)),
  );
