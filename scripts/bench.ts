/**
 * npm run bench — changes through HTTP on PostgreSQL versus the bare database doing the same
 * writes at the same concurrency, in one run. Prints changes/s and p50/p99 per mode.
 *
 * HTTP: the built server in a child process (as in production), driven over keep-alive sockets.
 * Bare: the same statements per change in a loop — the order read, the stock read and the
 * one-statement commit — with payloads planned before the clock starts: no HTTP, no domain code.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { loadForChange } from '../src/app/change-context.js';
import { changeEvents } from '../src/app/change-events.js';
import { publicPlan } from '../src/domain/change/change.js';
import { makeDeps, type Actor, type Deps } from '../src/app/deps.js';
import { createApiKey, resolveActor } from '../src/app/identity.js';
import { importOrder } from '../src/app/import-order.js';
import { commitChange, commitPayload, type CommitPayload } from '../src/db/changes.js';
import type { Change } from '../src/domain/change/change.js';
import { createDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { routingCandidates } from '../src/db/change-context.js';
import { findOrderForChange } from '../src/db/orders.js';
import {
  insertFacilities,
  insertProducts,
  insertStock,
  insertTenant,
} from '../src/db/reference-writes.js';
import { planChange } from '../src/domain/change/plan-change.js';
import type { ChangeRequest } from '../src/domain/change/types.js';

const ADMIN = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DB_NAME = 'amend_bench';
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,16,64').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const POOL = 20;
const ORDERS = 512;
const PORT = Number(process.env.BENCH_PORT ?? 3999);
const url = (() => {
  const u = new URL(ADMIN);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
})();

interface Result {
  mode: string;
  concurrency: number;
  rate: number;
  p50: number;
  p99: number;
  errors: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Runs `work(worker)` in `concurrency` loops for SECONDS; each call is one change. */
async function drive(
  mode: string,
  concurrency: number,
  work: (worker: number, i: number) => Promise<boolean>,
): Promise<Result> {
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
    mode,
    concurrency,
    rate: latencies.length / SECONDS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

async function setup() {
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const handle = await createDatabase({ databaseUrl: url, poolSize: POOL });
  await migrate(handle.db);
  const deps: Deps = makeDeps({ db: handle.db, engine: 'postgres', demoMode: false });
  await insertTenant(handle.db, 'bench', 'Bench');
  // Thousands of changes per order would otherwise go to a supervisor (approval policy: more than 10 changes).
  await handle.db
    .updateTable('tenants')
    .set({
      settings: JSON.stringify({
        approval: { changesPerOrderAbove: 1_000_000, valueDeltaPctAbove: 1_000_000 },
      }),
    })
    .where('id', '=', 'bench')
    .execute();
  const product = (sku: string, unitPrice: number) => ({
    sku,
    name: sku,
    unitPrice,
    currency: 'EUR',
    measurementUnit: 'un',
    unitMultiplier: 1,
    weighable: false,
    taxRate: 1900,
    kind: 'item' as const,
    allowedSubstitutes: [],
  });
  // G is a free gift: changing its quantity writes lines, reservations and stock but moves no money (the 200 path).
  await insertProducts(handle.db, 'bench', [product('A', 299), product('B', 119), product('G', 0)]);
  await insertFacilities(handle.db, 'bench', [
    { id: 'f1', name: 'F1', shipFromStore: true, priority: 1, location: null },
  ]);
  await insertStock(handle.db, 'bench', [
    { facilityId: 'f1', sku: 'A', onHand: 1_000_000 },
    { facilityId: 'f1', sku: 'B', onHand: 1_000_000 },
    { facilityId: 'f1', sku: 'G', onHand: 1_000_000 },
  ]);
  const { key } = await createApiKey(deps, 'bench', 'agent');
  const integration = await createApiKey(deps, 'bench', 'integration');
  const importer = (await resolveActor(deps, integration.key)) as Actor;
  const orders: { id: string; lineId: string; paidLineId: string }[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const o = await importOrder(deps, importer, {
      channel: 'bench',
      channelOrderRef: `B-${i}`,
      currency: 'EUR',
      customer: { name: 'Bench', email: 'b@example.com' },
      shippingAddress: {
        name: 'Bench',
        street: 'Str. 1',
        city: 'Berlin',
        postalCode: '10115',
        country: 'DE',
      },
      lines: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
        { sku: 'G', quantity: 2 },
      ],
      payments: [{ method: 'credit-card' }],
    });
    orders.push({ id: o.id, lineId: o.lines[2]!.lineId, paidLineId: o.lines[0]!.lineId });
  }
  const agent = (await resolveActor(deps, key)) as Actor;
  return { handle, deps, key, agent, orders };
}

