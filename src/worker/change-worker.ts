/**
 * The change worker (API.md §7.4): claims the next change due, first of its order's queue, with a
 * lease (and reads it in the same statement); plans it on the current order; records the gateway calls
 * it is about to make together with the move to `applying`; calls the gateway with keys derived from the
 * change; then commits the plan it made through the one commit path (its revision checked, re-planned
 * under the lock on a conflict). Four round trips for a money-moving change when nothing conflicts.
 * A declined payment rejects the change, an unreachable gateway is retried with backoff until the
 * tenant's budget is spent, a commit that fails for good fails the change: in each case every call is
 * reversed first (compensation.ts). A worker that dies mid-change loses its lease; the next one makes
 * the same calls with the same keys, and the gateway answers them with their first answer.
 */
import { randomBytes } from 'node:crypto';
import {
  claimNext,
  nextDueInMs,
  releaseLeases,
  settleGatewayCall,
  type StoredChange,
} from '../db/change-queue.js';
import type { GatewayCallWrite } from '../db/commit-payload.js';
import type { Change } from '../domain/change/change.js';
import { retryDelayMs } from '../domain/change/lifecycle.js';
import type { ChangePlan, ChangeRequest } from '../domain/change/types.js';
import { moveChange, requesterOf, StaleChangeError } from '../app/change-lifecycle.js';
import { commitPlanned, loadAndPlan } from '../app/commit-path.js';
import type { Deps } from '../app/deps.js';
import { RefusedError } from '../app/refused-error.js';
import { gatewayKey, type GatewayAction } from '../integrations/payments/gateway.js';
import { appliedCommit } from './applied-commit.js';
import { endUnapplied } from './compensation.js';
import { isTransient } from './failures.js';
import { callGateway } from './gateway-run.js';
import { IdleLoops } from './idle-loops.js';

export interface WorkerOptions {
  /** Changes worked at once by this worker. */
  concurrency: number;
  /** How long a claimed change stays this worker's without a word from it. */
  leaseMs: number;
  /** Longest sleep when idle (other processes may queue work). */
  idleMs: number;
  /** Tests only: called after the gateway calls and before the commit (a crash there must charge nothing twice). */
  afterGatewayCalls?: (change: Change) => Promise<void> | void;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  concurrency: 4,
  leaseMs: 30_000,
  idleMs: 250,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type PaymentCall = ChangePlan['payments'][number];
const movesMoney = (p: PaymentCall) => p.action !== 'none';

export class ChangeWorker {
  private running = false;
  private loops: Promise<void>[] = [];
  private idle: IdleLoops | null = null;
  readonly token = `wrk_${randomBytes(6).toString('hex')}`;
  private readonly options: WorkerOptions;

  constructor(
    private readonly deps: Deps,
    options: Partial<WorkerOptions> = {},
  ) {
    this.options = { ...DEFAULT_WORKER_OPTIONS, ...options };
  }

  start(): this {
    this.running = true;
    this.idle = new IdleLoops(this.deps.signals, 'work');
    for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.loop(i, this.idle));
    return this;
  }

