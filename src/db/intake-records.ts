/**
 * Intake records (INTAKE.md §3): written before the channel hears 202, moved by the worker under a
 * lease, read by the API and the console. Each status move is one statement, guarded by the lease
 * (or by the status a person's action expects), so two workers never finish one record.
 */
import { sql, type Kysely } from 'kysely';
import type { HistoryEntry, IntakeRecord, IntakeStatus } from '../domain/intake/record.js';
import type { ErrorCode } from '../domain/errors.js';
import type { DB, IntakeRecordsTable } from './schema.js';
import type { Tx } from './database.js';

type Executor = Kysely<DB>;
type Row = { [K in keyof IntakeRecordsTable]: unknown };
const iso = (v: unknown) =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();

export function recordFromRow(r: Row): IntakeRecord {
  return {
    id: r.id as string,
    sourceId: r.source_id as string,
    kind: r.kind as string,
    account: (r.account as string | null) ?? null,
    status: r.status as IntakeStatus,
    receivedAt: iso(r.received_at) as string,
    updatedAt: iso(r.updated_at) as string,
    attempts: Number(r.attempts),
    nextAttemptAt: iso(r.next_attempt_at),
    orderId: (r.order_id as string | null) ?? null,
    duplicateOf: (r.duplicate_of as string | null) ?? null,
    channelOrderRef: (r.channel_order_ref as string | null) ?? null,
    webhookId: (r.webhook_id as string | null) ?? null,
    code: (r.code as ErrorCode | null) ?? null,
    detail: (r.detail as string | null) ?? null,
    errors: (r.errors as IntakeRecord['errors']) ?? [],
    payload: r.payload ?? null,
    canonical: r.canonical ?? null,
    valueMinor:
      r.value_minor === null || r.value_minor === undefined ? null : Number(r.value_minor),
    history: (r.history as HistoryEntry[]) ?? [],
    importedAt: iso(r.imported_at),
    deadLetteredAt: iso(r.dead_lettered_at),
  };
}

export interface NewRecord {
  id: string;
  sourceId: string;
  kind: string;
  account: string | null;
  rawBody: string;
  payload: unknown;
  webhookId: string | null;
  status: 'received' | 'dead-lettered';
  code?: ErrorCode;
  detail?: string;
  at: string;
}

/** Inserts a record; a webhook id seen before answers the earlier record's id instead (a redelivery). */
export async function insertRecord(
  tx: Tx,
  tenantId: string,
  r: NewRecord,
): Promise<{ id: string; created: boolean }> {
  const history: HistoryEntry[] = [{ at: r.at, status: 'received' }];
  if (r.status === 'dead-lettered')
    history.push({ at: r.at, status: 'dead-lettered', ...(r.code ? { code: r.code } : {}) });
  const inserted = await sql<{ id: string }>`
    INSERT INTO intake_records (tenant_id, id, source_id, kind, account, status, raw_body, payload, webhook_id, code, detail,
      errors, history, received_at, dead_lettered_at)
    VALUES (${tenantId}, ${r.id}, ${r.sourceId}, ${r.kind}, ${r.account}, ${r.status}, ${r.rawBody},
      ${r.payload === undefined ? null : JSON.stringify(r.payload)}::jsonb, ${r.webhookId}, ${r.code ?? null}, ${r.detail ?? null},
      ${JSON.stringify(r.code ? [{ code: r.code, detail: r.detail ?? '' }] : [])}::jsonb, ${JSON.stringify(history)}::jsonb, ${r.at},
      ${r.status === 'dead-lettered' ? r.at : null})
    ON CONFLICT (tenant_id, source_id, webhook_id) WHERE webhook_id IS NOT NULL DO NOTHING
    RETURNING id`.execute(tx);
  if (inserted.rows[0]) return { id: inserted.rows[0].id, created: true };
  const earlier = await tx
    .selectFrom('intake_records')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('source_id', '=', r.sourceId)
    .where('webhook_id', '=', r.webhookId)
    .executeTakeFirstOrThrow();
  return { id: earlier.id, created: false };
}

export async function findRecord(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<IntakeRecord | undefined> {
  const row = await db
    .selectFrom('intake_records')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? recordFromRow(row as Row) : undefined;
}

export interface RecordFilter {
  sourceId?: string;
  status?: IntakeStatus;
  code?: string;
}

export async function listRecordPage(
  db: Executor,
  tenantId: string,
  filter: RecordFilter,
  limit: number,
  after?: { r: string; s: number },
): Promise<{ items: IntakeRecord[]; next: { r: string; s: number } | null }> {
  let q = db.selectFrom('intake_records').selectAll().where('tenant_id', '=', tenantId);
  if (filter.sourceId) q = q.where('source_id', '=', filter.sourceId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.code) q = q.where('code', '=', filter.code);
  if (after) q = q.where(sql<boolean>`(received_at, seq) < (${after.r}::timestamptz, ${after.s})`);
  const rows = await q
    .orderBy('received_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map((r) => recordFromRow(r as Row));
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    items,
    next: last ? { r: new Date(last.received_at).toISOString(), s: Number(last.seq) } : null,
  };
}

/** Every open dead letter (and record waiting for a retry) matching the filter, for impact ordering. */
export async function listOpenFailures(
  db: Executor,
  tenantId: string,
  filter: RecordFilter,
  cap: number,
): Promise<IntakeRecord[]> {
  let q = db.selectFrom('intake_records').selectAll().where('tenant_id', '=', tenantId);
  q = filter.status
    ? q.where('status', '=', filter.status)
    : q.where('status', 'in', ['dead-lettered', 'retrying']);
  if (filter.sourceId) q = q.where('source_id', '=', filter.sourceId);
  if (filter.code) q = q.where('code', '=', filter.code);
  const rows = await q.orderBy('received_at').limit(cap).execute();
  return rows.map((r) => recordFromRow(r as Row));
}

/** Ids of the dead letters a bulk replay takes, oldest first. */
export async function deadLetterIds(
  db: Executor,
  tenantId: string,
  filter: { sourceId?: string; code?: string },
): Promise<string[]> {
  let q = db
    .selectFrom('intake_records')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'dead-lettered');
  if (filter.sourceId) q = q.where('source_id', '=', filter.sourceId);
  if (filter.code) q = q.where('code', '=', filter.code);
  return (await q.orderBy('seq').execute()).map((r) => r.id);
}

/** The record that imported this channel order (for a duplicate's `duplicateOf`). */
export async function findImportingRecord(
  db: Executor,
  tenantId: string,
  orderId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('intake_records')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .where('status', '=', 'imported')
    .where('duplicate_of', 'is', null)
    .executeTakeFirst();
  return row?.id ?? null;
}
