/** Order sources (INTAKE.md §2): one row per source, the tenant's built-in `amend` source among them. */
import { sql, type Kysely } from 'kysely';
import type { ValidationSettings } from '../domain/intake/profile.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../domain/intake/record.js';
import {
  BUILT_IN_SOURCE_ID,
  type Source,
  type SourceKind,
  type StoredCredentials,
} from '../domain/intake/source.js';
import type { DB, SourcesTable } from './schema.js';

type Executor = Kysely<DB>;

export interface StoredSource {
  tenantId: string;
  source: Source;
  credentials: StoredCredentials;
}

type Row = Omit<SourcesTable, 'enabled' | 'created_at' | 'updated_at'> & {
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
};

function fromRow(row: Row): StoredSource {
  return {
    tenantId: row.tenant_id,
    credentials: row.credentials as StoredCredentials,
    source: {
      id: row.id,
      kind: row.kind as SourceKind,
      name: row.name,
      enabled: row.enabled,
      channel: row.channel,
      validation: row.validation as Partial<ValidationSettings>,
      accounts: row.accounts as Source['accounts'],
      skuMap: row.sku_map as Record<string, string>,
      expectedIntervalSeconds: row.expected_interval_seconds,
      retry: { ...DEFAULT_RETRY, ...(row.retry as Partial<RetryPolicy>) },
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    },
  };
}

const columns = (s: Source, credentials: StoredCredentials) => ({
  kind: s.kind,
  name: s.name,
  enabled: s.enabled,
  channel: s.channel,
  credentials: JSON.stringify(credentials),
  validation: JSON.stringify(s.validation),
  accounts: JSON.stringify(s.accounts),
  sku_map: JSON.stringify(s.skuMap),
  expected_interval_seconds: s.expectedIntervalSeconds,
  retry: JSON.stringify(s.retry),
});

/** The tenant's built-in canonical source, created the first time a tenant needs it. */
export async function ensureBuiltInSource(db: Executor, tenantId: string): Promise<void> {
  await sql`INSERT INTO sources (tenant_id, id, kind, name, channel, validation)
    VALUES (${tenantId}, ${BUILT_IN_SOURCE_ID}, 'amend', 'Amend API (POST /v1/orders)', 'amend', '{"profile": "strict"}'::jsonb)
    ON CONFLICT (tenant_id, id) DO NOTHING`.execute(db);
}

export async function insertSource(
  db: Executor,
  tenantId: string,
  source: Source,
  credentials: StoredCredentials,
): Promise<boolean> {
  const rows = await db
    .insertInto('sources')
    .values({ tenant_id: tenantId, id: source.id, ...columns(source, credentials) })
    .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
    .returning('id')
    .execute();
  return rows.length === 1;
}

export async function updateSource(
  db: Executor,
  tenantId: string,
  source: Source,
  credentials: StoredCredentials,
): Promise<void> {
  await db
    .updateTable('sources')
    .set({ ...columns(source, credentials), updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', source.id)
    .execute();
}

export async function findSource(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<StoredSource | undefined> {
  const row = await db
    .selectFrom('sources')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? fromRow(row as Row) : undefined;
}

/** Every tenant's source of that id: the intake endpoint finds the tenant by the credentials. */
export async function findSourcesById(db: Executor, id: string): Promise<StoredSource[]> {
  const rows = await db.selectFrom('sources').selectAll().where('id', '=', id).execute();
  return rows.map((r) => fromRow(r as Row));
}

export async function listSources(db: Executor, tenantId: string): Promise<StoredSource[]> {
  const rows = await db
    .selectFrom('sources')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('id')
    .execute();
  return rows.map((r) => fromRow(r as Row));
}

/** Every enabled source of every tenant, for /metrics. */
export async function listAllSources(db: Executor): Promise<StoredSource[]> {
  const rows = await db
    .selectFrom('sources')
    .selectAll()
    .orderBy('tenant_id')
    .orderBy('id')
    .execute();
  return rows.map((r) => fromRow(r as Row));
}