  /**
   * Stops claiming and waits for the changes in hand; after `graceMs` (a shutdown's budget) it gives
   * their leases back instead, so another worker takes them at once — the gateway's idempotency keys
   * make the calls already made safe to make again.
   */
  async stop(graceMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.running = false;
    this.idle?.close(); // wake the sleepers
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.all(this.loops).then(() => true),
      new Promise<boolean>((r) => {
        if (Number.isFinite(graceMs)) timer = setTimeout(() => r(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (!finished) {
      const released = await releaseLeases(this.deps.db, this.token);
      this.deps.log.warn(
        { worker: this.token, released },
        'change worker stopped with changes in hand: their leases are released for another worker',
      );
    }
    this.loops = [];
  }

  /** Works changes until none is due; for tests and `amend worker --once`. */
  async drain(): Promise<number> {
    let done = 0;
    while (await this.workOne(`${this.token}_d`)) done++;
    return done;
  }

  private async loop(i: number, idle: IdleLoops): Promise<void> {
    const token = `${this.token}_${i}`;
    let polled = false;
    while (this.running) {
      let worked = false;
      const mark = idle.mark();
      try {
        // Work found by the poller may be a burst queued elsewhere: one more loop looks too.
        worked = await this.workOne(token, () => {
          if (polled) idle.wakeOne();
        });
      } catch (err) {
        this.deps.log.error(
          { err },
          'change worker: unexpected failure (the lease expires and the change is taken again)',
        );
        await sleep(this.options.idleMs);
      }
      polled = false;
      if (!worked && this.running) {
        const woke = await idle.idle(mark, async () => {
          const due = await nextDueInMs(this.deps.db).catch(() => null);
          return Math.min(this.options.idleMs, due ?? this.options.idleMs);
        });
        polled = woke === 'polled';
      }
    }
  }

  /** Claims and works one change; false when none was due. `claimed`: told once one is claimed. */
  async workOne(token: string, claimed?: () => void): Promise<boolean> {
    const stored = await claimNext(this.deps.db, token, this.options.leaseMs);
    if (!stored) return false;
    claimed?.();
    try {
      await this.work(stored, token);
    } catch (err) {
      if (err instanceof StaleChangeError) return true; // someone else moved it (canceled, or a lease taken over)
      throw err;
    }
    return true;
  }

  /**
   * Runs a step that reads or writes the database. A database that went away comes back: the lease
   * runs out and the change is taken again. Any other failure (a value out of range, a broken
   * constraint, a bug) would fail the same way at every lease and block the order's queue for ever:
   * the change fails now, and the money it moved goes back first.
   */
  private async orFail<T>(stored: StoredChange, token: string, run: () => Promise<T>) {
    try {
      return { ok: true as const, value: await run() };
    } catch (err) {
      if (err instanceof StaleChangeError || err instanceof RefusedError || isTransient(err))
        throw err;
      this.deps.log.error({ err, changeId: stored.change.id }, 'change worker: the change failed');
      await this.end(
        stored,
        token,
        'failed',
        'CHANGE_COMMIT_FAILED',
        `The change could not be written (${String((err as Error)?.message ?? err)}).`,
      );
      return { ok: false as const };
    }
  }

  private leaseState(stored: StoredChange, token: string) {
    return {
      leaseToken: token,
      leaseUntil: new Date(Date.now() + this.options.leaseMs).toISOString(),
      attempts: stored.state.attempts,
      gatewayGeneration: stored.state.gatewayGeneration,
    };
  }

  private end(
    stored: StoredChange,
    token: string,
    status: 'rejected' | 'failed',
    code: Parameters<typeof endUnapplied>[4]['code'],
    detail: string,
  ) {
    return endUnapplied(this.deps, stored, this.token, token, { status, code, detail });
  }

  private async work(claimed: StoredChange, token: string): Promise<void> {
    const { deps } = this;
    const actor = await requesterOf(deps, claimed.tenantId, claimed.change.requestedBy);
    let stored = claimed;
    const request: ChangeRequest = {
      operations: stored.change.operations,
      app: stored.change.requestedBy.app,
      ...(stored.change.reason ? { reason: stored.change.reason } : {}),
    };
    const loaded = await this.orFail(stored, token, () =>
      loadAndPlan(deps.db, deps, actor, stored.change.orderId, request, {
        changeId: stored.change.id,
      }),
    );
    if (!loaded.ok) return;
    const first = loaded.value;
    const expected = stored.state.expectedVersion;
    if (
      stored.change.status === 'validated' &&
      expected !== null &&
      expected !== first.loaded.order.version
    ) {
      await this.end(
        stored,
        token,
        'rejected',
        'ORDER_VERSION_MISMATCH',
        `The change expected version ${expected}; when its turn came the order was at version ${first.loaded.order.version}.`,
      );
      return;
    }
    if (!first.planned.ok) {
      const error = new RefusedError(first.planned.refusals);
      const detail = first.planned.refusals.map((r) => r.detail).join(' ');
      await this.end(stored, token, 'rejected', error.code, detail);
      return;
    }
    const calls = first.planned.value.payments.filter(movesMoney);
    const keyOf = (call: PaymentCall) =>
      gatewayKey(
        stored.change.id,
        call.paymentId,
        call.action as GatewayAction,
        stored.state.gatewayGeneration,
      );
    const pending: GatewayCallWrite[] = calls.map((call) => ({
      key: keyOf(call),
      payment_id: call.paymentId,
      method: call.method,
      action: call.action,
      amount: Math.abs(call.amount),
      status: 'pending',
      reference: null,
    }));
    // The calls are recorded before they are made (with the move to applying): whatever happens
    // next, compensation knows what to reverse.
    if (stored.change.status === 'validated' || pending.length) {
      const moves =
        stored.change.status === 'validated'
          ? [{ status: 'applying' as const, cause: 'dequeued' }]
          : [];
      const change = await moveChange(
        deps,
        stored,
        this.token,
        moves,
        {},
        {
          leaseToken: token,
          state: this.leaseState(stored, token),
          gatewayCalls: pending,
        },
      );
      stored = { ...stored, change };
    }
    const made: GatewayCallWrite[] = [];
    for (const [i, call] of calls.entries()) {
      const result = await callGateway(deps, actor, first.loaded.order, call, keyOf(call));
      if (result.outcome === 'succeeded') {
        made.push({
          ...(pending[i] as GatewayCallWrite),
          status: 'succeeded',
          reference: result.reference,
        });
        continue;
      }
      if (result.outcome === 'declined') {
        await settleGatewayCall(deps.db, stored.tenantId, keyOf(call), 'declined');
        await this.end(stored, token, 'rejected', 'PAYMENT_DECLINED', result.detail);
        return;
      }
      const attempts = stored.state.attempts + 1;
      const budget = actor.settings.payments.retryBudget;
      if (attempts > budget) {
        await this.end(
          stored,
          token,
          'failed',
          'CHANGE_FAILED_AFTER_RETRIES',
          `The payment provider could not be reached in ${attempts} attempts (${result.detail}).`,
        );
        return;
      }
      await this.retryLater(stored, token, attempts, budget, result.detail);
      return;
    }
    await this.options.afterGatewayCalls?.(stored.change);
    const done = await this.orFail(stored, token, () =>
      commitPlanned(
        deps,
        actor,
        stored.change.orderId,
        request,
        (loaded, planned) =>
          appliedCommit(deps, { stored, token, calls, made, loaded, planned, actor }),
        { changeId: stored.change.id, first },
      ),
    );
    if (!done.ok) return;
    const committed = done.value;
    const answer = committed.answer;
    if (committed.result === 'ok') {
      deps.signals.changeMoved(
        stored.change.id,
        answer.kind === 'applied' ? answer.change : undefined,
      );
      if (answer.kind === 'applied') deps.metrics.changeMoved(answer.change);
      return;
    }
    if (committed.result === 'stale') return; // the lease went to another worker, which finishes the change
    if (committed.result === 'not-found')
      throw new Error(`order ${stored.change.orderId} vanished`);
    if (answer.kind === 'refused')
      await this.end(stored, token, 'rejected', answer.error.code, answer.detail);
    else if (answer.kind === 'moved')
      // The order moved between the calls and the commit (a fulfilment move): reverse and plan afresh.
      await this.end(
        stored,
        token,
        'rejected',
        'ORDER_VERSION_MISMATCH',
        'The order changed while its payment was being adjusted. Retry the change.',
      );
    else
      await this.end(
        stored,
        token,
        'rejected',
        'INSUFFICIENT_STOCK',
        'The stock this change needs was taken by another order.',
      );
  }

  /** Still applying, and still first of its order's queue; the lease is given back until the retry is due. */
  private async retryLater(
    stored: StoredChange,
    token: string,
    attempts: number,
    budget: number,
    detail: string,
  ) {
    const actor = await requesterOf(this.deps, stored.tenantId, stored.change.requestedBy);
    const delay = retryDelayMs(actor.settings.payments.retryBaseMs, attempts, Math.random());
    const retrying = {
      code: 'GATEWAY_UNAVAILABLE',
      detail: `${detail} Attempt ${attempts} of ${budget + 1}; the next in ${delay} ms.`,
      nextStep: 'Nothing to do yet: Amend retries by itself.',
    };
    await moveChange(
      this.deps,
      stored,
      this.token,
      [],
      { outcome: retrying },
      {
        leaseToken: token,
        state: {
          attempts,
          nextAttemptAt: new Date(Date.now() + delay).toISOString(),
          gatewayGeneration: stored.state.gatewayGeneration,
        },
      },
    );
    this.deps.log.warn(
      { changeId: stored.change.id, attempts, delay, detail },
      'payment gateway unreachable: retry scheduled (GATEWAY_UNAVAILABLE)',
    );
  }
}