const requestFor = (lineId: string, quantity: number): ChangeRequest => ({
  operations: [{ op: 'setQuantity', lineId, quantity }],
  reason: { code: 'CUSTOMER_REQUEST' },
});

function postJson(
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
        res.on('data', (c) => {
          raw += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: raw ? JSON.parse(raw) : {} }),
        );
      },
    );
    req.on('error', () => resolve({ status: 0, body: {} }));
    req.end(data);
  });
}

/**
 * Decision → notification (issue 5): the requester listens on GET /v1/events?mine=true; each change's
 * final event is timed from the moment its outcome was decided (its final transition) and from the request.
 */
async function feedbackLatency(
  key: string,
  orders: { id: string; paidLineId: string }[],
  count: number,
) {
  const fromDecision: number[] = [];
  const fromRequest: number[] = [];
  const waiting = new Map<string, { sent: number; resolve: () => void }>();
  const early = new Map<string, { at: number; decidedAt: number }>();
  const stream = await new Promise<http.ClientRequest>((resolve) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port: PORT,
        path: '/v1/events?mine=true',
        headers: { authorization: `Bearer ${key}` },
      },
      (res) => {
        let buffer = '';
        res.on('data', (chunk) => {
          buffer += chunk;
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const type = /^event: (.+)$/m.exec(frame)?.[1];
            const data = /^data: (.+)$/m.exec(frame)?.[1];
            if (
              !data ||
              !type ||
              !['CHANGE_APPLIED', 'CHANGE_REJECTED', 'CHANGE_FAILED'].includes(type)
            )
              continue;
            const event = JSON.parse(data) as {
              changeId: string;
              data: { transitions: { at: string }[] };
            };
            const now = Date.now();
            const decidedAt = Date.parse(event.data.transitions.at(-1)?.at ?? '');
            const w = waiting.get(event.changeId);
            if (w) {
              fromDecision.push(now - decidedAt);
              fromRequest.push(now - w.sent);
              waiting.delete(event.changeId);
              w.resolve();
            } else early.set(event.changeId, { at: now, decidedAt });
          }
        });
        resolve(req);
      },
    );
  });
  await new Promise((r) => setTimeout(r, 300));
  const sockets = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < count; i++) {
    const o = orders[i % orders.length] as { id: string; paidLineId: string };
    // Every other change is refused by a rule (recorded, 422); the rest move money through the worker.
    const operation =
      i % 2 === 0
        ? { op: 'setQuantity', lineId: o.paidLineId, quantity: 0 }
        : { op: 'adjustTotal', increment: 1 };
    const sent = Date.now();
    const heard = new Promise<void>((resolve) => {
      waiting.set('pending', { sent, resolve });
    });
    const answer = await postJson(sockets, `/v1/orders/${o.id}/changes`, key, {
      operations: [operation],
      reason: { code: 'CUSTOMER_REQUEST' },
    });
    const id = String(answer.body.changeId ?? answer.body.id);
    const pending = waiting.get('pending') as { sent: number; resolve: () => void };
    waiting.delete('pending');
    const already = early.get(id);
    if (already) {
      fromDecision.push(already.at - already.decidedAt);
      fromRequest.push(already.at - sent);
      pending.resolve();
    } else waiting.set(id, pending);
    await Promise.race([heard, new Promise((r) => setTimeout(r, 10_000))]);
  }
  stream.destroy();
  sockets.destroy();
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  return {
    count: fromDecision.length,
    decision: {
      p50: percentile(sorted(fromDecision), 50),
      p99: percentile(sorted(fromDecision), 99),
    },
    request: { p50: percentile(sorted(fromRequest), 50), p99: percentile(sorted(fromRequest), 99) },
  };
}

function post(agent: http.Agent, path: string, key: string, body: unknown): Promise<number> {
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
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(data);
  });
}

