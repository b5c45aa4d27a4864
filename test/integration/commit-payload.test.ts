import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHANGE_KEYS,
  COMMIT_PAYLOAD_KEYS,
  COUNTS_KEYS,
  GUARD_KEYS,
  IDEMPOTENCY_KEYS,
  STATE_KEYS,
  VERSION_KEYS,
  commitPayload,
} from '../../src/db/commit-payload.js';
import { findOrderForChange } from '../../src/db/orders.js';
import { auth, createTestContext, importAnOrder, type TestContext } from '../support/app.js';
import { ENGINES } from '../support/engines.js';
import { anImport, KEYS } from '../support/fixture.js';

const reason = { code: 'CUSTOMER_REQUEST' };

/** The keys the SQL function reads, per alias (p->'x', p->>'x', p ? 'x', st->>'x' …). */
function keysRead(source: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of source.matchAll(/\b(p|c|g|st|v|k|cnt)\s*(?:->>|->|\?)\s*'(\w+)'/g)) {
    const [, alias, key] = m as unknown as [string, string, string];
    if (!out.has(alias)) out.set(alias, new Set());
    out.get(alias)!.add(key);
  }
  return out;
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe.each(ENGINES)('the commit payload and amend_commit_change on %s', (engine) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(engine);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('reads exactly the keys of the TypeScript CommitPayload, and none other', async () => {
    const { rows } = await sql<{
      src: string;
    }>`SELECT prosrc AS src FROM pg_proc WHERE proname = 'amend_commit_change'`.execute(
      ctx.deps.db,
    );
    expect(rows).toHaveLength(1);
    const read = keysRead(rows[0]!.src);
    expect(sorted(read.get('p') ?? [])).toEqual(sorted(COMMIT_PAYLOAD_KEYS));
    expect(sorted(read.get('st') ?? [])).toEqual(sorted(STATE_KEYS));
    expect(sorted(read.get('g') ?? [])).toEqual(sorted(GUARD_KEYS));
    expect(sorted(read.get('v') ?? [])).toEqual(sorted(VERSION_KEYS));
    expect(sorted(read.get('k') ?? [])).toEqual(sorted(IDEMPOTENCY_KEYS));
    expect(sorted(read.get('cnt') ?? [])).toEqual(sorted(COUNTS_KEYS));
    expect(sorted(read.get('c') ?? [])).toEqual(sorted(CHANGE_KEYS));
  });

  it('builds child rows whose columns are the tables’ columns', async () => {
    const order = (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport(),
      })
    ).json();
    const found = (await findOrderForChange(ctx.deps.db, 't1', order.id))!;
    const before = found.order;
    const first = before.lines[0]!;
    const after = {
      ...before,
      version: 1,
      lines: [{ ...first, quantity: 3 }, ...before.lines.slice(1)],
      payments: before.payments.map((p) => ({ ...p, authorized: p.authorized + 1 })),
      fulfilment: {
        ...before.fulfilment,
        reservations: before.fulfilment.reservations.map((r) => ({ ...r, quantity: 3 })),
        pickJobs: before.fulfilment.pickJobs.map((j) => ({
          ...j,
          status: 'canceled' as const,
          lines: j.lines.map((l) => ({ ...l, quantity: 3 })),
        })),
        labels: [{ id: 'lbl_x', carrier: 'dhl', status: 'requested' as const }],
      },
    };
    const p = commitPayload({
      tenantId: 't1',
      before,
      after,
      baseRevision: found.revision,
      linePositions: found.linePositions,
      change: { id: 'chg_x', requestedBy: { actorId: 'u', role: 'agent', app: 'api' } } as never,
      audit: [{ path: 'lines.x.quantity', old: 1, new: 3 }],
      reasonCode: null,
      events: [],
    });
    const tables: [keyof typeof p, string, 'same' | 'subset'][] = [
      ['lineUpserts', 'order_lines', 'same'],
      ['paymentUpserts', 'payments', 'same'],
      ['reservationUpserts', 'reservations', 'same'],
      ['pickJobs', 'pick_jobs', 'same'],
      ['labels', 'shipping_labels', 'same'],
      ['audit', 'audit_entries', 'subset'],
      ['order', 'orders', 'subset'],
    ];
    for (const [key, table, how] of tables) {
      const value = p[key] as unknown;
      const row = (Array.isArray(value) ? value[0] : value) as Record<string, unknown>;
      expect(row, `${key} is written`).toBeDefined();
      const cols = (
        await sql<{
          c: string;
        }>`SELECT column_name AS c FROM information_schema.columns WHERE table_name = ${table}`.execute(
          ctx.deps.db,
        )
      ).rows.map((r) => r.c);
      if (how === 'same') expect(sorted(Object.keys(row)), table).toEqual(sorted(cols));
      else for (const k of Object.keys(row)) expect(cols, `${table}.${k}`).toContain(k);
    }
    // Only the edited line: the others stay where they are.
    expect(p.lineUpserts).toHaveLength(1);
    expect(p.lineDeletes).toBeUndefined();
  });

  it('rewrites only the line a change edits on a 60-line order (the other rows keep their xmin)', async () => {
    await ctx.deps.db
      .updateTable('stock')
      .set({ on_hand: 100_000 })
      .where('tenant_id', '=', 't1')
      .execute();
    const skus = ['APPLE', 'PEAR', 'MILK', 'WINE'];
    const order = (
      await ctx.app.inject({
        method: 'POST',
        url: '/v1/orders',
        headers: auth(KEYS.integration),
        payload: anImport({
          lines: Array.from({ length: 60 }, (_, i) => ({ sku: skus[i % 4]!, quantity: 1 })),
        }),
      })
    ).json();
    const rows = async (table: 'order_lines' | 'reservations') =>
      new Map(
        (
          await sql<{ line_id: string; x: string }>`
          SELECT line_id, xmin::text AS x FROM ${sql.table(table)}
          WHERE tenant_id = 't1' AND order_id = ${order.id}`.execute(ctx.deps.db)
        ).rows.map((r) => [r.line_id, r.x]),
      );
    const lines0 = await rows('order_lines');
    const reservations0 = await rows('reservations');
    const target = order.lines[10].lineId as string;
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/v1/orders/${order.id}/changes`,
      headers: { ...auth(KEYS.agent), prefer: 'wait=20' },
      payload: { operations: [{ op: 'setQuantity', lineId: target, quantity: 2 }], reason },
    });
    expect(res.json().status).toBe('applied');
    const lines1 = await rows('order_lines');
    const reservations1 = await rows('reservations');
    const moved = (a: Map<string, string>, b: Map<string, string>) =>
      [...b].filter(([id, x]) => a.get(id) !== x).map(([id]) => id);
    expect(moved(lines0, lines1)).toEqual([target]);
    expect(moved(reservations0, reservations1)).toEqual([target]);
    const versions = await ctx.deps.db
      .selectFrom('order_versions')
      .select(['version', 'snapshot', 'delta'])
      .where('order_id', '=', order.id)
      .orderBy('version')
      .execute();
    expect(versions.map((v) => [v.version, v.snapshot !== null, v.delta !== null])).toEqual([
      [0, true, false],
      [1, false, true],
    ]);
    const v0 = (
      await ctx.app.inject({ url: `/v1/orders/${order.id}?version=0`, headers: auth() })
    ).json();
    expect(v0.lines[10].quantity).toBe(1);
    // The line edit replaced the pick job: the new one is one row holding its 60 lines; the old one,
    // canceled, keeps the lines it had.
    const jobs = await ctx.deps.db
      .selectFrom('pick_jobs')
      .select(['id', 'status', 'lines'])
      .where('order_id', '=', order.id)
      .orderBy('created_at')
      .execute();
    expect(jobs.map((j) => [j.status, j.lines.length])).toEqual([
      ['canceled', 60],
      ['open', 60],
    ]);
    expect(jobs[0]!.lines.find((l) => l.line_id === target)!.quantity).toBe(1);
    expect(jobs[1]!.lines.find((l) => l.line_id === target)!.quantity).toBe(2);
  });

  it('refuses a pick job line with more picked than asked, as the line table did', async () => {
    const order = await importAnOrder(ctx);
    const job = order.fulfilment.pickJobs[0];
    const write = (lines: unknown) =>
      ctx.deps.db
        .updateTable('pick_jobs')
        .set({ lines: JSON.stringify(lines) })
        .where('tenant_id', '=', 't1')
        .where('id', '=', job.id)
        .execute();
    await expect(write([{ line_id: job.lines[0].lineId, quantity: 1, picked: 2 }])).rejects.toThrow(
      /pick_job_lines_picked_within_quantity/,
    );
    await expect(write([{ line_id: 'x', quantity: -1, picked: 0 }])).rejects.toThrow(
      /pick_job_lines_picked_within_quantity/,
    );
    await write([{ line_id: job.lines[0].lineId, quantity: 1, picked: 1 }]);
  });
});
