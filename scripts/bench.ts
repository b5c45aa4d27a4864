/**
 * npm run bench — Amend against the bare database's limit for "apply one order change"
 * (../shared/bench/limit), in one run, at the same concurrency, on a 512-order hot set on both sides.
 *
 * Per c = 1, 4, 16: the limit (pgbench on limit_bench), then through HTTP to the built server (a child
 * process, as in production) on amend_bench: preview, apply (a free line: 200 in the request) and
 * apply+pay (money moves: 202, the worker calls the simulated gateway and commits; Prefer: wait holds
 * the answer). Then the cost growth (5 → 200 lines, 0 → 45 earlier changes), the server's RSS under load,
 * PGlite against its own bare figure, intake accepted/s and imported/s (bench-intake.ts), and `amend
 * verify` on what the run left. BENCH_JSON=1 adds one JSON line with every figure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { verifyIntegrity } from '../src/app/verify.js';
import { createDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { buildApp } from '../src/http/app.js';
import { benchIntake, printIntake } from './bench-intake.js';
import { pgbenchLimit, pgliteLimit, setupLimit } from './bench-limit.js';
import { benchOrder, setupTenant, startFlags, type BenchOrder } from './bench-setup.js';

const ADMIN = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DB_NAME = 'amend_bench';
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,4,16').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const POOL = 20;
const ORDERS = 512;
const PORT = Number(process.env.BENCH_PORT ?? 3999);
const url = (() => {
  const u = new URL(ADMIN);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
})();

interface Rate {
  rate: number;
  p50: number;
  p99: number;
  errors: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/** Runs `work` in `concurrency` loops for SECONDS; each call is one change. */
