import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

interface Received {
  id: string;
  event: string;
  data: {
    id: string;
    type: string;
    orderId: string;
    changeId?: string;
    data: Record<string, unknown>;
  };
}

/** Opens the stream and collects events until `until` says enough (or 10 s pass). */
function stream(
  port: number,
  path: string,
  until: (events: Received[]) => boolean,
  headers: Record<string, string> = {},
): Promise<Received[]> {
  return new Promise((resolve, reject) => {
    const events: Received[] = [];
    const req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`status ${res.statusCode}`));
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) =>
            block
              .split('\n')
              .find((l) => l.startsWith(`${name}: `))
              ?.slice(name.length + 2);
          if (field('event'))
            events.push({
              id: field('id') as string,
              event: field('event') as string,
              data: JSON.parse(field('data') as string),
            });
        }
        if (until(events)) {
          req.destroy();
          resolve(events);
        }
      });
    });
    req.on('error', (err) => {
      if (!req.destroyed) reject(err);
    });
    setTimeout(() => {
      req.destroy();
      resolve(events);
    }, 10_000);
  });
}

describe.each(ENGINES)('the event stream on %s', (engine) => {
  let ctx: TestContext;
  let port: number;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    port = (ctx.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await ctx?.close();
  });
  const post = (url: string, key: string, payload: object) =>
    ctx.app.inject({ method: 'POST', url, headers: auth(key), payload });

  it("pushes a change's events to whoever listens on the order, and resumes after Last-Event-ID", async () => {
    const order = (await post('/v1/orders', KEYS.integration, anImport())).json();
    const listening = stream(
      port,
      `/v1/events?orderId=${order.id}&access_token=${KEYS.picker}`,
      (e) => e.some((x) => x.event === 'ORDER_MODIFIED'),
    );
    await new Promise((r) => setTimeout(r, 300));
    const change = (
      await post(`/v1/orders/${order.id}/changes`, KEYS.agent, {
        operations: [{ op: 'setCustomAttributes', set: { gate: 'B' } }],
        reason: { code: 'CUSTOMER_REQUEST' },
      })
    ).json();
    const events = await listening;
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining(['CHANGE_RECEIVED', 'CHANGE_APPLIED', 'ORDER_MODIFIED']),
    );
    const applied = events.find((e) => e.event === 'CHANGE_APPLIED')!;
    expect(applied.data).toMatchObject({
      type: 'CHANGE_APPLIED',
      orderId: order.id,
      changeId: change.id,
      data: { id: change.id, status: 'applied' },
    });
    expect(events.every((e) => e.data.orderId === order.id)).toBe(true);
    // `id:` is the event's id (API.md §5), the same as the envelope's.
    expect(events.every((e) => e.id === e.data.id && e.id.startsWith('evt'))).toBe(true);

    const first = events[0]!;
    const resumed = await stream(
      port,
      `/v1/events?orderId=${order.id}`,
      (e) => e.some((x) => x.event === 'ORDER_MODIFIED'),
      { ...auth(KEYS.agent), 'last-event-id': first.id },
    );
    expect(resumed.map((e) => e.id)).toEqual(events.slice(1).map((e) => e.id));
  });

  it('refuses to resume after an event id it never gave out', async () => {
    const res = await ctx.app.inject({
      url: '/v1/events?lastEventId=evt_nope',
      headers: auth(KEYS.agent),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('REQUEST_INVALID');
  });

  it("streams only the caller's changes with mine=true, and refuses a missing key", async () => {
    const order = (await post('/v1/orders', KEYS.integration, anImport())).json();
    const listening = stream(port, `/v1/events?mine=true&access_token=${KEYS.picker}`, (e) =>
      e.some((x) => x.event === 'CHANGE_REJECTED'),
    );
    await new Promise((r) => setTimeout(r, 300));
    await post(`/v1/orders/${order.id}/changes`, KEYS.agent, {
      operations: [{ op: 'setCustomAttributes', set: { x: 1 } }],
      reason: { code: 'CUSTOMER_REQUEST' },
    });
    await post(`/v1/orders/${order.id}/changes`, KEYS.picker, {
      operations: [{ op: 'setQuantity', lineId: order.lines[0].lineId, quantity: 0 }],
      reason: { code: 'CUSTOMER_REQUEST' },
      app: 'picker',
    });
    const events = await listening;
    expect(events.map((e) => e.event)).toEqual(['CHANGE_RECEIVED', 'CHANGE_REJECTED']);
    expect(events[1]!.data.data).toMatchObject({
      requestedBy: { actorId: 'u-picker' },
      outcome: { code: 'QUANTITY_INVALID' },
    });
    const none = await ctx.app.inject({ url: '/v1/events' });
    expect(none.statusCode).toBe(401);
  });
});
