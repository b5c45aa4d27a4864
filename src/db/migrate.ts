/**
 * Plain-SQL, forward-only migrations from ./migrations, applied in file-name order on start.
 * Each applied file's checksum is kept; a file that changed after it was applied stops the start.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './database.js';

export class MigrationChangedError extends Error {
  constructor(readonly file: string) {
    super(
      `migration ${file} was changed after it was applied; migrations are forward-only: add a new file instead`,
    );
  }
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = migrationsDir()): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const text = readFileSync(`${dir}/${name}`, 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

/** migrations/ sits at the repository root, both from src/ (tests) and from dist/src/ (built). */
export function migrationsDir(): string {
  const here = fileURLToPath(import.meta.url);
  const root = here.includes('/dist/src/') ? here.split('/dist/src/')[0] : here.split('/src/')[0];
  return `${root}/migrations`;
}

// A fixed key so that two processes starting at once do not both migrate.
const MIGRATION_LOCK_KEY = 4_242_001;

export async function migrate(db: Database, files = readMigrations()): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(
        conn,
      );
      const applied = new Map(
        (await conn.selectFrom('schema_migrations').select(['name', 'checksum']).execute()).map(
          (row) => [row.name, row.checksum],
        ),
      );
      for (const [name, checksum] of applied) {
        const file = files.find((f) => f.name === name);
        if (file && file.checksum !== checksum) throw new MigrationChangedError(name);
      }
      const done: string[] = [];
      for (const file of files.filter((f) => !applied.has(f.name))) {
        await conn.transaction().execute(async (tx) => {
          await sql.raw(file.sql).execute(tx);
          await tx
            .insertInto('schema_migrations')
            .values({ name: file.name, checksum: file.checksum })
            .execute();
        });
        done.push(file.name);
      }
      return done;
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

/** For /readyz: every migration file is applied. */
export async function pendingMigrations(db: Database, files = readMigrations()): Promise<string[]> {
  const rows = await db
    .selectFrom('schema_migrations')
    .select('name')
    .execute()
    .catch(() => []);
  const applied = new Set(rows.map((r) => r.name));
  return files.filter((f) => !applied.has(f.name)).map((f) => f.name);
}
