/**
 * Ending a change that did not apply (issue 12 point 1): every gateway call it made — or may have
 * made: a call whose answer never came is 'pending' — is reversed first, a reversal whose result is
 * unknown is retried with backoff, and the outcome says what is true: all reversed, or which payment
 * needs a manual check ('unresolved': no answer, or the provider refused; counted by `amend verify`).
 */
import { openGatewayCalls, settleGatewayCall, type StoredChange } from '../db/change-queue.js';
import { findOrderHead, paymentSettlement } from '../db/orders.js';
import { outcomeOf, retryDelayMs } from '../domain/change/lifecycle.js';
import type { ErrorCode } from '../domain/errors.js';
import { moveChange, requesterOf } from '../app/change-lifecycle.js';
import type { Deps } from '../app/deps.js';
import { REVERSAL, type GatewayAction } from '../integrations/payments/gateway.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Compensation {
  /** Calls that were (or may have been) made. */
  made: number;
  /** Payments whose reversal never got a known answer. */
  unresolved: string[];
}

/** What the outcome says about the money, true in every case. */
export function moneyNote(c: Compensation): string {
  if (c.made === 0) return ' No payment was moved; the order is unchanged.';
  if (c.unresolved.length === 0)
    return ' Every payment call it made was reversed; the order is unchanged.';
  const one = c.unresolved.length === 1;
  return ` The reversal of ${one ? 'payment' : 'payments'} ${c.unresolved.join(', ')} could not be confirmed: check ${one ? 'it' : 'them'} with the provider (amend verify lists ${one ? 'it' : 'them'}).`;
}

export async function compensate(
  deps: Deps,
  stored: StoredChange,
  opts: { retryBaseMs?: number } = {},
): Promise<Compensation> {
  const made = await openGatewayCalls(deps.db, stored.tenantId, stored.change.id);
  if (!made.length) return { made: 0, unresolved: [] };
  const actor = await requesterOf(deps, stored.tenantId, stored.change.requestedBy);
  const settled = await paymentSettlement(deps.db, stored.tenantId, stored.change.orderId);
  const order = await findOrderHead(deps.db, stored.tenantId, stored.change.orderId);
  const budget = actor.settings.payments.retryBudget;
  const base = opts.retryBaseMs ?? actor.settings.payments.retryBaseMs;
  const unresolved: string[] = [];
  for (const call of made) {
    let answer: 'reversed' | 'refused' | null = null;
    for (let n = 0; n <= budget && answer === null; n++) {
      if (n > 0) await sleep(retryDelayMs(base, n, Math.random()));
      const result = await deps.gateway.call({
        tenantId: stored.tenantId,
        key: `${call.key}:reversal`,
        paymentId: call.paymentId,
        method: call.method,
        action: REVERSAL[call.action as GatewayAction],
        amount: call.amount,
        currency: order?.currency ?? 'EUR',
        reverses: call.key,
        settledByApi: settled.get(call.paymentId) ?? false,
        timeoutMs: actor.settings.payments.callTimeoutMs,
      });
      // A declined reversal is final, and leaves the money moved: a person has to settle it.
      if (result.outcome === 'succeeded') answer = 'reversed';
      else if (result.outcome === 'declined') answer = 'refused';
    }
    const reversed = answer === 'reversed';
    await settleGatewayCall(
      deps.db,
      stored.tenantId,
      call.key,
      reversed ? 'reversed' : 'unresolved',
    );
    if (!reversed) {
      unresolved.push(call.paymentId);
      deps.log.error(
        { changeId: stored.change.id, key: call.key },
        answer === 'refused'
          ? 'the provider refused to reverse a gateway call'
          : 'a gateway call could not be reversed: its result is unknown',
      );
    }
  }
  return { made: made.length, unresolved };
}

/** Reverses what the change moved, then ends it rejected or failed with its code: its queue moves on. */
export async function endUnapplied(
  deps: Deps,
  stored: StoredChange,
  byToken: string,
  leaseToken: string,
  end: { status: 'rejected' | 'failed'; code: ErrorCode; detail: string },
): Promise<void> {
  const money = await compensate(deps, stored);
  await moveChange(
    deps,
    stored,
    byToken,
    [{ status: end.status, cause: end.code }],
    {
      outcome: outcomeOf(
        end.code,
        end.detail + moneyNote(money),
        stored.change.requestedBy,
        stored.change.operations,
      ),
    },
    { leaseToken, state: { gatewayGeneration: stored.state.gatewayGeneration } },
  );
}
