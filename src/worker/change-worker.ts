/**
 * The change worker (API.md §7.4): takes the next change due, first of its order's queue, with a
 * lease; plans it on the current order; calls the payment gateway with keys derived from the change;
 * then plans again under the order lock and commits in one transaction. A declined payment rejects
 * the change, an unreachable gateway is retried with backoff until the tenant's budget is spent; in
 * both cases every successful call is reversed first, so the order and the money stay as they were.
 * A worker that dies mid-change loses its lease; the next one finds the calls already made by their
 * keys, so nothing is charged twice.
 */
import { randomBytes } from 'node:crypto';
import {
  claimNext,
  findStoredChange,
  gatewayCallsOf,
  markReversed,
  nextDueInMs,
  recordGatewayCall,
  releaseLeases,
  type StoredChange,
} from '../db/change-queue.js';
import { commitChange, commitPayload } from '../db/changes.js';
import { findOrderHead, lockOrder, paymentSettlement } from '../db/orders.js';
import type { Change } from '../domain/change/change.js';
import { appliedOutcome, outcomeOf, retryDelayMs, step } from '../domain/change/lifecycle.js';
import { planChange } from '../domain/change/plan-change.js';
import type { ChangePlan, ChangeRequest } from '../domain/change/types.js';
import type { ErrorCode } from '../domain/errors.js';
import { isKnownReason } from '../domain/settings.js';
import type { Order } from '../domain/order.js';
import { changeEvents } from '../app/change-events.js';
import { loadForChange } from '../app/change-context.js';
import { moveChange, requesterOf, StaleChangeError } from '../app/change-lifecycle.js';
import { publicPlan } from '../domain/change/change.js';
import type { Actor, Deps } from '../app/deps.js';
import { REVERSAL, gatewayKey, type GatewayAction } from '../integrations/payments/gateway.js';
import { RefusedError } from '../app/refused-error.js';

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
const samePayments = (a: PaymentCall[], b: PaymentCall[]) =>
  JSON.stringify(a.filter(movesMoney)) === JSON.stringify(b.filter(movesMoney));

