/**
 * Graceful shutdown (issue 12, point 10) with a real `amend serve` and a real `amend worker`:
 * SIGTERM stops accepting, lets a request in flight finish, ends the long-lived ones (`Prefer: wait`,
 * the event stream) early, gives back the worker's leases so another worker takes its change at
 * once, and exits 0 within 10 s. PostgreSQL only: `amend worker` shares the store with the test.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeWorker } from '../../src/worker/change-worker.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';
import { freePort, startAmend, untilReady } from '../support/processes.js';

/** A request sent over its own connection; resolves with the status and the body. */
function send(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string> },
  body?: string,
) {
  const req = request({ host: '127.0.0.1', port, agent: false, ...opts });
  const answered = new Promise<{ status: number; body: string; res: IncomingMessage }>(
    (resolve, reject) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, res }));
        res.on('error', reject);
      });
      req.on('error', reject);
    },
  );
  if (body !== undefined) req.end(body);
  return { req, answered };
}

describe.runIf(ENGINES.includes('postgres'))('graceful shutdown', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext('postgres', { worker: false });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const env = () => ({
    DATABASE_URL: ctx.database.url as string,
    AMEND_DEMO: '0',
    HOST: '127.0.0.1',
    VERIFY_INTERVAL_MS: '0',
  });
  const importOrder = async () =>
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(),
      })
    ).json();
  const moneyChange = { operations: [{ op: 'addItem', sku: 'MILK', quantity: 1 }] };

  it('amend serve: finishes the request in flight, ends the long ones early, refuses new connections, exits 0 within 10 s', async () => {
    const port = await freePort();
    const server = startAmend(['serve'], { ...env(), PORT: String(port), WORKER: 'off' });
    await untilReady(`http://127.0.0.1:${port}`, server);
    const order = await importOrder();
    const headers = { ...auth(KEYS.agent), 'content-type': 'application/json' };

    const stream = send(port, { path: '/v1/events', headers: auth(KEYS.agent) }, '');
    // No worker runs, so this change stays queued and the answer would wait its 30 s.
    const waiting = send(
      port,
      {
        method: 'POST',
        path: `/v1/orders/${order.id}/changes`,
        headers: { ...headers, prefer: 'wait=30' },
      },
      JSON.stringify({ ...moneyChange, reason: { code: 'CUSTOMER_REQUEST' } }),
    );
    // A request in flight: its headers are sent, half its body, the rest after the signal.
    const body = JSON.stringify({
      operations: [{ op: 'setCustomAttributes', set: { note: 'sent around the SIGTERM' } }],
      reason: { code: 'CUSTOMER_REQUEST' },
    });
    const inFlight = send(port, {
      method: 'POST',
      path: `/v1/orders/${(await importOrder()).id}/changes`,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    inFlight.req.write(body.slice(0, 20));
    await new Promise((r) => setTimeout(r, 1000)); // the stream and the wait are being held

    const stopping = Date.now();
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const refused = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => 'accepted',
      () => 'refused',
    );
    inFlight.req.end(body.slice(20));

    const held = await waiting.answered;
    expect(held.status).toBe(202);
    expect(JSON.parse(held.body).status).toBe('validated');
    expect((await stream.answered).status).toBe(200);
    const finished = await inFlight.answered;
    expect(finished.status, finished.body).toBe(200);
    expect(JSON.parse(finished.body).status).toBe('applied');
    expect(refused).toBe('refused');

    const ended = await server.exited;
    expect(ended.code, ended.stderr).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);
  }, 300_000);

  it('amend worker: gives back the lease of the change in hand, so another worker applies it at once', async () => {
    // A gateway that takes the call and never answers (the tenant waits up to 30 s for it).
    const hanging: ServerResponse[] = [];
    const gateway = createServer((req, res) => {
      req.resume();
      hanging.push(res);
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    try {
      await ctx.app.inject({
        method: 'PATCH',
        url: '/v1/settings',
        headers: auth(),
        payload: { payments: { callTimeoutMs: 30_000 } },
      });
      const order = await importOrder();
      const queued = await ctx.app.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/changes`,
        headers: auth(KEYS.agent),
        payload: { ...moneyChange, reason: { code: 'CUSTOMER_REQUEST' } },
      });
      expect(queued.statusCode).toBe(202);
      const changeId = queued.json().id as string;

      const worker = startAmend(['worker'], {
        ...env(),
        GATEWAY_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
        WORKER_LEASE_MS: '60000',
      });
      const end = Date.now() + 120_000;
      while (hanging.length === 0 && Date.now() < end && worker.child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      expect(hanging.length, worker.output()).toBeGreaterThanOrEqual(1);
      await new Promise((r) => setTimeout(r, 500)); // the first test's queued change is taken too

      const stopping = Date.now();
      worker.child.kill('SIGTERM');
      const ended = await worker.exited;
      expect(ended.code, ended.stderr).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(10_000);

      const held = await ctx.deps.db
        .selectFrom('change_requests')
        .select(['id', 'status', 'lease_until'])
        .where('status', 'in', ['validated', 'applying'])
        .execute();
      expect(held.map((h) => h.id)).toContain(changeId);
      expect(held.every((h) => h.lease_until === null)).toBe(true);
      // Not after the 60 s lease: now.
      expect(await new ChangeWorker(ctx.deps).drain()).toBe(held.length);
      const done = await ctx.app.inject({ url: `/v1/changes/${changeId}`, headers: auth() });
      expect(done.json().status).toBe('applied');
    } finally {
      for (const res of hanging) res.destroy();
      await new Promise((r) => gateway.close(r));
    }
  }, 300_000);
});