async function startServer(): Promise<() => void> {
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, 'dist/src/cli/main.js', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      AMEND_DEMO: '0',
      PG_POOL_SIZE: String(POOL),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) =>
      http
        .get({ host: '127.0.0.1', port: PORT, path: '/readyz' }, (res) => {
          res.resume();
          r(res.statusCode === 200);
        })
        .on('error', () => r(false)),
    );
    if (ok) return () => child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error('the server did not become ready');
}

async function main() {
  const started = performance.now();
  const { handle, deps, key, agent, orders } = await setup();
  console.log(
    `setup: ${ORDERS} orders in ${((performance.now() - started) / 1000).toFixed(1)} s; ${SECONDS} s per measurement, pool ${POOL}, ${availableParallelism()} CPUs`,
  );
  const results: Result[] = [];
  // Each worker owns its orders, so changes never conflict and every measured change applies.
  const own = (c: number, w: number, i: number) =>
    orders[(w + c * i) % orders.length] as { id: string; lineId: string; paidLineId: string };
  const next = new Map<string, number>();
  const toggle = (id: string) => {
    const q = next.get(id) === 3 ? 2 : 3;
    next.set(id, q);
    return q;
  };
  const paid = new Map<string, number>();
  const togglePaid = (id: string) => {
    const q = paid.get(id) === 3 ? 2 : 3;
    paid.set(id, q);
    return q;
  };

  // Payloads planned before the clock: per order, one to each quantity it toggles between.
  const templates = new Map<string, CommitPayload>();
  let seq = 0;
  async function plannedPayload(o: { id: string; lineId: string }, quantity: number) {
    const loaded = await loadForChange(
      handle.db,
      deps,
      agent,
      o.id,
      requestFor(o.lineId, quantity),
    );
    const planned = planChange(loaded.order, requestFor(o.lineId, quantity), loaded.ctx);
    if (!planned.ok) throw new Error(JSON.stringify(planned.refusals));
    const change = {
      id: 'x',
      orderId: o.id,
      ticket: 'MOD-B',
      status: 'applied',
      requestedBy: { actorId: agent.actorId, role: 'agent', app: 'api' },
      reason: { code: 'CUSTOMER_REQUEST' },
      operations: requestFor(o.lineId, quantity).operations,
      baseVersion: 0,
      orderVersion: 1,
      plan: publicPlan(planned.value),
      approval: planned.value.approval,
      undoOf: null,
      outcome: null,
      transitions: [],
      createdAt: loaded.ctx.now,
      updatedAt: loaded.ctx.now,
    } as unknown as Change;
    return commitPayload({
      tenantId: 'bench',
      before: loaded.order,
      after: { ...planned.value.after, version: loaded.order.version + 1 },
      baseRevision: 0,
      change,
      audit: planned.value.auditEntries,
      reasonCode: 'CUSTOMER_REQUEST',
      events: changeEvents(deps, change, planned.value.after, planned.value),
    });
  }
  /** The same statements the server runs for one change: read the order, read stock, commit. */
  async function bareChange(o: { id: string; lineId: string }): Promise<boolean> {
    const found = await findOrderForChange(handle.db, 'bench', o.id);
    if (!found) return false;
    await routingCandidates(handle.db, 'bench', o.id, ['A', 'B', 'G']);
    const q = found.order.lines[2]!.quantity === 3 ? 2 : 3;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a payload is loose JSON by design
    const p = structuredClone(templates.get(`${o.id}:${q}`)) as Record<string, any>;
    const version = found.order.version + 1;
    const id = `bare_${++seq}`;
    p.baseRevision = found.revision;
    p.order.version = version;
    p.version.version = version;
    Object.assign(p.change, { id, base_version: version - 1, order_version: version });
    for (const a of p.audit) a.change_id = id;
    p.events = p.events.map((e: Record<string, unknown>, n: number) => ({
      ...e,
      id: `${id}_e${n}`,
      changeId: id,
    }));
    return (await commitChange(handle.db, p as CommitPayload)) === 'ok';
  }
  for (const o of orders) {
    const now = (await findOrderForChange(handle.db, 'bench', o.id))!.order.lines[2]!.quantity;
    const other = now === 3 ? 2 : 3;
    templates.set(`${o.id}:${other}`, await plannedPayload(o, other));
    if (!(await bareChange(o))) throw new Error('a planned change did not commit');
    templates.set(`${o.id}:${now}`, await plannedPayload(o, now));
  }
  // Each concurrency: the bare database first, then HTTP, so HTTP never meets smaller tables than bare did.
  const stop = await startServer();
  // BENCH_FEEDBACK_ONLY=1: only the decision → notification figures.
  const only = process.env.BENCH_FEEDBACK_ONLY === '1';
  for (const c of only ? [] : CONCURRENCY) {
    results.push(await drive('bare database', c, (w, i) => bareChange(own(c, w, i))));
    for (const row of await handle.db
      .selectFrom('order_lines')
      .select(['order_id', 'quantity'])
      .where('tenant_id', '=', 'bench')
      .where('sku', '=', 'G')
      .execute())
      next.set(row.order_id, row.quantity);
    const sockets = new http.Agent({ keepAlive: true, maxSockets: c });
    results.push(
      await drive('http preview', c, async (w, i) => {
        const o = own(c, w, i);
        return (
          (await post(
            sockets,
            `/v1/orders/${o.id}/changes/preview`,
            key,
            requestFor(o.lineId, 5),
          )) === 200
        );
      }),
    );
    results.push(
      await drive('http apply', c, async (w, i) => {
        const o = own(c, w, i);
        return (
          (await post(
            sockets,
            `/v1/orders/${o.id}/changes`,
            key,
            requestFor(o.lineId, toggle(o.id)),
          )) === 200
        );
      }),
    );
    sockets.destroy();
  }
  // After every bare run: bare commits rewrite all lines from their planned templates (A back to 2).
  for (const c of only ? [] : CONCURRENCY) {
    const sockets = new http.Agent({ keepAlive: true, maxSockets: c });
    // Money moves: 202, the worker calls the (simulated) gateway and commits; Prefer: wait holds the answer until then.
    results.push(
      await drive('http apply+pay', c, async (w, i) => {
        const o = own(c, w, i);
        const answer = await postJson(
          sockets,
          `/v1/orders/${o.id}/changes`,
          key,
          requestFor(o.paidLineId, togglePaid(o.id)),
          { prefer: 'wait=30' },
        );
        return answer.status === 200 && answer.body.status === 'applied';
      }),
    );
    sockets.destroy();
  }
  const feedback = await feedbackLatency(key, orders, 200);
  stop();
  await sql`SELECT 1`.execute(handle.db);
  await handle.close();

  const order = ['bare database', 'http preview', 'http apply', 'http apply+pay'];
  results.sort(
    (a, b) => order.indexOf(a.mode) - order.indexOf(b.mode) || a.concurrency - b.concurrency,
  );
  const bare = new Map(
    results.filter((r) => r.mode === 'bare database').map((r) => [r.concurrency, r.rate]),
  );
  console.log('\nmode            conc   changes/s    p50 ms    p99 ms   errors   vs bare');
  for (const r of results) {
    const ratio =
      r.mode === 'http apply'
        ? `${((r.rate / (bare.get(r.concurrency) ?? 1)) * 100).toFixed(0)} %`
        : '';
    console.log(
      `${r.mode.padEnd(15)} ${String(r.concurrency).padStart(4)} ${r.rate.toFixed(0).padStart(11)} ${r.p50.toFixed(1).padStart(9)} ${r.p99.toFixed(1).padStart(9)} ${String(r.errors).padStart(8)}   ${ratio}`,
    );
  }
  console.log(
    '\n"http apply" moves no money (a free line: lines, reservations, stock, audit, events, version) and answers 200 in the request;',
  );
  console.log(
    '"http apply+pay" moves money: 202, then the worker calls the gateway and commits (answer held by Prefer: wait).',
  );
  console.log(
    `\nfeedback (${feedback.count} changes, half refused by a rule, half applied by the worker), heard on GET /v1/events?mine=true:`,
  );
  console.log(
    `  decision → notification   p50 ${feedback.decision.p50} ms   p99 ${feedback.decision.p99} ms`,
  );
  console.log(
    `  request  → notification   p50 ${feedback.request.p50} ms   p99 ${feedback.request.p99} ms`,
  );
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