async function drive(
  concurrency: number,
  work: (worker: number, i: number) => Promise<boolean>,
): Promise<Rate> {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; performance.now() < until; i++) {
        const t = performance.now();
        if (await work(w, i)) latencies.push(performance.now() - t);
        else errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    rate: latencies.length / SECONDS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

function post(
  agent: http.Agent,
  path: string,
  key: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const data = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        path,
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          ...headers,
        },
      },
      (res) => {
        let raw = '';
        res.on('data', (c) => (raw += c));
        res.on('end', () => {
          let parsed: Record<string, unknown> = {};
          try {
            parsed = raw ? JSON.parse(raw) : {};
          } catch {
            // not JSON: counted by its status
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', () => resolve({ status: 0, body: {} }));
    req.end(data);
  });
}

async function startServer(): Promise<ChildProcess> {
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? startFlags();
  const busy = await new Promise<boolean>((r) =>
    http
      .get({ host: '127.0.0.1', port: PORT, path: '/readyz' }, (res) => (res.resume(), r(true)))
      .on('error', () => r(false)),
  );
  if (busy) throw new Error(`port ${PORT} is taken: another server would answer the bench`);
  const child = spawn(process.execPath, [...nodeArgs, 'dist/src/cli/main.js', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      AMEND_DEMO: '0',
      PG_POOL_SIZE: String(POOL),
      WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? '8',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 150; i++) {
    const ok = await new Promise<boolean>((r) =>
      http
        .get({ host: '127.0.0.1', port: PORT, path: '/readyz' }, (res) => {
          res.resume();
          r(res.statusCode === 200);
        })
        .on('error', () => r(false)),
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error('the server did not become ready');
}

/** The child's resident set, sampled every 100 ms while `run` runs: the highest, in MB. */
async function peakRss<T>(pid: number, run: () => Promise<T>): Promise<{ value: T; mb: number }> {
  let peak = 0;
  const sample = () => {
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      peak = Math.max(peak, Number(kb ?? 0) / 1024);
    } catch {
      // the server is gone: the run fails on its requests
    }
  };
  const timer = setInterval(sample, 100);
  try {
    const value = await run();
    sample();
    return { value, mb: peak };
  } finally {
    clearInterval(timer);
  }
}

async function freshAmendDb() {
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const handle = await createDatabase({ databaseUrl: url, poolSize: POOL });
  await migrate(handle.db);
  return handle;
}

const change = (lineId: string, quantity: number) => ({
  operations: [{ op: 'setQuantity', lineId, quantity }],
  reason: { code: 'CUSTOMER_REQUEST' },
});

/** Quantities toggle 2 ↔ 3 (every bench line starts at 2), one memory for the whole run. */
const last = new Map<string, number>();
function toggler() {
  return (lineId: string) => {
    const q = last.get(lineId) === 3 ? 2 : 3;
    last.set(lineId, q);
    return q;
  };
}

async function growth(key: string, small: BenchOrder[], large: BenchOrder[], n: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const toggle = toggler();
  const time = async (o: BenchOrder) => {
    const t = performance.now();
    const r = await post(
      agent,
      `/v1/orders/${o.id}/changes`,
      key,
      change(o.freeLineId, toggle(o.freeLineId)),
    );
    if (r.status !== 200)
      throw new Error(`growth change answered ${r.status}: ${JSON.stringify(r.body)}`);
    return performance.now() - t;
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    a.push(await time(small[i % small.length]!));
    b.push(await time(large[i % large.length]!));
  }
  agent.destroy();
  return { small: median(a), large: median(b), ratio: median(b) / median(a) };
}

async function pgliteFigures() {
  const bare = await pgliteLimit(SECONDS, ORDERS);
  const handle = await createDatabase({});
  await migrate(handle.db);
  const t = await setupTenant(handle.db, 'pglite');
  const orders: BenchOrder[] = [];
  for (let i = 0; i < ORDERS; i++) orders.push(await benchOrder(t));
  const app = await buildApp(t.deps);
  await app.ready();
  const toggle = toggler();
  const apply = await drive(1, async (_w, i) => {
    const o = orders[i % orders.length]!;
    const r = await app.inject({
      method: 'POST',
      url: `/v1/orders/${o.id}/changes`,
      headers: { authorization: `Bearer ${t.key}` },
      payload: change(o.freeLineId, toggle(o.freeLineId)),
    });
    return r.statusCode === 200;
  });
  await app.close();
  await handle.close();
  return { bare, apply, ratio: apply.rate / bare };
}

async function main() {
  const started = performance.now();
  setupLimit(ORDERS);
  const handle = await freshAmendDb();
  const t = await setupTenant(handle.db, 'postgres');
  const orders: BenchOrder[] = [];
  for (let i = 0; i < ORDERS; i++) orders.push(await benchOrder(t));
  const small = orders.slice(0, 8);
  const large: BenchOrder[] = [];
  for (let i = 0; i < 8; i++) large.push(await benchOrder(t, 200));
  const fresh: BenchOrder[] = [];
  const old: BenchOrder[] = [];
  for (let i = 0; i < 8; i++) fresh.push(await benchOrder(t));
  for (let i = 0; i < 8; i++) old.push(await benchOrder(t));
  // As on the limit's side (and as autovacuum would): planner statistics for what was just loaded.
  await sql`VACUUM ANALYZE`.execute(handle.db);
  console.log(
    `setup: ${ORDERS} orders on each side in ${((performance.now() - started) / 1000).toFixed(1)} s; ${SECONDS} s per figure, pool ${POOL}, ${availableParallelism()} CPUs`,
  );
  const server = await startServer();
  // Never leave the server behind (a second run would talk to it).
  process.on('exit', () => server.kill('SIGKILL'));
  server.on('exit', (code) => {
    if (code !== null && code !== 0) console.error(`the server exited with ${code}`);
  });
  console.error('server ready');
  const rows: { c: number; limit: number; preview: Rate; apply: Rate; pay: Rate }[] = [];
  const own = (c: number, w: number, i: number) => orders[(w + c * i) % orders.length]!;
  const { mb: rss } = await peakRss(server.pid!, async () => {
    for (const c of CONCURRENCY) {
      const limit = await pgbenchLimit(c, SECONDS, ORDERS);
      console.error(`c=${c}: limit ${limit.toFixed(0)}/s`);
      const sockets = new http.Agent({ keepAlive: true, maxSockets: c });
      const toggle = toggler();
      const preview = await drive(c, async (w, i) => {
        const o = own(c, w, i);
        const r = await post(
          sockets,
          `/v1/orders/${o.id}/changes/preview`,
          t.key,
          change(o.freeLineId, 5),
        );
        return r.status === 200;
      });
      const apply = await drive(c, async (w, i) => {
        const o = own(c, w, i);
        const r = await post(
          sockets,
          `/v1/orders/${o.id}/changes`,
          t.key,
          change(o.freeLineId, toggle(o.freeLineId)),
        );
        return r.status === 200;
      });
      const pay = await drive(c, async (w, i) => {
        const o = own(c, w, i);
        const r = await post(
          sockets,
          `/v1/orders/${o.id}/changes`,
          t.key,
          change(o.paidLineId, toggle(o.paidLineId)),
          { prefer: 'wait=30' },
        );
        return r.status === 200 && r.body.status === 'applied';
      });
      sockets.destroy();
      console.error(
        `c=${c}: preview ${preview.rate.toFixed(0)}/s, apply ${apply.rate.toFixed(0)}/s, pay ${pay.rate.toFixed(0)}/s`,
      );
      rows.push({ c, limit, preview, apply, pay });
    }
  });
  const lines = await growth(t.key, small, large, 40);
  // 45 earlier changes (the 50-changes rule leaves room for the 4 measured per order).
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  await Promise.all(
    old.map(async (o) => {
      for (let k = 0; k < 45; k++)
        await post(agent, `/v1/orders/${o.id}/changes`, t.key, {
          operations: [{ op: 'setCustomAttributes', set: { k } }],
          reason: { code: 'CUSTOMER_REQUEST' },
        });
    }),
  );
  agent.destroy();
  const history = await growth(t.key, fresh, old, 32);
  server.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  const verified = await verifyIntegrity(t.deps);
  await handle.close();
  const pglite = await pgliteFigures();
  // Intake (issue 14): its own database and server, after Amend's server is gone.
  const intake = await benchIntake({
    adminUrl: ADMIN,
    concurrency: Number(process.env.BENCH_INTAKE_CONCURRENCY ?? 16),
    payloads: Number(process.env.BENCH_INTAKE_PAYLOADS ?? 1000),
    port: PORT - 1,
  });

  const pct = (x: number, of: number) => `${((x / of) * 100).toFixed(0)} %`;
  const f = (r: Rate) =>
    `${r.rate.toFixed(0).padStart(7)} ${r.p50.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)}`;
  console.log(
    '\n   c    limit │ preview/s   p50   p99 │   apply/s   p50   p99  vs limit │ apply+pay/s p50   p99  vs limit',
  );
  for (const r of rows)
    console.log(
      `${String(r.c).padStart(4)} ${r.limit.toFixed(0).padStart(8)} │ ${f(r.preview)} │ ${f(r.apply)} ${pct(r.apply.rate, r.limit).padStart(8)} │ ${f(r.pay)} ${pct(r.pay.rate, r.limit).padStart(8)}`,
    );
  const errors = rows.reduce((s, r) => s + r.preview.errors + r.apply.errors + r.pay.errors, 0);
  console.log(`errors (non-2xx or not applied): ${errors}`);
  console.log(
    `preview ÷ apply: ${rows.map((r) => `c=${r.c} ${(r.preview.rate / r.apply.rate).toFixed(2)}×`).join(', ')}`,
  );
  console.log(
    `cost growth (median apply latency): 5 → 200 lines ${lines.small.toFixed(1)} → ${lines.large.toFixed(1)} ms = ${lines.ratio.toFixed(2)}×; 0 → 45 earlier changes ${history.small.toFixed(1)} → ${history.large.toFixed(1)} ms = ${history.ratio.toFixed(2)}×`,
  );
  console.log(`server RSS under load (peak): ${rss.toFixed(0)} MB`);
  console.log(
    `PGlite (in process, c=1): bare write set ${pglite.bare.toFixed(0)}/s, Amend apply ${pglite.apply.rate.toFixed(0)}/s (p50 ${pglite.apply.p50.toFixed(1)} ms) = ${pct(pglite.apply.rate, pglite.bare)} of its limit`,
  );
  printIntake(intake);
  console.log(
    `amend verify after the run: ${verified.orders} orders, ${verified.violations.length} findings`,
  );
  for (const v of verified.violations.slice(0, 5))
    console.log(`  ${v.rule} ${v.orderId}: ${v.detail}`);
  if (process.env.BENCH_JSON === '1')
    console.log(
      JSON.stringify({
        seconds: SECONDS,
        orders: ORDERS,
        rows: rows.map((r) => ({
          c: r.c,
          limit: r.limit,
          preview: r.preview,
          apply: { ...r.apply, ofLimit: r.apply.rate / r.limit },
          pay: { ...r.pay, ofLimit: r.pay.rate / r.limit },
          previewOverApply: r.preview.rate / r.apply.rate,
        })),
        growth: { lines, history },
        rssMb: rss,
        pglite: { bare: pglite.bare, apply: pglite.apply, ofLimit: pglite.ratio },
        intake,
        verify: { orders: verified.orders, findings: verified.violations.length },
        errors,
      }),
    );
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
