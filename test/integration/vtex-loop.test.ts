/**
 * Seed 000 for VTEX clients: a change sent through PATCH .../changes and refused later reaches the
 * requester's inbox, the event stream and webhooks like a native one, and Detail shows it at once.
 */
import { createServer, get as httpGet, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookRelay } from '../../src/worker/webhook-relay.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';
import { expectVtexShape, vtexClient } from '../support/vtex-client.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The caller's events (mine=true) from the start of the log, until one says `type` for `changeId`. */
function eventsUntil(port: number, key: string, type: string, changeId: string): Promise<Json[]> {
  return new Promise((resolve, reject) => {
    const seen: Json[] = [];
    const path = `/v1/events?mine=true&access_token=${key}`;
    const req = httpGet(
      { host: '127.0.0.1', port, path, headers: { 'last-event-id': '0' } },
      (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const data = buffer
              .slice(0, end)
              .split('\n')
              .find((l) => l.startsWith('data: '));
            buffer = buffer.slice(end + 2);
            if (data) seen.push(JSON.parse(data.slice(6)));
          }
          if (seen.some((e) => e.type === type && e.changeId === changeId)) {
            req.destroy();
            resolve(seen);
          }
        });
      },
    );
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    setTimeout(() => {
      req.destroy();
      reject(new Error(`no ${type} for ${changeId} within 10 s`));
    }, 10_000);
  });
}

describe.each(ENGINES)('the seed-000 loop for VTEX clients on %s', (engine) => {
  let ctx: TestContext;
  let relay: WebhookRelay;
  let port: number;
  let hooks: Server;
  const delivered: Json[] = [];
  beforeAll(async () => {
    ctx = await createTestContext(engine);
    relay = new WebhookRelay(ctx.deps, { idleMs: 20 }).start();
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    port = (ctx.app.server.address() as AddressInfo).port;
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        delivered.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`;
    await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: auth(),
      payload: { url, events: ['CHANGE_REJECTED'] },
    });
  });
  afterAll(async () => {
    await relay?.stop();
    await new Promise((r) => hooks?.close(r));
    await ctx?.close();
  });

  const vtex = () => vtexClient(ctx, KEYS.integration);
  const post = (url: string, key: string, payload: object = {}) =>
    ctx.app.inject({ method: 'POST', url, headers: auth(key), payload });
  const importOrder = async (over = {}): Promise<Json> =>
    (await post('/v1/orders', KEYS.integration, anImport(over))).json();
  const substitution = (order: Json) => ({
    reason: 'Apples out of stock, packed pears',
    replace: [
      {
        from: { items: [{ id: 'APPLE', uniqueId: order.lines[0].lineId, quantity: 2 }] },
        to: { items: [{ id: 'PEAR', quantity: 2 }] },
      },
    ],
  });
  const waitFor = async <T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
    for (let i = 0; i < 400; i++) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('timed out');
  };

  /** What the requester learns: Detail canceled with the outcome, inbox, event stream, webhook. */
  async function expectLoopClosed(order: Json, requestId: string, code: string) {
    const detail = (await vtex().detail(order.id, requestId)).json();
    expectVtexShape('GetChangeDetail', detail);
    expect(detail).toMatchObject({ status: 'canceled', inProgress: false, error: { code } });
    const inbox = (
      await ctx.app.inject({ url: '/v1/inbox', headers: auth(KEYS.integration) })
    ).json();
    expect(inbox.items).toContainEqual(
      expect.objectContaining({ changeId: requestId, outcome: 'rejected', code }),
    );
    const events = await eventsUntil(port, KEYS.integration, 'CHANGE_REJECTED', requestId);
    expect(
      events.find((e) => e.changeId === requestId && e.type === 'CHANGE_REJECTED'),
    ).toMatchObject({
      orderId: order.id,
      data: { status: 'rejected', outcome: { code } },
    });
    const hook = await waitFor(
      async () => delivered.find((e) => e.changeId === requestId),
      (e) => e !== undefined,
    );
    expect(hook).toMatchObject({ type: 'CHANGE_REJECTED', data: { outcome: { code } } });
    expect(
      (await ctx.app.inject({ url: `/v1/orders/${order.id}`, headers: auth() })).json().version,
    ).toBe(0);
  }

  it('closes the loop for a declined payment', async () => {
    const order = await importOrder();
    await ctx.app.inject({
      method: 'PUT',
      url: '/v1/payment-simulator/credit-card',
      headers: auth(),
      payload: { failure: 'decline', times: 1 },
    });
    const created = await vtex().create(order.id, substitution(order));
    expect(created.statusCode).toBe(202);
    const id = created.json().requestId;
    await waitFor(
      async () => (await vtex().detail(order.id, id)).json(),
      (d) => !d.inProgress,
    );
    await expectLoopClosed(order, id, 'PAYMENT_DECLINED');
  });

  it("closes the loop for a supervisor's rejection", async () => {
    const order = await importOrder();
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/settings',
      headers: auth(),
      payload: { approval: { valueDeltaAbove: 10 } },
    });
    try {
      const created = await vtex().create(order.id, substitution(order));
      const id = created.json().requestId;
      expect((await vtex().detail(order.id, id)).json()).toMatchObject({
        status: 'waiting-acknowledgement',
        inProgress: true,
      });
      const rejected = await post(`/v1/changes/${id}/reject`, KEYS.supervisor, {
        reasonCode: 'POLICY',
        note: 'Too dear',
      });
      expect(rejected.statusCode).toBe(200);
      await expectLoopClosed(order, id, 'APPROVAL_REJECTED');
    } finally {
      await ctx.app.inject({
        method: 'PATCH',
        url: '/v1/settings',
        headers: auth(),
        payload: { approval: { valueDeltaAbove: 10_000_000 } },
      });
    }
  });

  it("closes the loop for the seller's refusal, acknowledged first", async () => {
    const order = await importOrder({ origin: 'marketplace' });
    const id = (await vtex().create(order.id, substitution(order))).json().requestId;
    const state = async () => (await vtex().detail(order.id, id)).json().status;
    expect(await state()).toBe('waiting-acknowledgement');
    expect((await post(`/v1/changes/${id}/seller-acknowledgment`, KEYS.admin)).statusCode).toBe(
      202,
    );
    expect(await state()).toBe('waiting-confirmation');
    expect(
      (await post(`/v1/changes/${id}/seller-refusal`, KEYS.admin, { note: 'No pears' })).statusCode,
    ).toBe(200);
    await expectLoopClosed(order, id, 'SELLER_REFUSED');
  });
});