export class ChangeWorker {
  private running = false;
  private loops: Promise<void>[] = [];
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
    for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.loop(i));
    return this;
  }

  /**
   * Stops claiming and waits for the changes in hand; after `graceMs` (a shutdown's budget) it gives
   * their leases back instead, so another worker takes them at once — the gateway's idempotency keys
   * make the calls already made safe to make again.
   */
  async stop(graceMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.running = false;
    this.deps.signals.workQueued(); // wake the sleepers
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

  private async loop(i: number): Promise<void> {
    const token = `${this.token}_${i}`;
    while (this.running) {
      let worked = false;
      const mark = this.deps.signals.mark('work');
      try {
        worked = await this.workOne(token);
      } catch (err) {
        this.deps.log.error(
          { err },
          'change worker: unexpected failure (the lease expires and the change is taken again)',
        );
        await sleep(this.options.idleMs);
      }
      if (!worked && this.running) {
        const due = await nextDueInMs(this.deps.db).catch(() => null);
        await this.deps.signals.next(
          'work',
          Math.min(this.options.idleMs, due ?? this.options.idleMs),
          mark,
        );
      }
    }
  }

  /** Claims and works one change; false when none was due. */
  async workOne(token: string): Promise<boolean> {
    const claim = await claimNext(this.deps.db, token, this.options.leaseMs);
    if (!claim) return false;
    const stored = await findStoredChange(this.deps.db, claim.tenantId, claim.id);
    if (!stored || stored.state.leaseToken !== token) return true;
    try {
      await this.work(stored, token);
    } catch (err) {
      if (err instanceof StaleChangeError) return true; // someone else moved it (canceled, or a lease taken over)
      throw err;
    }
    return true;
  }

  private leaseState(stored: StoredChange, token: string) {
    return {
      leaseToken: token,
      leaseUntil: new Date(Date.now() + this.options.leaseMs).toISOString(),
      attempts: stored.state.attempts,
      gatewayGeneration: stored.state.gatewayGeneration,
    };
  }

  private async work(claimed: StoredChange, token: string): Promise<void> {
    const { deps } = this;
    const actor = await requesterOf(deps, claimed.tenantId, claimed.change.requestedBy);
    let stored = claimed;
    if (stored.change.status === 'validated') {
      const order = await findOrderHead(deps.db, stored.tenantId, stored.change.orderId);
      if (!order) throw new Error(`order ${stored.change.orderId} vanished`);
      const expected = stored.state.expectedVersion;
      if (expected !== null && expected !== order.version) {
        await this.finish(
          stored,
          token,
          'rejected',
          'ORDER_VERSION_MISMATCH',
          `The change expected version ${expected}; when its turn came the order was at version ${order.version}.`,
        );
        return;
      }
      const change = await moveChange(
        deps,
        stored,
        this.token,
        [{ status: 'applying', cause: 'dequeued' }],
        {},
        { leaseToken: token, state: this.leaseState(stored, token) },
      );
      stored = { ...stored, change };
    }
    const request: ChangeRequest = {
      operations: stored.change.operations,
      app: stored.change.requestedBy.app,
      ...(stored.change.reason ? { reason: stored.change.reason } : {}),
    };
    const loaded = await loadForChange(deps.db, deps, actor, stored.change.orderId, request);
    const planned = planChange(loaded.order, request, loaded.ctx);
    if (!planned.ok) {
      const error = new RefusedError(planned.refusals);
      await this.finish(
        stored,
        token,
        'rejected',
        error.code,
        planned.refusals.map((r) => r.detail).join(' '),
      );
      return;
    }
    const calls = planned.value.payments.filter(movesMoney);
    const made = await gatewayCallsOf(deps.db, stored.tenantId, stored.change.id);
    for (const call of calls) {
      const key = gatewayKey(
        stored.change.id,
        call.paymentId,
        call.action as GatewayAction,
        stored.state.gatewayGeneration,
      );
      if (made.some((m) => m.key === key && m.status === 'succeeded')) continue;
      const payment = loaded.order.payments.find((p) => p.id === call.paymentId);
      const result = await deps.gateway.call({
        tenantId: stored.tenantId,
        key,
        paymentId: call.paymentId,
        method: call.method,
        action: call.action as GatewayAction,
        amount: Math.abs(call.amount),
        currency: loaded.order.currency,
        settledByApi: payment?.settledByApi ?? false,
        timeoutMs: actor.settings.payments.callTimeoutMs,
      });
      if (result.outcome === 'succeeded') {
        await recordGatewayCall(deps.db, stored.tenantId, stored.change.id, {
          key,
          paymentId: call.paymentId,
          method: call.method,
          action: call.action,
          amount: Math.abs(call.amount),
          reference: result.reference,
        });
        continue;
      }
      if (result.outcome === 'declined') {
        await this.finish(stored, token, 'rejected', 'PAYMENT_DECLINED', result.detail);
        return;
      }
      const attempts = stored.state.attempts + 1;
      const budget = actor.settings.payments.retryBudget;
      if (attempts > budget) {
        await this.finish(
          stored,
          token,
          'failed',
          'CHANGE_FAILED_AFTER_RETRIES',
          `The payment provider could not be reached in ${attempts} attempts (${result.detail}); every call was reversed and the order is unchanged.`,
        );
        return;
      }
      const delay = retryDelayMs(actor.settings.payments.retryBaseMs, attempts, Math.random());
      // Still applying, and still first of its order's queue; the lease is given back until the retry is due.
      const retrying = {
        code: 'GATEWAY_UNAVAILABLE',
        detail: `${result.detail} Attempt ${attempts} of ${budget + 1}; the next in ${delay} ms.`,
        nextStep: 'Nothing to do yet: Amend retries by itself.',
      };
      await moveChange(
        deps,
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
      deps.log.warn(
        { changeId: stored.change.id, attempts, delay, detail: result.detail },
        'payment gateway unreachable: retry scheduled (GATEWAY_UNAVAILABLE)',
      );
      return;
    }
    await this.options.afterGatewayCalls?.(stored.change);
    await this.commit(stored, token, actor, request, calls);
  }

  /** Plans again under the order lock and commits; anything but a clean commit reverses the calls. */
  private async commit(
    stored: StoredChange,
    token: string,
    actor: Actor,
    request: ChangeRequest,
    calls: PaymentCall[],
  ): Promise<void> {
    const { deps } = this;
    for (let attempt = 0; attempt < 3; attempt++) {
      const outcome = await deps.db.transaction().execute(async (tx) => {
        await lockOrder(tx, stored.tenantId, stored.change.orderId);
        const loaded = await loadForChange(tx, deps, actor, stored.change.orderId, request, true);
        const planned = planChange(loaded.order, request, loaded.ctx);
        if (!planned.ok) return { refused: new RefusedError(planned.refusals) };
        if (!samePayments(planned.value.payments, calls)) return { moved: true as const };
        const plan = planned.value;
        const after: Order = { ...plan.after, version: loaded.order.version + 1 };
        const now = deps.clock().toISOString();
        const applied: Change = {
          ...stored.change,
          status: 'applied',
          orderVersion: after.version,
          plan: publicPlan(plan),
          updatedAt: now,
          outcome: appliedOutcome(after.version),
          transitions: [
            ...stored.change.transitions,
            step('applied', now, this.token, calls.length ? 'payment-confirmed' : 'dequeued'),
          ],
        };
        const reasonCode =
          request.reason?.code && isKnownReason(actor.settings, 'change', request.reason.code)
            ? request.reason.code
            : null;
        const result = await commitChange(
          tx,
          commitPayload({
            tenantId: stored.tenantId,
            before: loaded.order,
            after,
            baseRevision: loaded.revision,
            change: applied,
            audit: plan.auditEntries,
            reasonCode,
            events: changeEvents(deps, applied, after, plan, ['CHANGE_APPLIED']),
            guard: { status: 'applying', leaseToken: token },
            state: {
              expectedVersion: stored.state.expectedVersion,
              gatewayGeneration: stored.state.gatewayGeneration,
            },
          }),
        );
        return { result, change: applied };
      });
      if ('refused' in outcome && outcome.refused) {
        await this.finish(
          stored,
          token,
          'rejected',
          outcome.refused.code,
          outcome.refused.refusals.map((r) => r.detail).join(' '),
        );
        return;
      }
      if ('moved' in outcome) {
        // The order moved between the calls and the commit (a fulfilment move): reverse and plan afresh.
        await this.finish(
          stored,
          token,
          'rejected',
          'ORDER_VERSION_MISMATCH',
          'The order changed while its payment was being adjusted; the payment was reversed. Retry the change.',
        );
        return;
      }
      if (outcome.result === 'ok') {
        deps.signals.changeMoved(stored.change.id);
        deps.metrics.changeMoved(outcome.change);
        return;
      }
      if (outcome.result === 'stale') return; // the lease went to another worker, which finishes the change
      if (outcome.result === 'not-found')
        throw new Error(`order ${stored.change.orderId} vanished`);
      // revision or stock conflict under the lock: try again
    }
    await this.finish(
      stored,
      token,
      'rejected',
      'INSUFFICIENT_STOCK',
      'The stock this change needs was taken by another order.',
    );
  }

  /** Ends a change that did not apply: every successful gateway call is reversed first. */
  private async finish(
    stored: StoredChange,
    token: string,
    status: 'rejected' | 'failed',
    code: ErrorCode,
    detail: string,
  ): Promise<void> {
    const reversedAll = await this.compensate(stored);
    const note = reversedAll
      ? ''
      : ' A reversal could not be made yet: the payment needs a manual check.';
    await moveChange(
      this.deps,
      stored,
      this.token,
      [{ status, cause: code }],
      {
        outcome: outcomeOf(
          code,
          detail + note,
          stored.change.requestedBy,
          stored.change.operations,
        ),
      },
      { leaseToken: token, state: { gatewayGeneration: stored.state.gatewayGeneration } },
    );
  }

  private async compensate(stored: StoredChange): Promise<boolean> {
    const { deps } = this;
    const made = (await gatewayCallsOf(deps.db, stored.tenantId, stored.change.id)).filter(
      (c) => c.status === 'succeeded',
    );
    if (!made.length) return true;
    const actor = await requesterOf(deps, stored.tenantId, stored.change.requestedBy);
    const settled = await paymentSettlement(deps.db, stored.tenantId, stored.change.orderId);
    const order = await findOrderHead(deps.db, stored.tenantId, stored.change.orderId);
    if (!order) throw new Error(`order ${stored.change.orderId} vanished`);
    let all = true;
    for (const call of made) {
      const budget = actor.settings.payments.retryBudget;
      let reversed = false;
      for (let n = 0; n <= budget && !reversed; n++) {
        if (n > 0) await sleep(retryDelayMs(actor.settings.payments.retryBaseMs, n, Math.random()));
        const result = await deps.gateway.call({
          tenantId: stored.tenantId,
          key: `${call.key}:reversal`,
          paymentId: call.paymentId,
          method: call.method,
          action: REVERSAL[call.action as GatewayAction],
          amount: call.amount,
          currency: order.currency,
          reverses: call.key,
          settledByApi: settled.get(call.paymentId) ?? false,
          timeoutMs: actor.settings.payments.callTimeoutMs,
        });
        reversed = result.outcome === 'succeeded';
      }
      if (reversed) await markReversed(deps.db, stored.tenantId, call.key);
      else {
        all = false;
        deps.log.error(
          { changeId: stored.change.id, key: call.key },
          'a gateway call could not be reversed',
        );
      }
    }
    return all;
  }
}
