/**
 * No 5xx on any input (issue 12 point 4): fast-check drives every operation of /openapi.json with
 * every demo key (and none), mixing real ids with hostile text (NUL, lone surrogates, huge
 * numbers, deep JSON, crafted cursors) in path, query, headers and body. Every answer is below
 * 500, and a refusal (4xx other than a recorded 422) leaves the database as it was, compared by a
 * cheap fingerprint of the tables a request writes. Bounded: AMEND_FUZZ_RUNS runs per operation
 * (default 12), well under 60 s per engine on a loaded machine.
 *
 * Left out on purpose: GET /v1/events (a 200 is an endless stream; its query is covered by the
 * input guard's test in contract-breaches) — every other operation is fuzzed.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/http/schemas/cursor.js';
import { seedDemo } from '../../src/seed/demo.js';
import { auth, createTestContext, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const RUNS = Number(process.env.AMEND_FUZZ_RUNS ?? 12);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const SKIPPED = new Set(['get /v1/events']);

const HOSTILE_TEXT = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '',
  ' ',
  'A'.repeat(3000),
  "'; DROP TABLE orders; --",
  '../../etc/passwd',
  '%00',
  '😀',
  '-1',
  '1.5',
  '2147483648',
  '1e309',
  encodeCursor([]),
  encodeCursor({ c: '2026-01-01T00:00:00.000Z', s: 1.5 }),
  encodeCursor({ s: -1 }),
];
const HOSTILE_NUMBERS = [-1, 0, 1.5, 2 ** 31, 2 ** 53, -(2 ** 63), 1e300, 3_000_000];

const deep = (n: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
};

/** An arbitrary for a JSON schema: mostly of its shape, often hostile, never only valid. */
function arbitraryOf(schema: Json | undefined, doc: Json, depth = 0): fc.Arbitrary<unknown> {
  const hostile = fc.oneof(
    fc.constantFrom(...HOSTILE_TEXT),
    fc.constantFrom(...HOSTILE_NUMBERS),
    fc.constantFrom(null, true, [], {}, deep(100)),
  );
  if (!schema || depth > 6) return hostile;
  if (schema.$ref) {
    const name = String(schema.$ref).split('/').pop()!;
    return arbitraryOf(doc.components?.schemas?.[name], doc, depth + 1);
  }
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches)
    return fc.oneof(...(branches as Json[]).map((b) => arbitraryOf(b, doc, depth + 1)), hostile);
  if (schema.const !== undefined) return fc.oneof(fc.constant(schema.const), hostile);
  if (schema.enum) return fc.oneof(fc.constantFrom(...(schema.enum as unknown[])), hostile);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const weighted = (valid: fc.Arbitrary<unknown>) =>
    fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: hostile, weight: 1 });
  switch (type) {
    case 'string':
      return weighted(
        schema.format === 'date'
          ? fc.constantFrom('2030-01-02', '2030-02-31')
          : schema.format === 'date-time'
            ? fc.constantFrom('2030-01-02T10:00:00.000Z', '2030-13-01T00:00:00Z')
            : fc.string({ maxLength: 20 }),
      );
    case 'integer':
      return weighted(fc.integer({ min: -5, max: 1000 }));
    case 'number':
      return weighted(fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 1e4 }));
    case 'boolean':
      return weighted(fc.boolean());
    case 'array':
      return weighted(fc.array(arbitraryOf(schema.items, doc, depth + 1), { maxLength: 3 }));
    case 'object': {
      const props = Object.entries((schema.properties ?? {}) as Record<string, Json>);
      const shape = Object.fromEntries(
        props.map(([k, s]) => [
          k,
          // A slow gateway would only slow the run down, never find a 5xx.
          k === 'latencyMs' ? fc.constant(0) : arbitraryOf(s, doc, depth + 1),
        ]),
      );
      return weighted(
        fc.record(shape, {
          requiredKeys: (schema.required ?? []) as string[],
        }) as fc.Arbitrary<unknown>,
      );
    }
    default:
      return hostile;
  }
}

// encodeURIComponent throws on a lone surrogate: send its WTF-8 bytes, as an attacker would.
const encode = (value: unknown) => {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  try {
    return encodeURIComponent(s);
  } catch {
    return s
      .replace(/[\ud800-\udfff]/g, '%ED%A0%80')
      .replace(/[^%\w.~-]/g, (c) => encodeURIComponent(c));
  }
};

