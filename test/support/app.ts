/** A Fastify app over a fresh database with the fixture loaded; `inject()` makes HTTP tests cheap. */
import type { Deps } from '../../src/app/deps.js';
import { makeDeps } from '../../src/app/deps.js';
import { buildApp, type App, type BuildOptions } from '../../src/http/app.js';
import { TargetGuard } from '../../src/integrations/webhooks/target-guard.js';
import { ChangeWorker, type WorkerOptions } from '../../src/worker/change-worker.js';
import { ResponseContract } from './response-contract.js';
import { freshDatabase, type TestDatabase } from './db.js';
import type { TestEngine } from './engines.js';
import { anImport, KEYS, seedFixture } from './fixture.js';
import type { ImportRequest } from '../../src/domain/import-order.js';

export interface TestContext {
  app: App;
  deps: Deps;
  database: TestDatabase;
  worker: ChangeWorker | null;
  close(): Promise<void>;
}

/** `worker: false` leaves changes queued (a test then works them with its own workers). */
export async function createTestContext(
  engine: TestEngine,
  opts: {
    demoMode?: boolean;
    fixture?: boolean;
    worker?: boolean | Partial<WorkerOptions>;
    /** Default: public addresses and 127.0.0.1 (the tests' receivers). */
    webhookGuard?: TargetGuard;
    build?: BuildOptions;
    vtexPrefix?: string;
  } = {},
): Promise<TestContext> {
  const database = await freshDatabase(engine);
  if (opts.fixture !== false) await seedFixture(database.db);
  const deps: Deps = makeDeps({
    db: database.db,
    engine: database.engine,
    demoMode: opts.demoMode ?? false,
    webhookGuard: opts.webhookGuard ?? localWebhooks(),
  });
  const contract = { current: undefined as ResponseContract | undefined };
  const app = await buildApp(deps, {
    ...opts.build,
    vtexPrefix: opts.vtexPrefix ?? '',
    instrument: (instance) => {
      contract.current = new ResponseContract(instance);
      contract.current.install();
    },
  });
  await app.ready();
  const worker =
    opts.worker === false
      ? null
      : new ChangeWorker(deps, {
          concurrency: 2,
          idleMs: 50,
          ...(typeof opts.worker === 'object' ? opts.worker : {}),
        }).start();
  return {
    app,
    deps,
    database,
    worker,
    close: async () => {
      await worker?.stop();
      await app.close();
      await database.drop();
      const violations = contract.current?.violations ?? [];
      if (violations.length)
        throw new Error(`answers that break /openapi.json:\n  ${violations.join('\n  ')}`);
    },
  };
}

export const auth = (key: string = KEYS.admin) => ({ authorization: `Bearer ${key}` });

/** An order imported through POST /v1/orders (the fixture's, with `overrides`): its JSON answer. */
export async function importAnOrder(ctx: TestContext, overrides: Partial<ImportRequest> = {}) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: auth(KEYS.integration),
    payload: anImport(overrides),
  });
  if (res.statusCode !== 201) throw new Error(`import answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

/** The tests' receivers listen on 127.0.0.1, which a server allows only when told (WEBHOOK_ALLOW_HOSTS). */
export const localWebhooks = () => new TargetGuard(['127.0.0.1']);
