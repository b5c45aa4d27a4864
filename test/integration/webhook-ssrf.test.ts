/**
 * Webhook SSRF (issue 12): internal targets are refused when subscribed (422 with the reason) and at
 * every delivery — a name is resolved once, every address checked, and the connection goes to the
 * checked address, so DNS rebinding cannot switch it. Nothing here sends traffic beyond 127.0.0.1:
 * names are resolved by fake resolvers, and public addresses are only classified, never contacted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetGuard, type ResolvedAddress } from '../../src/integrations/webhooks/target-guard.js';
import { WebhookRelay } from '../../src/worker/webhook-relay.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });

describe('the webhook target guard', () => {
  const guard = new TargetGuard([], async () => [v4('127.0.0.1')]);
  it.each([
    ['http://127.0.0.1:8080/', 'loopback'],
    ['http://2130706433/', 'loopback'], // 127.0.0.1 written as one number
    ['http://10.1.2.3/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['http://100.64.0.1/', 'carrierGradeNat'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://192.0.2.10/', 'reserved'],
    ['http://[::1]/', 'loopback'],
    ['http://[::]/', 'unspecified'],
    ['http://[fe80::1]/', 'linkLocal'],
    ['http://[fc00::1]/', 'uniqueLocal'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:169.254.169.254]/', 'linkLocal'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'rfc6052'],
    ['http://[2002:a9fe:a9fe::]/', '6to4'],
    ['http://hooks.example/', 'loopback'], // a name that resolves to loopback
  ])('refuses %s (%s)', async (url, range) => {
    expect(await guard.check(new URL(url))).toMatchObject({ ok: false, reason: 'blocked', range });
  });

  it('accepts public addresses, IPv4 and IPv6', async () => {
    for (const url of ['http://93.184.216.34/', 'https://[2606:4700::1111]/hook'])
      expect((await guard.check(new URL(url))).ok, url).toBe(true);
  });

  it('refuses a name when any one of its addresses is internal', async () => {
    const mixed = new TargetGuard([], async () => [v4('93.184.216.34'), v4('10.0.0.1')]);
    expect(await mixed.check(new URL('http://hooks.example/'))).toMatchObject({
      ok: false,
      range: 'private',
    });
  });

  it('allows the listed hosts: a name, an address, a CIDR range', async () => {
    const allowed = new TargetGuard(['localhost', '127.0.0.1', '10.20.0.0/16'], async () => [
      v4('127.0.0.1'),
    ]);
    for (const url of ['http://localhost:3000/', 'http://127.0.0.1/', 'http://10.20.3.4/'])
      expect((await allowed.check(new URL(url))).ok, url).toBe(true);
    expect((await allowed.check(new URL('http://10.21.0.1/'))).ok).toBe(false);
    expect((await allowed.check(new URL('http://[::1]/'))).ok).toBe(false);
  });
});

/** A receiver on 127.0.0.1 that counts what reaches it. */
async function receiver() {
  const got: string[] = [];
  const server: Server = createServer((req, res) => {
    got.push(req.headers.host ?? '');
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const until = async (check: () => Promise<boolean>, ms = 8000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.each(ENGINES)('webhook targets on %s', (engine) => {
  let ctx: TestContext;
  let relay: WebhookRelay;
  /** What the fake DNS answers for each name, in turn (the last answer repeats). */
  const answers = new Map<string, string[][]>();
  const lookups: string[] = [];
  beforeAll(async () => {
    const guard = new TargetGuard(['127.0.0.1'], async (host) => {
      lookups.push(host);
      const queue = answers.get(host);
      if (!queue?.length) throw Object.assign(new Error('no such host'), { code: 'ENOTFOUND' });
      const next = queue.length > 1 ? (queue.shift() as string[]) : (queue[0] as string[]);
      return next.map(v4);
    });
    ctx = await createTestContext(engine, { webhookGuard: guard });
    relay = new WebhookRelay(ctx.deps, { idleMs: 20 }).start();
    await ctx.app.inject({
      method: 'PATCH',
      url: '/v1/settings',
      headers: auth(),
      payload: { webhooks: { maxAttempts: 1, retryBaseMs: 20 } },
    });
  });
  afterAll(async () => {
    await relay?.stop();
    await ctx?.close();
  });

  const subscribe = (url: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: auth(KEYS.integration),
      payload: { url, events: ['ORDER_CREATED'] },
    });
  const importOrder = () =>
    ctx.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: auth(KEYS.integration),
      payload: anImport(),
    });
  const deliveriesOf = async (id: string) =>
    (await ctx.app.inject({ url: `/v1/webhooks/${id}/deliveries`, headers: auth() })).json()
      .items as { status: string; lastStatusCode: number | null; lastError: string | null }[];

  it('refuses an internal target with WEBHOOK_TARGET_FORBIDDEN and the reason, writing nothing', async () => {
    for (const [url, range] of [
      ['http://169.254.169.254/latest/meta-data/', 'linkLocal'],
      ['http://[::ffff:10.0.0.1]:8080/', 'private'],
      ['http://[fd12:3456::1]/', 'uniqueLocal'],
    ] as const) {
      const refused = await subscribe(url);
      expect(refused.statusCode, url).toBe(422);
      expect(refused.json()).toMatchObject({
        code: 'WEBHOOK_TARGET_FORBIDDEN',
        range,
        errors: [{ field: 'url', code: 'WEBHOOK_TARGET_FORBIDDEN' }],
      });
    }
    answers.set('metadata.example', [['169.254.169.254']]);
    const byName = await subscribe('http://metadata.example/');
    expect(byName.statusCode).toBe(422);
    expect(byName.json().detail).toMatch(/metadata\.example resolves to a link-local address/);
    expect(byName.json().detail).not.toContain('169.254');
    const listed = (await ctx.app.inject({ url: '/v1/webhooks', headers: auth() })).json();
    expect(listed.items).toEqual([]);
  });

  it('checks again at delivery: a name that rebinds to an internal address is not sent to', async () => {
    const r = await receiver();
    try {
      // Public when subscribed, loopback (where the receiver listens) at delivery time.
      answers.set('rebind.example', [['93.184.216.34'], ['127.0.0.2']]);
      const created = await subscribe(`http://rebind.example:${r.port}/hook`);
      expect(created.statusCode).toBe(201);
      const { id } = created.json();
      await importOrder();
      await until(async () => (await deliveriesOf(id))[0]?.status === 'dead');
      const [d] = await deliveriesOf(id);
      expect(d?.lastStatusCode).toBeNull();
      expect(d?.lastError).toMatch(/not a public one/);
      expect(d?.lastError).not.toMatch(/127\.0\.0\.2|rebind|port|\d+\.\d+\.\d+\.\d+/);
      expect(r.got).toEqual([]);
      await ctx.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth() });
    } finally {
      await r.close();
    }
  });

  it('connects to the address it checked, never resolving the name a second time', async () => {
    const r = await receiver();
    try {
      // The fake DNS would answer a private address on a second lookup; the system's would fail.
      answers.set('pinned.example', [['127.0.0.1'], ['10.9.9.9']]);
      const created = await subscribe(`http://pinned.example:${r.port}/hook`);
      expect(created.statusCode).toBe(201);
      const { id } = created.json();
      answers.set('pinned.example', [['127.0.0.1'], ['10.9.9.9']]);
      const before = lookups.filter((h) => h === 'pinned.example').length;
      await importOrder();
      await until(async () => (await deliveriesOf(id))[0]?.status === 'succeeded');
      expect(r.got).toEqual([`pinned.example:${r.port}`]);
      expect(lookups.filter((h) => h === 'pinned.example').length - before).toBe(1);
      await ctx.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth() });
    } finally {
      await r.close();
    }
  });

  it('says a receiver could not be reached without naming its address or port', async () => {
    const r = await receiver();
    const port = r.port;
    await r.close(); // nothing listens there now
    const { id } = (await subscribe(`http://127.0.0.1:${port}/gone`)).json();
    await importOrder();
    await until(async () => (await deliveriesOf(id))[0]?.status === 'dead');
    const [d] = await deliveriesOf(id);
    expect(d?.lastError).toBe('Could not reach the receiver (ECONNREFUSED).');
    expect(d?.lastStatusCode).toBeNull();
    await ctx.app.inject({ method: 'DELETE', url: `/v1/webhooks/${id}`, headers: auth() });
  });
});
