/**
 * The intake queue (INTAKE.md §1): a record is claimable when it waits (received, replayed, a
 * retry now due) or when the worker holding it went silent past its lease. Claims use
 * FOR UPDATE SKIP LOCKED, like the change queue, so any number of workers share one database.
 */
import { PREPARED } from './prepared.js';
import { sql, type Kysely } from 'kysely';
import type { ErrorCode } from '../domain/errors.js';
import type { HistoryEntry, IntakeRecord } from '../domain/intake/record.js';
import type { Tx } from './database.js';
import { recordFromRow } from './intake-records.js';
import type { DB } from './schema.js';

type Executor = Kysely<DB>;
export interface Claimed {
  tenantId: string;
  record: IntakeRecord;
}

const CLAIMABLE = sql`((status IN ('received', 'replayed', 'retrying') AND (next_attempt_at IS NULL OR next_attempt_at <= now()))
  OR (status = 'processing' AND lease_until < now()))`;

async function claim(
  db: Executor,
  token: string,
  leaseMs: number,
  which: ReturnType<typeof sql>,
): Promise<Claimed | undefined> {
  const result = await sql<Record<string, unknown>>`${PREPARED}
    UPDATE intake_records r SET status = 'processing', lease_token = ${token},
      lease_until = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
    WHERE (r.tenant_id, r.id) = (SELECT tenant_id, id FROM intake_records WHERE ${CLAIMABLE} ${which} FOR UPDATE SKIP LOCKED)
    RETURNING r.*`.execute(db);
  const row = result.rows[0];
  return row
    ? { tenantId: row.tenant_id as string, record: recordFromRow(row as never) }
    : undefined;
}

export function claimNextRecord(
  db: Executor,
  token: string,
  leaseMs: number,
): Promise<Claimed | undefined> {
  return claim(db, token, leaseMs, sql`ORDER BY seq LIMIT 1`);
}

/** Claims one given record (a `Prefer: wait` request, a bulk replay), if nobody holds it. */
export function claimRecord(
  db: Executor,
  tenantId: string,
  id: string,
  token: string,
  leaseMs: number,
): Promise<Claimed | undefined> {
  return claim(db, token, leaseMs, sql`AND tenant_id = ${tenantId} AND id = ${id}`);
}

/** When the next waiting record falls due (for the worker's sleep); null when none waits. */
export async function nextIntakeDueInMs(db: Executor): Promise<number | null> {
  const row = await sql<{ ms: number | null }>`${PREPARED}
    SELECT (extract(epoch FROM min(COALESCE(next_attempt_at, now())) - now()) * 1000)::float8 AS ms
    FROM intake_records WHERE status IN ('received', 'replayed', 'retrying')`.execute(db);
  const ms = row.rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, Number(ms));
}

const entry = (h: HistoryEntry) => sql`${JSON.stringify([h])}::jsonb`;

export interface Imported {
  orderId: string;
  duplicateOf: string | null;
  canonical: unknown;
  channelOrderRef: string;
  account: string | null;
  valueMinor: number | null;
  at: string;
}

/** The record imported (or found a duplicate), in the import's transaction; false if the lease was lost. */
export async function markImported(
  tx: Tx,
  tenantId: string,
  id: string,
  token: string | null,
  v: Imported,
): Promise<boolean> {
  const rows = await sql<{ id: string }>`
    UPDATE intake_records SET status = 'imported', order_id = ${v.orderId}, duplicate_of = ${v.duplicateOf},
      canonical = ${JSON.stringify(v.canonical)}::jsonb, channel_order_ref = ${v.channelOrderRef}, account = ${v.account},
      value_minor = ${v.valueMinor}, code = NULL, detail = NULL, errors = '[]'::jsonb, next_attempt_at = NULL,
      lease_token = NULL, lease_until = NULL, imported_at = ${v.at}, updated_at = ${v.at},
      history = history || ${entry({ at: v.at, status: 'imported' })}
    WHERE tenant_id = ${tenantId} AND id = ${id} AND ${token === null ? sql`lease_token IS NULL` : sql`lease_token = ${token}`}
    RETURNING id`.execute(tx);
  return rows.rows.length === 1;
}

/** A record POST /v1/orders imported at once (it never waited in the queue). */
export async function insertImportedRecord(
  tx: Tx,
  tenantId: string,
  r: { id: string; sourceId: string; rawBody: string; payload: unknown } & Imported,
): Promise<void> {
  const history: HistoryEntry[] = [
    { at: r.at, status: 'received' },
    { at: r.at, status: 'imported' },
  ];
  await tx
    .insertInto('intake_records')
    .values({
      tenant_id: tenantId,
      id: r.id,
      source_id: r.sourceId,
      kind: 'amend',
      account: r.account,
      status: 'imported',
      raw_body: r.rawBody,
      payload: JSON.stringify(r.payload),
      canonical: JSON.stringify(r.canonical),
      channel_order_ref: r.channelOrderRef,
      order_id: r.orderId,
      value_minor: r.valueMinor,
      history: JSON.stringify(history),
      received_at: r.at,
      imported_at: r.at,
      updated_at: r.at,
    })
    .execute();
}

