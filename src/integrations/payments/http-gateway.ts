/**
 * A payment gateway over HTTP (protocol in docs/payment-gateway.md): one POST per call to
 * `<GATEWAY_URL>/payment-calls` with the call as JSON and its key in `Idempotency-Key`.
 * 2xx `{ "status": "succeeded", "reference" }` → succeeded; 402 or 422 → declined (`detail`);
 * any other status, a network error or no answer within the timeout → retried by the worker.
 */
import type { GatewayCall, GatewayResult, PaymentGateway } from './gateway.js';

export function httpGateway(baseUrl: string, token?: string): PaymentGateway {
  const url = `${baseUrl.replace(/\/$/, '')}/payment-calls`;
  return {
    name: 'http',
    async call(call: GatewayCall): Promise<GatewayResult> {
      const { timeoutMs: _timeout, ...body } = call;
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': call.key,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(call.timeoutMs),
        });
      } catch (err) {
        const timedOut = (err as Error).name === 'TimeoutError';
        return {
          outcome: timedOut ? 'timeout' : 'unavailable',
          detail: timedOut
            ? `The gateway did not answer within ${call.timeoutMs} ms.`
            : `The gateway could not be reached (${(err as Error).message}).`,
        };
      }
      const answer = (await response.json().catch(() => ({}))) as {
        status?: string;
        reference?: string;
        detail?: string;
      };
      if (response.ok && answer.status === 'succeeded' && answer.reference)
        return { outcome: 'succeeded', reference: answer.reference };
      if (response.status === 402 || response.status === 422 || answer.status === 'declined')
        return {
          outcome: 'declined',
          detail: answer.detail ?? `The gateway declined (${response.status}).`,
        };
      return { outcome: 'unavailable', detail: `The gateway answered ${response.status}.` };
    },
  };
}
