/**
 * /metrics (issue 12, point 9): prom-client with the process figures and the business ones — what
 * this process did (HTTP, change outcomes, webhook attempts) and what the database holds (changes by
 * status and code, the worker queue, the outbox, deliveries) — and a Grafana dashboard that charts
 * exactly these names.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/database.js';
import { Metrics } from '../../src/integrations/metrics.js';
import { ChangeWorker } from '../../src/worker/change-worker.js';
import { WebhookRelay } from '../../src/worker/webhook-relay.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

/** The value of one sample, e.g. sample(text, 'amend_changes', { status: 'applied' }). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return null;
}

describe.each(ENGINES)('metrics on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine, { worker: false });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const scrape = async () => (await ctx.app.inject({ url: '/metrics' })).body;
  const change = (orderId: string, operations: object[]) =>
    ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${orderId}/changes`,
      headers: auth(KEYS.agent),
      payload: { operations, reason: { code: 'CUSTOMER_REQUEST' } },
    });

  it('counts changes by status and code, times their outcomes, and shows the worker queue', async () => {
    const order = (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(),
      })
    ).json();
    expect(
      (await change(order.id, [{ op: 'setCustomAttributes', set: { gift: true } }])).statusCode,
    ).toBe(200);
    expect((await change(order.id, [{ op: 'addItem', sku: 'NOPE', quantity: 1 }])).statusCode).toBe(
      422,
    );
    // Moves money: queued for the worker, which is not running yet.
    expect((await change(order.id, [{ op: 'addItem', sku: 'MILK', quantity: 1 }])).statusCode).toBe(
      202,
    );

    let text = await scrape();
    expect(sample(text, 'amend_changes', { status: 'applied', code: 'APPLIED' })).toBe(1);
    expect(sample(text, 'amend_changes', { status: 'rejected', code: 'SKU_NOT_FOUND' })).toBe(1);
    expect(sample(text, 'amend_changes', { status: 'validated' })).toBe(1);
    expect(sample(text, 'amend_worker_queue_depth')).toBe(1);
    expect(sample(text, 'amend_worker_queue_due')).toBe(1);
    expect(sample(text, 'amend_worker_queue_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'amend_outbox_unpublished_events')).toBeGreaterThan(0); // no NATS here
    expect(sample(text, 'amend_change_resolution_seconds_count', { status: 'applied' })).toBe(1);
    expect(sample(text, 'amend_change_resolution_seconds_count', { status: 'rejected' })).toBe(1);
    expect(
      sample(text, 'amend_http_requests_total', {
        method: 'POST',
        route: '/v1/orders/:id/changes',
        status: '202',
      }),
    ).toBe(1);

    expect(await new ChangeWorker(ctx.deps).drain()).toBe(1);
    await new Promise((r) => setTimeout(r, 5_100)); // the database figures are cached for 5 s
    text = await scrape();
    expect(sample(text, 'amend_changes', { status: 'applied', code: 'APPLIED' })).toBe(2);
    expect(sample(text, 'amend_worker_queue_depth')).toBe(0);
    expect(sample(text, 'amend_change_resolution_seconds_count', { status: 'applied' })).toBe(2);
  });

  it('counts webhook attempts by result and deliveries by status', async () => {
    let status = 204;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(status).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const relay = new WebhookRelay(ctx.deps, { idleMs: 20 }).start();
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/webhooks',
        headers: auth(),
        payload: { url, events: ['ORDER_CREATED'] },
      });
      const importOne = () =>
        ctx.app.inject({
          method: 'POST',
          url: '/v1/orders',
          headers: auth(KEYS.integration),
          payload: anImport(),
        });
      let text = '';
      const attempted = async (result: string) => {
        const end = Date.now() + 8000;
        while (Date.now() < end) {
          text = await ctx.deps.metrics.text();
          if ((sample(text, 'amend_webhook_deliveries_total', { result }) ?? 0) >= 1) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await importOne();
      await attempted('succeeded');
      status = 500;
      await importOne();
      await attempted('failed');
      expect(sample(text, 'amend_webhook_deliveries_total', { result: 'succeeded' })).toBe(1);
      expect(sample(text, 'amend_webhook_deliveries_total', { result: 'failed' })).toBe(1);
      await new Promise((r) => setTimeout(r, 5_100));
      text = await scrape();
      expect(sample(text, 'amend_webhook_deliveries', { status: 'succeeded' })).toBe(1);
      expect(sample(text, 'amend_webhook_deliveries', { status: 'retrying' })).toBe(1);
    } finally {
      await relay.stop();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('docs/grafana-dashboard.json', () => {
  it('charts exactly the metrics Amend exposes', async () => {
    const dashboard = readFileSync(
      new URL('../../docs/grafana-dashboard.json', import.meta.url),
      'utf8',
    );
    const exprs = [...dashboard.matchAll(/"expr": "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? '');
    const used = new Set(
      exprs.flatMap((e) =>
        [...e.matchAll(/\bamend_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, '')),
      ),
    );
    const handle = await createDatabase({});
    try {
      const metrics = new Metrics(handle.db);
      const exposed = new Set(
        (await metrics.registry.getMetricsAsJSON()).map((m) => m.name as string),
      );
      const business = [...exposed].filter((n) => !/^amend_(process|nodejs)_/.test(n));
      expect([...used].filter((n) => !exposed.has(n))).toEqual([]);
      expect(business.filter((n) => !used.has(n))).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});
