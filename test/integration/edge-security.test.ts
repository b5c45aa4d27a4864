/**
 * The edges (issue 12, point 6): failed authentications limited per client address and requests per
 * key (429 with Retry-After), security headers, 413 for large bodies, no API key in the log even
 * when its name is percent-encoded, and /metrics readable only as configured.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/http/logging.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS, OTHER_TENANT_ADMIN } from '../support/fixture.js';

describe.each(ENGINES)('the edges on %s', (engine) => {
  let ctx: TestContext;
  const logLines: string[] = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _enc, done) {
        logLines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    ctx = await createTestContext(engine, {
      worker: false,
      build: {
        logger: loggerOptions('info', stream),
        security: { authFailuresPerMinute: 3, requestsPerKeyPerMinute: 40 },
      },
    });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const me = (key: string | undefined, remoteAddress = '127.0.0.1') =>
    ctx.app.inject({ url: '/v1/me', remoteAddress, headers: key ? auth(key) : {} });

  it('refuses an address after 3 failed authentications with 429 AUTH_RATE_LIMITED and Retry-After', async () => {
    const ip = '198.51.100.7';
    for (let i = 0; i < 5; i++) expect((await me(undefined, ip)).statusCode).toBe(401); // no key: not counted
    for (let i = 0; i < 3; i++) {
      const wrong = await me(`t1-wrong-${i}`, ip);
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json().code).toBe('UNAUTHENTICATED');
    }
    const limited = await me('t1-wrong-3', ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(limited.json()).toMatchObject({ code: 'AUTH_RATE_LIMITED', status: 429 });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.json().retryAfterSeconds).toBe(retryAfter);
    // Even a right key waits from that address; another address is not affected.
    expect((await me(KEYS.admin, ip)).json().code).toBe('AUTH_RATE_LIMITED');
    expect((await me(KEYS.admin, '198.51.100.8')).statusCode).toBe(200);
  });

  it('counts failed authentications through the VTEX facade too', async () => {
    const ip = '198.51.100.20';
    const vtex = (token: string) =>
      ctx.app.inject({
        url: '/api/order-system/orders/ord_x/changes',
        remoteAddress: ip,
        headers: { 'x-vtex-api-appkey': 'any', 'x-vtex-api-apptoken': token },
      });
    for (let i = 0; i < 3; i++) expect((await vtex(`wrong-${i}`)).statusCode).toBe(401);
    const limited = await vtex('wrong-3');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toContain('AUTH_RATE_LIMITED');
    expect((await me(KEYS.admin, ip)).json().code).toBe('AUTH_RATE_LIMITED');
  });

  it('limits the requests of one API key (429 RATE_LIMITED), not those of another', async () => {
    let status = 200;
    let sent = 0;
    while (status === 200 && sent < 60) {
      status = (await me(KEYS.picker)).statusCode;
      sent++;
    }
    expect(sent).toBe(41);
    const limited = await me(KEYS.picker);
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await me(OTHER_TENANT_ADMIN)).statusCode).toBe(200);
  });

  it('sends security headers, with a Content-Security-Policy, on the API and the docs', async () => {
    for (const url of ['/v1/me', '/docs/', '/healthz']) {
      const answer = await ctx.app.inject({ url, headers: auth(KEYS.agent) });
      const csp = String(answer.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('answers 413 BODY_TOO_LARGE for a body over 1 MiB and imports nothing', async () => {
    const big = anImport({ customAttributes: { note: 'x'.repeat(1_100_000) } } as object);
    const before = await ctx.deps.db.selectFrom('orders').select('id').execute();
    const answer = await ctx.app.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: auth(KEYS.integration),
      payload: big,
    });
    expect(answer.statusCode).toBe(413);
    expect(answer.json()).toMatchObject({ code: 'BODY_TOO_LARGE', status: 413 });
    expect(await ctx.deps.db.selectFrom('orders').select('id').execute()).toEqual(before);
  });

  it('never writes the API key to the log, however its parameter name is encoded', async () => {
    const key = KEYS.supervisor;
    for (const name of ['access_token', 'access%5Ftoken', '%61ccess_token']) {
      const answer = await ctx.app.inject({ url: `/v1/events?${name}=${key}&mine=perhaps` });
      expect(answer.statusCode, name).toBe(400); // authenticated by the parsed query, then refused
    }
    const requests = logLines.filter((l) => l.includes('/v1/events'));
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(logLines.filter((l) => l.includes(key))).toEqual([]);
    expect(requests.some((l) => l.includes('access_token=%5Bredacted%5D'))).toBe(true);
  });

  it('serves /metrics on the loopback interface only while METRICS_TOKEN is unset', async () => {
    const local = await ctx.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(local.statusCode).toBe(200);
    expect(local.body).toContain('amend_http_requests_total');
    const remote = await ctx.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
    expect(remote.statusCode).toBe(403);
    expect(remote.json().code).toBe('METRICS_LOCAL_ONLY');
    const proxied = await ctx.app.inject({
      url: '/metrics',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(proxied.json().code).toBe('METRICS_LOCAL_ONLY');
  });
});

describe.each(ENGINES)('/metrics with METRICS_TOKEN on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine, {
      worker: false,
      fixture: false,
      build: { security: { metricsToken: 'scrape-me' } },
    });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('requires the bearer token from anywhere, the loopback included', async () => {
    const none = await ctx.app.inject({ url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('UNAUTHENTICATED');
    const wrong = await ctx.app.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer scrape-you' },
    });
    expect(wrong.statusCode).toBe(401);
    const right = await ctx.app.inject({
      url: '/metrics',
      remoteAddress: '203.0.113.9',
      headers: { authorization: 'Bearer scrape-me' },
    });
    expect(right.statusCode).toBe(200);
    expect(right.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
