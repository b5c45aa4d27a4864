/** Idempotency keys (API.md §7.8): scope = tenant + key, kept ≥ 24 h, fingerprint = method + path + body. */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

export const KEEP_HOURS = 24;
/** A 'running' claim older than this was left by a crashed process and may be taken over. */
const ABANDONED_MINUTES = 5;

export type Claim =
  | { kind: 'claimed' }
  | {
      kind: 'replay';
      statusCode: number;
      headers: Record<string, string>;
      body: unknown;
      /** The change an apply answered with; the replay answers it as it is now. */
      changeId: string | null;
    }
  | { kind: 'reused' }
  | { kind: 'in-use' };

export async function claimKey(
  db: Kysely<DB>,
  tenantId: string,
  key: string,
  fingerprint: string,
): Promise<Claim> {
  // Expired or abandoned claims are replaced in the same statement that claims the key.
  const inserted = await sql<{ key: string }>`
    INSERT INTO idempotency_keys (tenant_id, key, fingerprint, state) VALUES (${tenantId}, ${key}, ${fingerprint}, 'running')
    ON CONFLICT (tenant_id, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, state = 'running', created_at = now(),
      status_code = NULL, headers = NULL, body = NULL, change_id = NULL
    WHERE idempotency_keys.created_at < now() - make_interval(hours => ${KEEP_HOURS})
       OR (idempotency_keys.state = 'running' AND idempotency_keys.created_at < now() - make_interval(mins => ${ABANDONED_MINUTES}))
    RETURNING key`.execute(db);
  if (inserted.rows.length) return { kind: 'claimed' };
  const row = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return claimKey(db, tenantId, key, fingerprint);
  if (row.fingerprint !== fingerprint) return { kind: 'reused' };
  if (row.state === 'running') return { kind: 'in-use' };
  return {
    kind: 'replay',
    statusCode: row.status_code ?? 200,
    headers: (row.headers as Record<string, string>) ?? {},
    body: row.body,
    changeId: row.change_id,
  };
}

export async function completeKey(
  db: Kysely<DB>,
  tenantId: string,
  key: string,
  answer: { statusCode: number; headers: Record<string, string>; body: unknown },
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({
      state: 'done',
      status_code: answer.statusCode,
      headers: JSON.stringify(answer.headers),
      body: JSON.stringify(answer.body),
    })
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .execute();
}

/** A 5xx is not kept: the client may retry with the same key. */
export async function releaseKey(db: Kysely<DB>, tenantId: string, key: string): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .where('state', '=', 'running')
    .execute();
}
