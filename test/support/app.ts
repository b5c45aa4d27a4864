/** A Fastify app over a fresh database with the fixture loaded; `inject()` makes HTTP tests cheap. */
import type { Deps } from '../../src/app/deps.js';
import { randomId, silentLogger } from '../../src/app/deps.js';
import { buildApp, type App } from '../../src/http/app.js';
import { freshDatabase, type TestDatabase } from './db.js';
import type { TestEngine } from './engines.js';
import { KEYS, seedFixture } from './fixture.js';

export interface TestContext { app: App; deps: Deps; database: TestDatabase; close(): Promise<void> }

export async function createTestContext(engine: TestEngine, opts: { demoMode?: boolean; fixture?: boolean } = {}): Promise<TestContext> {
  const database = await freshDatabase(engine);
  if (opts.fixture !== false) await seedFixture(database.db);
  const deps: Deps = { db: database.db, engine: database.engine, clock: () => new Date(), ids: randomId, log: silentLogger, demoMode: opts.demoMode ?? false };
  const app = await buildApp(deps);
  await app.ready();
  return { app, deps, database, close: async () => { await app.close(); await database.drop(); } };
}

export const auth = (key: string = KEYS.admin) => ({ authorization: `Bearer ${key}` });
