/**
 * The built-in payment gateway (API.md §5, §7.4): per-method capabilities, failures injected per
 * tenant and method (`PUT /v1/payment-simulator/{method}`), and a ledger that answers a repeated
 * idempotency key with its first answer, across restarts (it lives in the database).
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/database.js';
import { openCall, recordLedger } from '../../db/payment-simulator.js';
import type { GatewayCall, GatewayResult, PaymentGateway } from './gateway.js';

/** Methods that can take more money after checkout; the rest (bank slip, instant transfer, gift card) cannot. */
export const SIMULATOR_INCREASE_METHODS: ReadonlySet<string> = new Set([
  'credit-card',
  'promissory',
  'cash',
  'credit-control',
]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function capabilityRefusal(call: GatewayCall): string | null {
  if (call.reverses) return null; // undoing our own call is always possible
  const increase = call.action === 'authorize' || call.action === 'capture';
  if (increase && !SIMULATOR_INCREASE_METHODS.has(call.method))
    return `${call.method} cannot take an increase.`;
  if (!increase && call.settledByApi)
    return `Payment ${call.paymentId} was settled directly by API; it cannot go down.`;
  return null;
}

export function simulatorGateway(db: Database): PaymentGateway {
  return {
    name: 'simulator',
    async call(call: GatewayCall): Promise<GatewayResult> {
      const { known, failure, latencyMs, reversedOutcome } = await openCall(
        db,
        call.tenantId,
        call.key,
        call.method,
        call.reverses ?? null,
      );
      if (known)
        return known.outcome === 'succeeded'
          ? { outcome: 'succeeded', reference: known.reference }
          : { outcome: 'declined', detail: known.detail ?? 'Declined.' };
      if (latencyMs > 0) await sleep(Math.min(latencyMs, call.timeoutMs));
      if (failure === 'timeout' || latencyMs > call.timeoutMs)
        return {
          outcome: 'timeout',
          detail: `The ${call.method} provider did not answer within ${call.timeoutMs} ms.`,
        };
      if (failure === 'unavailable')
        return {
          outcome: 'unavailable',
          detail: `The ${call.method} provider answered 503 Service Unavailable.`,
        };
      // Reversing a call the provider never took (its answer was lost before it got there) moves nothing.
      const nothing = call.reverses !== undefined && reversedOutcome !== 'succeeded';
      const refusal =
        failure === 'decline'
          ? `The ${call.method} provider declined ${call.action} of ${call.amount}.`
          : capabilityRefusal(call);
      const entry = await recordLedger(db, call.tenantId, {
        key: call.key,
        paymentId: call.paymentId,
        method: call.method,
        action: call.action,
        amount: nothing ? 0 : call.amount,
        outcome: refusal ? 'declined' : 'succeeded',
        reference: `sim_${randomBytes(8).toString('hex')}`,
        detail: refusal,
      });
      return entry.outcome === 'succeeded'
        ? { outcome: 'succeeded', reference: entry.reference }
        : { outcome: 'declined', detail: entry.detail ?? 'Declined.' };
    },
  };
}