describe.each(ENGINES)('fuzzing every operation on %s', (engine) => {
  let ctx: TestContext;
  let doc: Json;
  let keys: (string | null)[];
  let ids: string[];

  beforeAll(async () => {
    // No worker: nothing moves in the background, so a fingerprint that moved was the request.
    ctx = await createTestContext(engine, {
      demoMode: true,
      fixture: false,
      worker: false,
      // Rate limits would answer most requests with 429 and hide the handlers from the fuzz.
      build: { security: { authFailuresPerMinute: 1e9, requestsPerKeyPerMinute: 1e9 } },
    });
    await seedDemo(ctx.deps);
    doc = (await ctx.app.inject({ url: '/openapi.json' })).json();
    keys = [
      ...(await ctx.app.inject({ url: '/v1/demo/keys' })).json().items.map((k: Json) => k.key),
      null,
      'wrong-key',
    ];
    const admin = auth('demo-admin');
    const listed = await Promise.all(
      ['/v1/orders?limit=3', '/v1/pick-jobs?limit=3', '/v1/products?limit=3', '/v1/facilities'].map(
        async (url) => (await ctx.app.inject({ url, headers: admin })).json().items as Json[],
      ),
    );
    const orders = listed[0]!;
    const changes = (
      await ctx.app.inject({ url: `/v1/orders/${orders[0]!.id}/changes`, headers: admin })
    ).json().items as Json[];
    ids = [...listed.flat(), ...(changes ?? [])]
      .map((x) => String(x.id ?? x.sku))
      .filter((x) => x !== 'undefined');
  }, 180_000);
  afterAll(async () => {
    await ctx?.close();
  });

  const fingerprint = async () =>
    (
      await sql<Json>`SELECT
        (SELECT count(*) FROM orders) AS orders, (SELECT coalesce(sum(version), 0) FROM orders) AS versions,
        (SELECT count(*) FROM change_requests) AS changes, (SELECT count(*) FROM outbox_events) AS events,
        (SELECT count(*) FROM payments) AS payments, (SELECT coalesce(sum(authorized), 0) FROM payments) AS authorized,
        (SELECT count(*) FROM webhooks) AS webhooks, (SELECT count(*) FROM products) AS products,
        (SELECT coalesce(sum(on_hand + reserved), 0) FROM stock) AS stock, (SELECT count(*) FROM sources) AS sources,
        (SELECT count(*) FROM api_keys) AS keys, (SELECT count(*) FROM bulk_jobs) AS bulk,
        (SELECT md5(string_agg(settings::text, ',' ORDER BY id)) FROM tenants) AS settings`.execute(
        ctx.deps.db,
      )
    ).rows[0];

  it(
    'answers below 500 to every operation, and a refusal writes nothing',
    { timeout: 600_000 },
    async () => {
      const operations = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([m]) => METHODS.includes(m) && !SKIPPED.has(`${m} ${path}`))
          .map(([method, op]) => ({ path, method, op: op as Json })),
      );
      expect(operations.length).toBeGreaterThan(40);
      const failures: string[] = [];
      let requests = 0;
      const statuses = new Map<number, number>();
      const started = Date.now();
      for (const { path, method, op } of operations) {
        const params = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'path');
        const query = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'query');
        const body = op.requestBody?.content?.['application/json']?.schema as Json | undefined;
        const request = fc.record({
          key: fc.constantFrom(...keys),
          params: fc.tuple(
            ...params.map(() =>
              fc.oneof(fc.constantFrom(...ids), fc.constantFrom(...HOSTILE_TEXT), fc.string()),
            ),
          ),
          query: fc.tuple(
            ...query.map((q) => fc.option(arbitraryOf(q.schema as Json, doc), { nil: undefined })),
          ),
          body: body ? arbitraryOf(body, doc) : fc.constant(undefined),
          idempotencyKey: fc.option(fc.constantFrom('k-1', 'k-2', 'A'.repeat(300)), {
            nil: undefined,
          }),
        });
        await fc.assert(
          fc.asyncProperty(request, async (r) => {
            let url = path;
            params.forEach((p, i) => {
              url = url.replace(`{${p.name}}`, encode(r.params[i]));
            });
            const qs = query
              .map((q, i) => (r.query[i] === undefined ? null : `${q.name}=${encode(r.query[i])}`))
              .filter(Boolean)
              .join('&');
            const before = await fingerprint();
            const res = await ctx.app.inject({
              method: method.toUpperCase() as 'GET',
              url: qs ? `${url}?${qs}` : url,
              headers: {
                ...(r.key ? auth(r.key) : {}),
                ...(r.idempotencyKey ? { 'idempotency-key': r.idempotencyKey } : {}),
                ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}),
              },
              ...(r.body !== undefined ? { payload: JSON.stringify(r.body) } : {}),
            });
            requests += 1;
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            const what = `${method.toUpperCase()} ${qs ? `${url}?${qs}` : url} ${JSON.stringify(r.body)?.slice(0, 300)}`;
            if (res.statusCode >= 500)
              failures.push(`${res.statusCode} ${what}: ${res.body.slice(0, 200)}`);
            // 422 refusals of a change are recorded as a rejected change on purpose (API.md §4).
            if (res.statusCode >= 400 && res.statusCode !== 422) {
              const after = await fingerprint();
              if (JSON.stringify(after) !== JSON.stringify(before))
                failures.push(`wrote on ${res.statusCode}: ${what}`);
            }
          }),
          { numRuns: RUNS, seed: Number(process.env.AMEND_FUZZ_SEED ?? 12), endOnFailure: true },
        );
      }
      console.log(
        `fuzz ${engine}: ${requests} requests over ${operations.length} operations in ${Date.now() - started} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      expect(failures).toEqual([]);
    },
  );
});
