/** GET /metrics in Prometheus' text format: requests and their durations per route and status. */
import type { AppInstance } from './types.js';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Series {
  count: number;
  sum: number;
  buckets: number[];
}

/** `collectors` add lines of their own (the intake's figures per source, src/app/intake-health.ts). */
export function registerMetrics(
  app: AppInstance,
  collectors: (() => Promise<string[]>)[] = [],
): void {
  const series = new Map<string, Series>();
  const started = Date.now();

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    const key = `method="${request.method}",route="${route}",status="${reply.statusCode}"`;
    const seconds = reply.elapsedTime / 1000;
    const s = series.get(key) ?? { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
    s.count += 1;
    s.sum += seconds;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    });
    series.set(key, s);
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    const lines = [
      '# HELP amend_http_requests_total HTTP requests answered.',
      '# TYPE amend_http_requests_total counter',
      ...[...series].map(([k, s]) => `amend_http_requests_total{${k}} ${s.count}`),
      '# HELP amend_http_request_duration_seconds Time to answer.',
      '# TYPE amend_http_request_duration_seconds histogram',
      ...[...series].flatMap(([k, s]) => [
        ...BUCKETS.map(
          (b, i) => `amend_http_request_duration_seconds_bucket{${k},le="${b}"} ${s.buckets[i]}`,
        ),
        `amend_http_request_duration_seconds_bucket{${k},le="+Inf"} ${s.count}`,
        `amend_http_request_duration_seconds_sum{${k}} ${s.sum.toFixed(6)}`,
        `amend_http_request_duration_seconds_count{${k}} ${s.count}`,
      ]),
      '# HELP amend_uptime_seconds Seconds since the process started.',
      '# TYPE amend_uptime_seconds gauge',
      `amend_uptime_seconds ${((Date.now() - started) / 1000).toFixed(0)}`,
      ...(await Promise.all(collectors.map((c) => c()))).flat(),
      '',
    ];
    return reply.type('text/plain; version=0.0.4').send(lines.join('\n'));
  });
}
