/**
 * The bare database's limit for "apply one order change" (../shared/bench/limit): pgbench on
 * PostgreSQL at a given concurrency, and the same ten statements in PGlite in-process.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

/** ../shared beside the repository (a worktree sits one level deeper). */
export const LIMIT_DIR =
  process.env.BENCH_LIMIT_DIR ??
  ['../shared/bench/limit', '../../shared/bench/limit'].find((d) =>
    existsSync(`${d}/change.pgbench`),
  ) ??
  '../shared/bench/limit';
export const LIMIT_DB = 'limit_bench';
const TENANT = '11111111-1111-4111-8111-111111111111';
const PG = ['-h', '127.0.0.1', '-U', 'postgres'];

const plan = () => execFileSync(process.execPath, [`${LIMIT_DIR}/plan.mjs`], { encoding: 'utf8' });

/** Creates limit_bench afresh with `orders` orders (5 lines each). */
export function setupLimit(orders: number): void {
  execFileSync('psql', [
    ...PG,
    '-d',
    'postgres',
    '-qc',
    `DROP DATABASE IF EXISTS ${LIMIT_DB} WITH (FORCE)`,
  ]);
  execFileSync('createdb', [...PG, LIMIT_DB]);
  execFileSync('psql', [
    ...PG,
    '-d',
    LIMIT_DB,
    '-q',
    '-f',
    `${LIMIT_DIR}/schema.sql`,
    '-f',
    `${LIMIT_DIR}/load.sql`,
  ]);
  execFileSync('psql', [
    ...PG,
    '-d',
    LIMIT_DB,
    '-qAt',
    '-c',
    `SELECT bench_load('${TENANT}', ${orders})`,
  ]);
  execFileSync('psql', [...PG, '-d', LIMIT_DB, '-qc', 'VACUUM ANALYZE']);
}

/** pgbench's tps (without connection time) at `concurrency` for `seconds` on the hot set. */
export function pgbenchLimit(
  concurrency: number,
  seconds: number,
  orders: number,
): Promise<number> {
  const args = [
    ...PG,
    '-n',
    '-M',
    'prepared',
    '-f',
    `${LIMIT_DIR}/change.pgbench`,
    '-D',
    `tenant=${TENANT}`,
    '-D',
    `norders=${orders}`,
    '-D',
    `plan=${plan()}`,
    '-c',
    String(concurrency),
    '-j',
    String(Math.min(concurrency, 2)),
    '-T',
    String(seconds),
    LIMIT_DB,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('pgbench', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.on('close', () => {
      const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1];
      if (tps) resolve(Number(tps));
      else reject(new Error(`pgbench gave no tps:\n${out}`));
    });
  });
}

/** The limit's write set, the same ten statements, on PGlite in this process (one connection). */
export async function pgliteLimit(seconds: number, orders: number): Promise<number> {
  const db = new PGlite('memory://');
  await db.waitReady;
  await db.exec(readFileSync(`${LIMIT_DIR}/schema.sql`, 'utf8'));
  await db.exec(readFileSync(`${LIMIT_DIR}/load.sql`, 'utf8'));
  await db.query(`SELECT bench_load($1, $2)`, [TENANT, orders]);
  const p = plan();
  const rand = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));
  let done = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const oid = rand(1, orders);
    const lid = (oid - 1) * 5 + rand(1, 5);
    const oldq = rand(1, 9);
    const newq = rand(1, 9);
    await db.transaction(async (tx) => {
      const o = (
        await tx.query<{ version: number; grand_total: string }>(
          'SELECT * FROM orders WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
          [TENANT, oid],
        )
      ).rows[0]!;
      const newver = o.version + 1;
      const newtotal = Number(o.grand_total) + (newq - oldq) * 2.5;
      await tx.query('SELECT * FROM order_lines WHERE tenant_id = $1 AND order_id = $2', [
        TENANT,
        oid,
      ]);
      await tx.query(
        'UPDATE order_lines SET quantity = $3::int4, line_total = unit_price * $3::int4, updated_at = now() WHERE tenant_id = $1 AND id = $2',
        [TENANT, lid, newq],
      );
      await tx.query(
        'UPDATE orders SET version = version + 1, grand_total = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2',
        [TENANT, oid, newtotal],
      );
      const c = (
        await tx.query<{ id: string }>(
          `INSERT INTO changes (tenant_id, order_id, idempotency_key, kind, status, requested_by, reason, base_version, result_version, plan, applied_at)
           VALUES ($1, $2, $3, 'set_quantity', 'applied', 'agent:42', 'customer called', $4, $5, $6, now()) RETURNING id`,
          [TENANT, oid, `pgl-${done}-${Math.random()}`, o.version, newver, p],
        )
      ).rows[0]!;
      await tx.query(
        `INSERT INTO audit_entries (tenant_id, change_id, order_id, entity, entity_id, field, old_value, new_value, actor, reason)
         VALUES ($1, $2, $3, 'order_line', $4, 'quantity', $5, $6, 'agent:42', 'customer called'),
                ($1, $2, $3, 'order', $3, 'grand_total', $7, $8, 'agent:42', 'customer called')`,
        [
          TENANT,
          c.id,
          oid,
          lid,
          JSON.stringify({ quantity: oldq }),
          JSON.stringify({ quantity: newq }),
          JSON.stringify({ grand_total: o.grand_total }),
          JSON.stringify({ grand_total: newtotal }),
        ],
      );
      await tx.query(
        'UPDATE reservations SET quantity = $3, updated_at = now() WHERE tenant_id = $1 AND order_line_id = $2',
        [TENANT, lid, newq],
      );
      await tx.query(
        `INSERT INTO outbox (tenant_id, topic, key, payload) VALUES ($1, 'order.changed', $2, $3)`,
        [
          TENANT,
          `order:${oid}`,
          JSON.stringify({
            type: 'order.changed',
            orderId: oid,
            changeId: c.id,
            version: newver,
            grandTotal: newtotal,
            lines: [{ lineId: lid, quantity: newq }],
            actor: 'agent:42',
          }),
        ],
      );
    });
    done++;
  }
  await db.close();
  return done / seconds;
}
