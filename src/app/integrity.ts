/**
 * Integrity in the server (issue 12): the checks of `amend verify` (verify.ts) run in the server's own
 * process — on a schedule (worker/integrity-checker.ts), on demand (POST /v1/integrity-checks), and
 * once when the KPIs find no run yet — so the KPI figure never waits for someone to run the CLI, and
 * on PGlite no second process needs to open the data folder. One run at a time per process.
 */
import { latestVerifyRun, type StoredVerifyRun } from '../db/verify-runs.js';
import type { Actor, Deps } from './deps.js';
import { recordVerifyRun, verifyIntegrity, type VerifyResult } from './verify.js';

const running = new WeakMap<object, Promise<VerifyResult>>();

/** Runs every check over every tenant and records the run; joins the run already under way. */
export function checkIntegrityNow(deps: Deps): Promise<VerifyResult> {
  const current = running.get(deps.db);
  if (current) return current;
  const run = (async () => {
    const started = Date.now();
    const result = await verifyIntegrity(deps);
    await recordVerifyRun(deps, result);
    deps.log.info(
      { orders: result.orders, violations: result.violations.length, ms: Date.now() - started },
      'integrity check finished',
    );
    return result;
  })().finally(() => running.delete(deps.db));
  running.set(deps.db, run);
  return run;
}

/** The caller's tenant's figures of a run just made. */
export async function checkIntegrityFor(deps: Deps, actor: Actor): Promise<StoredVerifyRun> {
  await checkIntegrityNow(deps);
  return (await latestVerifyRun(deps.db, actor.tenantId)) ?? emptyRun(deps);
}

/** The last run's figures for the caller's tenant; a first run is made when there is none. */
export async function lastIntegrityRun(deps: Deps, actor: Actor): Promise<StoredVerifyRun> {
  return (await latestVerifyRun(deps.db, actor.tenantId)) ?? checkIntegrityFor(deps, actor);
}

/** A tenant created after the run (no row yet) has nothing checked. */
const emptyRun = (deps: Deps): StoredVerifyRun => ({
  id: 'none',
  at: deps.clock().toISOString(),
  ordersChecked: 0,
  findings: 0,
  violations: [],
});