export interface Failure {
  code: ErrorCode;
  detail: string;
  errors: { code: string; detail: string; field?: string }[];
  canonical?: unknown;
  channelOrderRef?: string | null;
  account?: string | null;
  valueMinor?: number | null;
  /** The attempts made, when a retry counted them (INTAKE_RETRIES_EXHAUSTED). */
  attempts?: number;
  at: string;
}

const readFacts = (f: Failure) => sql`
  canonical = COALESCE(${f.canonical === undefined ? null : JSON.stringify(f.canonical)}::jsonb, canonical),
  channel_order_ref = COALESCE(${f.channelOrderRef ?? null}, channel_order_ref),
  account = COALESCE(${f.account ?? null}, account), value_minor = COALESCE(${f.valueMinor ?? null}, value_minor)`;

export async function markDeadLettered(
  tx: Tx,
  tenantId: string,
  id: string,
  token: string,
  f: Failure,
): Promise<boolean> {
  const rows = await sql<{ id: string }>`
    UPDATE intake_records SET status = 'dead-lettered', code = ${f.code}, detail = ${f.detail},
      attempts = COALESCE(${f.attempts ?? null}::int4, attempts),
      errors = ${JSON.stringify(f.errors)}::jsonb, ${readFacts(f)}, next_attempt_at = NULL, lease_token = NULL,
      lease_until = NULL, updated_at = ${f.at}, dead_lettered_at = COALESCE(dead_lettered_at, ${f.at}::timestamptz),
      history = history || ${entry({ at: f.at, status: 'dead-lettered', code: f.code, detail: f.detail })}
    WHERE tenant_id = ${tenantId} AND id = ${id} AND lease_token = ${token}
    RETURNING id`.execute(tx);
  return rows.rows.length === 1;
}

export async function markRetrying(
  tx: Tx,
  tenantId: string,
  id: string,
  token: string,
  f: Failure & { attempts: number; nextAttemptAt: string },
): Promise<boolean> {
  const rows = await sql<{ id: string }>`
    UPDATE intake_records SET status = 'retrying', code = ${f.code}, detail = ${f.detail},
      errors = ${JSON.stringify(f.errors)}::jsonb, ${readFacts(f)}, attempts = ${f.attempts},
      next_attempt_at = ${f.nextAttemptAt}, lease_token = NULL, lease_until = NULL, updated_at = ${f.at},
      history = history || ${entry({ at: f.at, status: 'retrying', code: f.code, detail: f.detail })}
    WHERE tenant_id = ${tenantId} AND id = ${id} AND lease_token = ${token}
    RETURNING id`.execute(tx);
  return rows.rows.length === 1;
}

/** Gives a record back to the queue (a replay), optionally with a corrected payload; false if not replayable. */
export async function requeueRecord(
  tx: Tx,
  tenantId: string,
  id: string,
  r: { payload?: unknown; previousPayload?: unknown; actorId: string; at: string },
): Promise<boolean> {
  const h: HistoryEntry = {
    at: r.at,
    status: 'replayed',
    actorId: r.actorId,
    ...(r.payload !== undefined ? { previousPayload: r.previousPayload ?? null } : {}),
  };
  const rows = await sql<{ id: string }>`
    UPDATE intake_records SET status = 'replayed', attempts = 0, next_attempt_at = NULL, lease_token = NULL, lease_until = NULL,
      payload = ${r.payload === undefined ? sql`payload` : sql`${JSON.stringify(r.payload)}::jsonb`},
      updated_at = ${r.at}, history = history || ${entry(h)}
    WHERE tenant_id = ${tenantId} AND id = ${id} AND status IN ('dead-lettered', 'retrying')
    RETURNING id`.execute(tx);
  return rows.rows.length === 1;
}

export async function discardRecord(
  tx: Tx,
  tenantId: string,
  id: string,
  r: { reason: string; actorId: string; at: string },
): Promise<boolean> {
  const rows = await sql<{ id: string }>`
    UPDATE intake_records SET status = 'discarded', next_attempt_at = NULL, lease_token = NULL, lease_until = NULL,
      updated_at = ${r.at}, history = history || ${entry({ at: r.at, status: 'discarded', detail: r.reason, actorId: r.actorId })}
    WHERE tenant_id = ${tenantId} AND id = ${id} AND status IN ('dead-lettered', 'retrying')
    RETURNING id`.execute(tx);
  return rows.rows.length === 1;
}
