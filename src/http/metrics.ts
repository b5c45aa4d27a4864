/**
 * GET /metrics in Prometheus' format (prom-client; the figures are in src/integrations/metrics.ts).
 * Who may read it is a setting: METRICS_TOKEN set → that bearer token is required; unset → only
 * requests from the loopback interface that no proxy forwarded. So `npm start` needs nothing while
 * a server on 0.0.0.0 does not show its internals to the network.
 */
import { timingSafeEqual } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import type { Deps } from '../app/deps.js';
import { intakeHealthMetrics } from '../app/intake-health.js';
import { refuse } from '../app/refused-error.js';
import type { RateLimits } from './rate-limits.js';
import type { AppInstance } from './types.js';

export type MetricsVerdict = 'ok' | 'unauthenticated' | 'local-only';

const isLoopback = (address: string) => {
  try {
    return ipaddr.process(address).range() === 'loopback';
  } catch {
    return false;
  }
};

/** The access rule, shared with `amend worker`'s METRICS_PORT. */
export function metricsAccess(token: string | undefined) {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return (authorization: string | undefined, remoteAddress: string, forwarded = false) => {
    if (expected) {
      const given = Buffer.from(authorization ?? '');
      return given.length === expected.length && timingSafeEqual(given, expected)
        ? 'ok'
        : 'unauthenticated';
    }
    return isLoopback(remoteAddress) && !forwarded ? 'ok' : 'local-only';
  };
}

export function registerMetrics(
  app: AppInstance,
  deps: Deps,
  options: { token: string | undefined; limits: RateLimits },
): void {
  const { metrics } = deps;
  const access = metricsAccess(options.token);

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const forwarded = Boolean(request.headers['x-forwarded-for'] ?? request.headers.forwarded);
    if (options.token) await options.limits.beforeAuthentication(request, reply);
    const verdict = access(
      request.headers.authorization,
      request.socket.remoteAddress ?? '',
      forwarded,
    );
    if (verdict === 'unauthenticated') {
      await options.limits.authenticationFailed(request);
      refuse('UNAUTHENTICATED', 'Send the metrics token as `Authorization: Bearer <token>`.');
    }
    if (verdict === 'local-only')
      refuse(
        'METRICS_LOCAL_ONLY',
        'This server serves /metrics only to its own host; METRICS_TOKEN is not set.',
      );
    // The intake's figures per source (src/app/intake-health.ts), in the same text format.
    const intake = (await intakeHealthMetrics(deps)).join('\n');
    return reply.type(metrics.contentType).send(`${await metrics.text()}${intake}\n`);
  });
}
