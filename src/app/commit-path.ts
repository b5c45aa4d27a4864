/**
 * lock → load → plan → commit: the one path by which a planned change reaches the database, used by
 * the request path (changes.ts) and the change worker alike. The first attempt plans on an unlocked
 * read and commits in one statement that compare-and-swaps the order's revision and re-counts the
 * changes; a conflict plans again under the order's and the stock's locks, where nothing can move.
 */
import { createHash } from 'node:crypto';
import { commitChange, commitPayload, type CommitInput, type CommitResult } from '../db/changes.js';
import { linePositionsAfter } from '../db/commit-rows.js';
import { lockOrder, orderRevision } from '../db/orders.js';
import { planChange } from '../domain/change/plan-change.js';
import { needsFullStock } from '../domain/change/stock-scope.js';
import type { ChangePlan, ChangeRequest } from '../domain/change/types.js';
import type { Result } from '../domain/result.js';
import { loadForChange, type Loaded, type LoadOptions } from './change-context.js';
import type { Actor, Deps } from './deps.js';
import { asStored, forgetOrder, rememberOrder } from './order-cache.js';

/** What to write for a plan (less what the load gives: order before, revision, positions, counts). */
export type CommitWrite = Omit<
  CommitInput,
  'tenantId' | 'before' | 'baseRevision' | 'linePositions' | 'counts'
> & {
  /** Re-count the changes under the lock (a change that joins the count: not a mere status move). */
  counted?: boolean;
};

export type CommitStep<T> = { write: CommitWrite; answer: T } | { write: null; answer: T };

export interface Committed<T> {
  /** 'none': the step wrote nothing. */
  result: CommitResult | 'none';
  answer: T;
  loaded: Loaded;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Ids for what a plan creates (lines, pick jobs, labels), drawn from the order and its revision:
 * a preview and the apply on the same revision plan the same ids, so their plans are equal; a
 * commit moves the revision, so ids never repeat.
 */
export function planIds(tenantId: string, orderId: string, revision: number) {
  let n = 0;
  return (prefix: string): string => {
    const digest = createHash('sha256')
      .update(`${tenantId}\u0000${orderId}\u0000${revision}\u0000${prefix}\u0000${n++}`)
      .digest();
    let out = '';
    for (let i = 0; i < 16; i++) out += ALPHABET[(digest[i] as number) % 32];
    return `${prefix}_${out}`;
  };
}

/** The load and the plan, as preview, apply and the worker all make it. */
export async function loadAndPlan(
  db: Deps['db'],
  deps: Deps,
  actor: Actor,
  orderId: string,
  request: ChangeRequest,
  opts: LoadOptions = {},
): Promise<{ loaded: Loaded; planned: Result<ChangePlan> }> {
  const plan = async (o: LoadOptions) => {
    const loaded = await loadForChange(db, deps, actor, orderId, request, o);
    loaded.ctx.nextId = planIds(actor.tenantId, loaded.order.id, loaded.revision);
    return { loaded, planned: planChange(loaded.order, request, loaded.ctx) };
  };
  const first = await plan(opts);
  const { stockScope } = first.loaded;
  return stockScope && needsFullStock(stockScope, first.loaded.order, first.planned)
    ? plan({ ...opts, fullStock: true })
    : first;
}

export async function commitPlanned<T>(
  deps: Deps,
  actor: Actor,
  orderId: string,
  request: ChangeRequest,
  step: (
    loaded: Loaded,
    planned: Result<ChangePlan>,
    /** The executor of this attempt (the transaction when locked): use it, never the pool. */
    db: Deps['db'],
  ) => CommitStep<T> | Promise<CommitStep<T>>,
  opts: {
    changeId?: string | null;
    attempts?: number;
    /** A load and plan made already (the worker's, before its gateway calls): the first attempt commits it. */
    first?: { loaded: Loaded; planned: Result<ChangePlan> };
    /** The first attempt may plan on the order as this process last committed it (order-cache.ts). */
    cached?: boolean;
  } = {},
): Promise<Committed<T>> {
  const attempts = opts.attempts ?? 3;
  const tenantId = actor.tenantId;
  /** One attempt's outcome, with what the order cache should learn from it once it is committed. */
  type Attempt = Committed<T> & { write?: Omit<CommitWrite, 'counted'> };
  let last: Attempt | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const locked = attempt > 0;
    const run = async (db: Deps['db'], cached: boolean): Promise<Attempt | 'stale-read'> => {
      const { loaded, planned } =
        attempt === 0 && opts.first
          ? opts.first
          : await loadAndPlan(db, deps, actor, orderId, request, {
              lock: locked,
              changeId: opts.changeId ?? null,
              cached,
            });
      // Only a write of the order compares the revision at commit; anything else decided on the
      // cached order (a refusal, a change that waits) stands only if the order is still that one.
      const current = async () => (await orderRevision(db, tenantId, orderId)) === loaded.revision;
      let s: CommitStep<T>;
      try {
        s = await step(loaded, planned, db);
      } catch (err) {
        if (loaded.fromCache && !(await current())) return 'stale-read';
        throw err;
      }
      if (loaded.fromCache && !s.write?.after && !(await current())) return 'stale-read';
      if (!s.write) return { result: 'none', answer: s.answer, loaded };
      const { counted, ...write } = s.write;
      const payload = commitPayload({
        ...write,
        tenantId,
        before: loaded.order,
        baseRevision: loaded.revision,
        linePositions: loaded.linePositions,
        // A cached order's counts may be behind (a change that waits moves no revision): re-counted.
        ...(counted || loaded.fromCache ? { counts: loaded.counts } : {}),
      });
      return { result: await commitChange(db, payload), answer: s.answer, loaded, write };
    };
    if (locked) {
      last = (await deps.db.transaction().execute(async (tx) => {
        await lockOrder(tx, tenantId, orderId);
        return run(tx, false);
      })) as Attempt;
    } else {
      const tried = await run(deps.db, attempt === 0 && opts.cached === true);
      last = (tried === 'stale-read' ? await run(deps.db, false) : tried) as Attempt;
    }
    // Learnt only now that the attempt's transaction has committed.
    if (last.write) remember(deps, tenantId, orderId, last.loaded, last.write, last.result);
    if (last.result !== 'revision-conflict' && last.result !== 'stock-conflict') return last;
  }
  return last as Committed<T>;
}

/** What the order cache knows after a commit: the order as written, or nothing it can trust. */
function remember(
  deps: Deps,
  tenantId: string,
  orderId: string,
  loaded: Loaded,
  write: Omit<CommitWrite, 'counted'>,
  result: CommitResult | 'none',
): void {
  if (result !== 'ok' || !write.after) {
    // A change that waits counts without moving the revision; a conflict means another writer.
    if (result !== 'not-found') forgetOrder(deps.db, tenantId, orderId);
    return;
  }
  const status = write.change.status;
  rememberOrder(deps.db, tenantId, {
    order: asStored(loaded.order, write.after),
    revision: loaded.revision + 1,
    linePositions: linePositionsAfter(write.after, loaded.linePositions),
    counts: {
      changes: loaded.counts.changes + (status === 'rejected' ? 0 : 1),
      applied: loaded.counts.applied + (status === 'applied' ? 1 : 0),
    },
  });
}
