/** One gateway call of a change, with the key derived from the change (a retry repeats the key). */
import type { Actor, Deps } from '../app/deps.js';
import type { ChangePlan } from '../domain/change/types.js';
import type { Order } from '../domain/order.js';
import type { GatewayAction, GatewayResult } from '../integrations/payments/gateway.js';

export function callGateway(
  deps: Deps,
  actor: Actor,
  order: Order,
  call: ChangePlan['payments'][number],
  key: string,
): Promise<GatewayResult> {
  const payment = order.payments.find((p) => p.id === call.paymentId);
  return deps.gateway.call({
    tenantId: actor.tenantId,
    key,
    paymentId: call.paymentId,
    method: call.method,
    action: call.action as GatewayAction,
    amount: Math.abs(call.amount),
    currency: order.currency,
    settledByApi: payment?.settledByApi ?? false,
    timeoutMs: actor.settings.payments.callTimeoutMs,
  });
}
