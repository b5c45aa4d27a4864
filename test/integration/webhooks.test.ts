/**
 * Webhooks (API.md §5): subscriptions, signed deliveries at least once with a stable event id,
 * backoff, dead letter and replay (API and `amend replay`), against a real local HTTP receiver.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDeps } from '../../src/app/deps.js';
import { WebhookRelay } from '../../src/worker/webhook-relay.js';
import { claimDueDeliveries, recordAttempt } from '../../src/db/webhooks.js';
import { createDatabase } from '../../src/db/database.js';
import { verifyWebhook } from '../../src/integrations/webhook-signature.js';
import { replayDead } from '../../src/app/webhooks.js';
import { auth, createTestContext, localWebhooks, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver that answers `status()` and keeps what it got. */
async function receiver(
  status: () => number,
): Promise<{ url: string; got: Received[]; close: () => Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(status()).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const until = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.each(ENGINES)('webhooks on %s', (engine) => {
  let ctx: TestContext;
  let relay: WebhookRelay;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
    relay = new WebhookRelay(ctx.deps, { idleMs: 20 }).start();
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/settings',
      headers: auth(),
      payload: { webhooks: { maxAttempts: 3, retryBaseMs: 20 } },
    });
  });
  afterAll(async () => {
    await relay?.stop();
    await ctx?.close();
  });

  const subscribe = (url: string, events: string[], key = KEYS.admin) =>
    ctx.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: auth(key),
      payload: { url, events },
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
  const deliveries = async (id: string) =>
    (await ctx.app.inject({ url: `/v1/webhooks/${id}/deliveries`, headers: auth() })).json()
      .items as Record<string, unknown>[];

  it('signs each delivery so the receiver can verify it, and shows the secret only once', async () => {
    const r = await receiver(() => 204);
    try {
      const created = await subscribe(r.url, ['ORDER_CREATED']);
      expect(created.statusCode).toBe(201);
      const { id, secret } = created.json();
      expect(secret).toMatch(/^whsec_/);
      const listed = (await ctx.app.inject({ url: '/v1/webhooks', headers: auth() })).json().items;
      expect(listed.find((w: { id: string }) => w.id === id)).not.toHaveProperty('secret');

      const order = await importOrder();
      await until(() => r.got.length === 1);
      const [hit] = r.got as [Received];
      const event = JSON.parse(hit.body);
      expect(event).toMatchObject({ type: 'ORDER_CREATED', orderId: order.id });
      expect(hit.headers['amend-event-id']).toBe(event.id);
      expect(hit.headers['amend-event-type']).toBe('ORDER_CREATED');
      const headers = {
        timestamp: String(hit.headers['amend-timestamp']),
        signature: String(hit.headers['amend-signature']),
      };
      expect(verifyWebhook(secret, headers, hit.body, Math.floor(Date.now() / 1000))).toBe(true);
      expect(
        verifyWebhook(
          secret,
          headers,
          hit.body.replace('ORDER_CREATED', 'ORDER_CREATEX'),
          Math.floor(Date.now() / 1000),
        ),
      ).toBe(false);
      expect(verifyWebhook('whsec_other', headers, hit.body, Math.floor(Date.now() / 1000))).toBe(
        false,
      );
      // The same delivery in the Standard Webhooks form, verified by that spec's own library.
      expect(hit.headers['webhook-id']).toBe(event.id);
      expect(hit.headers['webhook-timestamp']).toBe(headers.timestamp);
      expect(String(hit.headers['webhook-signature'])).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      const standard = {
        'webhook-id': String(hit.headers['webhook-id']),
        'webhook-timestamp': String(hit.headers['webhook-timestamp']),
        'webhook-signature': String(hit.headers['webhook-signature']),
      };
      expect(new Webhook(secret).verify(hit.body, standard)).toMatchObject({ id: event.id });
      expect(() =>
        new Webhook(secret).verify(hit.body.replace('ORDER', 'ORDEX'), standard),
      ).toThrow(WebhookVerificationError);
      expect(() =>
        new Webhook(`whsec_${Buffer.from('another secret').toString('base64')}`).verify(
          hit.body,
          standard,
        ),
      ).toThrow(WebhookVerificationError);
      await until(async () => (await deliveries(id))[0]?.status === 'succeeded');
      expect((await deliveries(id))[0]).toMatchObject({
        eventId: event.id,
        attempts: 1,
        lastStatusCode: 204,
      });
      await ctx.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth() });
    } finally {
      await r.close();
    }
  });

  it('retries a receiver that is down and delivers when it is back, with the same event id', async () => {
    let up = false;
    const r = await receiver(() => (up ? 200 : 503));
    try {
      const { id } = (await subscribe(r.url, ['*'])).json();
      await importOrder();
      await until(() => r.got.length >= 1);
      up = true;
      await until(async () =>
        (await deliveries(id)).some(
          (d) => d.eventType === 'ORDER_CREATED' && d.status === 'succeeded',
        ),
      );
      const created = r.got.filter((g) => g.headers['amend-event-type'] === 'ORDER_CREATED');
      expect(created.length).toBeGreaterThanOrEqual(2);
      expect(new Set(created.map((g) => g.headers['amend-event-id'])).size).toBe(1);
      expect(new Set(created.map((g) => g.body)).size).toBe(1);
      const log = (await deliveries(id)).find((d) => d.eventType === 'ORDER_CREATED');
      expect(log).toMatchObject({ status: 'succeeded', lastStatusCode: 200 });
      expect(Number(log?.attempts)).toBeGreaterThanOrEqual(2);
      await ctx.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth() });
    } finally {
      await r.close();
    }
  });

  it('gives up after maxAttempts (dead), then delivers on replay by API and by `amend replay`', async () => {
    let up = false;
    const r = await receiver(() => (up ? 200 : 500));
    try {
      const { id } = (await subscribe(r.url, ['ORDER_CREATED'])).json();
      await importOrder();
      await until(async () => (await deliveries(id))[0]?.status === 'dead');
      const dead = (await deliveries(id))[0] as Record<string, unknown>;
      expect(dead).toMatchObject({
        attempts: 3,
        lastStatusCode: 500,
        lastError: 'The receiver answered 500.',
        nextAttemptAt: null,
      });
      expect(r.got).toHaveLength(3);
      up = true;
      const replayed = await ctx.app.inject({
        method: 'POST',
        url: `/v1/webhook-deliveries/${dead.id}/replay`,
        headers: auth(),
      });
      expect(replayed.statusCode).toBe(202);
      expect(replayed.json()).toMatchObject({
        eventId: dead.eventId,
        status: 'pending',
        replayOf: dead.id,
      });
      await until(async () =>
        (await deliveries(id)).some((d) => d.id === replayed.json().id && d.status === 'succeeded'),
      );
      expect(r.got.at(-1)?.headers['amend-event-id']).toBe(dead.eventId);
      expect(
        (
          await ctx.app.inject({
            method: 'POST',
            url: `/v1/webhook-deliveries/${dead.id}/replay`,
            headers: auth('t2-admin'),
          })
        ).statusCode,
      ).toBe(404);

      // The CLI's replay: every dead delivery not replayed yet gets a new one (the one replayed above does not).
      up = false;
      await importOrder();
      await until(
        async () => (await deliveries(id)).filter((d) => d.status === 'dead').length === 2,
      );
      const secondDead = (await deliveries(id)).find(
        (d) => d.status === 'dead' && d.id !== dead.id,
      ) as Record<string, unknown>;
      up = true;
      const before = r.got.length;
      const again = await replayDead(ctx.deps, 't1');
      expect(again.map((d) => d.replayOf)).toEqual([secondDead.id]);
      await until(async () =>
        (await deliveries(id)).some((d) => d.id === again[0]?.id && d.status === 'succeeded'),
      );
      expect(r.got.slice(before).map((g) => g.headers['amend-event-id'])).toEqual([
        secondDead.eventId,
      ]);
      expect(await replayDead(ctx.deps, 't1')).toEqual([]);

      // A deleted subscription's deliveries are not replayed: the API says why, the CLI skips them.
      up = false;
      await importOrder();
      await until(
        async () => (await deliveries(id)).filter((d) => d.status === 'dead').length === 3,
      );
      const lastDead = (await deliveries(id))[0] as Record<string, unknown>;
      expect(lastDead.status).toBe('dead');
      await ctx.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth() });
      const refused = await ctx.app.inject({
        method: 'POST',
        url: `/v1/webhook-deliveries/${lastDead.id}/replay`,
        headers: auth(),
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'WEBHOOK_DELETED' });
      expect(refused.json().detail).toContain(id);
      expect(await replayDead(ctx.deps, 't1')).toEqual([]);

      // The log pages newest first with a cursor; a deleted webhook's log stays readable.
      const all = (await deliveries(id)).map((d) => d.id);
      expect(all).toHaveLength(5);
      const paged: string[] = [];
      let cursor = '';
      do {
        const page = (
          await ctx.app.inject({
            url: `/v1/webhooks/${id}/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
            headers: auth(),
          })
        ).json();
        paged.push(...page.items.map((d: { id: string }) => d.id));
        cursor = page.nextCursor ?? '';
      } while (cursor);
      expect(paged).toEqual(all);
      expect(all.at(-1)).toBe(dead.id);
    } finally {
      await r.close();
    }
  });

  it('delivers what a relay claimed and then died with, once its lease runs out', async () => {
    await relay.stop();
    const r = await receiver(() => 200);
    try {
      const { id } = (await subscribe(r.url, ['ORDER_CREATED'])).json();
      await importOrder();
      // The relay that "dies": it leases the delivery for 400 ms and never reports.
      const claimed = (await claimDueDeliveries(ctx.deps.db, 10, 400)).filter(
        (d) => d.url === r.url,
      );
      expect(claimed.map((d) => d.event.type)).toEqual(['ORDER_CREATED']);
      relay = new WebhookRelay(ctx.deps, { idleMs: 20 }).start();
      await new Promise((res) => setTimeout(res, 150));
      expect(r.got).toHaveLength(0);
      await until(async () => (await deliveries(id))[0]?.status === 'succeeded');
      expect(r.got).toHaveLength(1);
      expect(r.got[0]?.headers['amend-event-id']).toBe(claimed[0]?.event.id);
      // The dead relay's late outcome does not overwrite the live one's.
      expect(
        await recordAttempt(ctx.deps.db, claimed[0] as (typeof claimed)[number], {
          status: 'dead',
          attempts: 9,
          statusCode: null,
          error: 'late',
          nextAttemptAt: null,
        }),
      ).toBe(false);
      // The attempt of the relay that died counts (it may have reached the receiver).
      expect((await deliveries(id))[0]).toMatchObject({
        status: 'succeeded',
        attempts: 2,
        lastStatusCode: 200,
      });
      await ctx.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth() });
    } finally {
      await r.close();
    }
  });

  it('wakes at once for events committed in its own process (an import, a fulfilment step), without waiting for its poll', async () => {
    await relay.stop();
    const r = await receiver(() => 200);
    const sleepy = new WebhookRelay(ctx.deps, { idleMs: 60_000 }).start();
    try {
      const { id } = (await subscribe(r.url, ['ORDER_CREATED', 'PICK_JOB_STARTED'])).json();
      await new Promise((res) => setTimeout(res, 100));
      const order = await importOrder();
      await until(() => r.got.length === 1, 3000);
      expect(r.got[0]?.headers['amend-event-type']).toBe('ORDER_CREATED');
      const job = (await ctx.app.inject({ url: `/v1/orders/${order.id}`, headers: auth() })).json()
        .fulfilment.pickJobs[0] as { id: string };
      expect(
        (
          await ctx.app.inject({
            method: 'POST',
            url: `/v1/pick-jobs/${job.id}/start`,
            headers: auth(KEYS.picker),
          })
        ).statusCode,
      ).toBe(200);
      await until(() => r.got.length === 2, 3000);
      expect(r.got[1]?.headers['amend-event-type']).toBe('PICK_JOB_STARTED');
      await ctx.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth() });
    } finally {
      await sleepy.stop();
      relay = new WebhookRelay(ctx.deps, { idleMs: 20 }).start();
      await r.close();
    }
  });

  it('ends dead a delivery whose relays keep dying, instead of trying it forever', async () => {
    await relay.stop();
    const r = await receiver(() => 200);
    try {
      const { id } = (await subscribe(r.url, ['ORDER_CREATED'])).json();
      await importOrder();
      // maxAttempts is 3: three relays die holding it (each lease 50 ms); each claim after the first counts the lost attempt.
      const seen: number[] = [];
      for (let n = 0; n < 3; n++) {
        await until(async () => {
          const mine = (await claimDueDeliveries(ctx.deps.db, 10, 50)).filter(
            (d) => d.url === r.url,
          );
          seen.push(...mine.map((d) => d.attempts));
          return mine.length > 0;
        });
      }
      expect(seen).toEqual([0, 1, 2]);
      expect((await deliveries(id))[0]).toMatchObject({
        status: 'pending',
        attempts: 2,
        lastError: 'A relay stopped during the attempt.',
      });
      relay = new WebhookRelay(ctx.deps, { idleMs: 20 }).start();
      await until(async () => (await deliveries(id))[0]?.status === 'dead');
      expect((await deliveries(id))[0]).toMatchObject({
        attempts: 3,
        lastError: 'A relay stopped during the attempt.',
      });
      expect(r.got).toHaveLength(0);
      await ctx.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth() });
    } finally {
      await r.close();
    }
  });

  it.runIf(engine === 'postgres')(
    '`amend replay` replays from the command line',
    async () => {
      let up = false;
      const r = await receiver(() => (up ? 200 : 500));
      try {
        const { id } = (await subscribe(r.url, ['ORDER_CREATED'])).json();
        await importOrder();
        await until(async () => (await deliveries(id))[0]?.status === 'dead');
        const dead = (await deliveries(id))[0] as Record<string, unknown>;
        up = true;
        const cli = async (...args: string[]) => {
          const child = spawn('node_modules/.bin/tsx', ['src/cli/main.ts', 'replay', ...args], {
            env: { ...process.env, DATABASE_URL: ctx.database.url, AMEND_DEMO: '0', NATS_URL: '' },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout?.on('data', (c) => {
            out += c;
          });
          child.stderr?.on('data', (c) => {
            out += c;
          });
          const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
          return { code, out };
        };
        const one = await cli('--tenant', 't1', '--delivery', String(dead.id));
        expect(one.code, one.out).toBe(0);
        expect(one.out).toContain(`event ${String(dead.eventId)}\treplays ${String(dead.id)}`);
        expect(one.out).toContain('1 delivery queued again');
        await until(async () => (await deliveries(id))[0]?.status === 'succeeded');
        expect(r.got.at(-1)?.headers['amend-event-id']).toBe(dead.eventId);
        const unknown = await cli('--tenant', 't1', '--delivery', 'whd_nope');
        expect(unknown.code).toBe(1);
        expect(unknown.out).toContain('whd_nope does not exist');
        await ctx.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth() });
      } finally {
        await r.close();
      }
    },
    60_000,
  );

  it('filters by event type, stops after DELETE, refuses unknown types and other tenants', async () => {
    const r = await receiver(() => 200);
    try {
      const { id } = (await subscribe(r.url, ['CHANGE_APPLIED'])).json();
      const order = await importOrder();
      await ctx.app.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/changes`,
        headers: auth(KEYS.agent),
        payload: {
          operations: [{ op: 'setCustomAttributes', set: { a: 1 } }],
          reason: { code: 'CUSTOMER_REQUEST' },
        },
      });
      await until(() => r.got.length === 1);
      expect(r.got[0]?.headers['amend-event-type']).toBe('CHANGE_APPLIED');
      expect(
        (await ctx.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth() }))
          .statusCode,
      ).toBe(204);
      await ctx.app.inject({
        method: 'POST',
        url: `/v1/orders/${order.id}/changes`,
        headers: auth(KEYS.agent),
        payload: {
          operations: [{ op: 'setCustomAttributes', set: { a: 2 } }],
          reason: { code: 'CUSTOMER_REQUEST' },
        },
      });
      await new Promise((res) => setTimeout(res, 200));
      expect(r.got).toHaveLength(1);

      const bad = await subscribe(r.url, ['CHANGE_APPLIED', 'NOT_AN_EVENT']);
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'REQUEST_INVALID' });
      expect(bad.json().detail).toMatch(/NOT_AN_EVENT/);
      expect((await subscribe('ftp://example.com', ['*'])).statusCode).toBe(400);
      expect((await subscribe(r.url, ['*'], KEYS.agent)).statusCode).toBe(403);
      const theirs = (await subscribe(r.url, ['*'], 't2-admin')).json();
      expect(
        (await ctx.app.inject({ url: `/v1/webhooks/${theirs.id}/deliveries`, headers: auth() }))
          .statusCode,
      ).toBe(404);
      await ctx.app.inject({
        method: 'DELETE',
        url: `/v1/webhooks/${theirs.id}`,
        headers: auth('t2-admin'),
      });
    } finally {
      await r.close();
    }
  });

  it.runIf(engine === 'postgres')(
    'delivers each event once with two relays, each with its own connections, on one database',
    async () => {
      const r = await receiver(() => 200);
      const other = await createDatabase({ databaseUrl: ctx.database.url, poolSize: 4 });
      const second = new WebhookRelay(
        makeDeps({ db: other.db, engine: other.engine, webhookGuard: localWebhooks() }),
        {
          idleMs: 20,
        },
      ).start();
      try {
        const { id } = (await subscribe(r.url, ['ORDER_CREATED'])).json();
        await Promise.all(Array.from({ length: 40 }, () => importOrder()));
        await until(
          async () => (await deliveries(id)).filter((d) => d.status === 'succeeded').length === 40,
          15_000,
        );
        await new Promise((res) => setTimeout(res, 200));
        expect(r.got).toHaveLength(40);
        expect(new Set(r.got.map((g) => g.headers['amend-event-id'])).size).toBe(40);
        expect((await deliveries(id)).every((d) => d.attempts === 1)).toBe(true);
        await ctx.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth() });
      } finally {
        await second.stop();
        await other.close();
        await r.close();
      }
    },
  );
});
