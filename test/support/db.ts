/** A fresh, migrated database per test file, on either engine. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import type { RoundTripObserver } from '../../src/db/observed-dialect.js';
import { ADMIN_URL, DB_PREFIX, TEMPLATE_DB, urlFor, type TestEngine } from './engines.js';

export interface TestDatabase extends DatabaseHandle {
  url?: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function freshDatabase(
  engine: TestEngine,
  poolSize = 10,
  onRoundTrip?: RoundTripObserver,
): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const handle = await createDatabase({ onRoundTrip });
    await migrate(handle.db);
    return { ...handle, drop: () => handle.close() };
  }
  const name = `${DB_PREFIX}_x${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DB}"`));
  const url = urlFor(name);
  const handle = await createDatabase({ databaseUrl: url, poolSize, onRoundTrip });
  return {
    ...handle,
    url,
    drop: async () => {
      await handle.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
