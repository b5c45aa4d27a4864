/**
 * createDatabase(config): Kysely over a PostgreSQL server (DATABASE_URL) or the embedded PGlite
 * (a data folder, or memory). Both engines parse int8 to a JS number and `date` to 'YYYY-MM-DD'
 * identically, so no caller sees which one it got.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Dialect, type Transaction } from 'kysely';
import pg from 'pg';
import { lockDataFolder } from './data-folder-lock.js';
import { observedDialect, type RoundTripObserver } from './observed-dialect.js';
import { PGliteDialect } from './pglite-dialect.js';
import { PreparingClient } from './prepared.js';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;
export type Tx = Transaction<DB>;
export type Engine = 'postgres' | 'pglite';

/** A lock the transaction waits for longer than this fails it (lock_not_available), instead of hanging. */
export async function setLockTimeout(tx: Tx, ms: number): Promise<void> {
  await sql.raw(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(ms))}`).execute(tx);
}

export interface DatabaseConfig {
  /** postgres://… for a server; absent → PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data folder, locked for this process while open (data-folder-lock.ts); absent → in memory. */
  dataDir?: string | undefined;
  poolSize?: number;
  /** Told every statement sent (one call, one round trip): tests count them. */
  onRoundTrip?: RoundTripObserver | undefined;
}

export interface DatabaseHandle {
  db: Database;
  engine: Engine;
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;

/** One parser per shared type (STYLE.md: drivers differ; int8 is a string in pg, a number elsewhere). */
export function parseInt8(value: string | number | bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new RangeError(`int8 value ${String(value)} is beyond the safe integer range`);
  return n;
}

const parsers: Record<number, (value: string) => unknown> = {
  [INT8]: parseInt8,
  [DATE]: (value: string) => value,
};

const observed = (dialect: Dialect, config: DatabaseConfig) =>
  config.onRoundTrip ? observedDialect(dialect, config.onRoundTrip) : dialect;

export async function createDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: config.poolSize ?? 20,
      Client: PreparingClient,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          parsers[oid] ??
          pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    // An idle connection the server closed (a restart, an administrator) must not bring the process down:
    // the pool drops that client and opens a new one when it is needed.
    pool.on('error', () => undefined);
    const db = new Kysely<DB>({ dialect: observed(new PostgresDialect({ pool }), config) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  let unlock = async () => undefined as void;
  if (config.dataDir) {
    mkdirSync(config.dataDir, { recursive: true });
    unlock = await lockDataFolder(config.dataDir);
  }
  try {
    const pglite = new PGlite(config.dataDir ?? 'memory://', { parsers });
    await pglite.waitReady;
    const db = new Kysely<DB>({ dialect: observed(new PGliteDialect(pglite), config) });
    return {
      db,
      engine: 'pglite',
      close: async () => {
        await db.destroy();
        await unlock();
      },
    };
  } catch (err) {
    await unlock();
    throw err;
  }
}

/** One round trip that touches nothing (readiness). */
export async function ping(db: Database): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
