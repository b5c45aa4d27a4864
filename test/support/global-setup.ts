/** Once per test run: a migrated PostgreSQL template that every test file clones (graphile-worker's way). */
import pg from 'pg';
import { createDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { ADMIN_URL, DB_PREFIX, ENGINES, TEMPLATE_DB, urlFor } from './engines.js';

export default async function setup(): Promise<void> {
  if (!ENGINES.includes('postgres')) return;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    // Leftovers of an interrupted run are dropped; nothing depends on them.
    const stale = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
      [`${DB_PREFIX}\\_x%`, TEMPLATE_DB],
    );
    for (const { datname } of stale.rows)
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  const handle = await createDatabase({ databaseUrl: urlFor(TEMPLATE_DB), poolSize: 1 });
  await migrate(handle.db);
  await handle.close();
}
