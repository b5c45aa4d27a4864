/**
 * The payment gateway port (API.md §7.4). A value increase is an additional authorization (nothing
 * captured yet) or capture; a decrease is a smaller authorization or a refund. Every call carries an
 * idempotency key derived from the change, so a retry or a restart never moves money twice: the
 * gateway answers a known key with its first answer.
 */
export type GatewayAction = 'authorize' | 'capture' | 'refund' | 'reduce-authorization';

export interface GatewayCall {
  tenantId: string;
  key: string;
  paymentId: string;
  method: string;
  action: GatewayAction;
  /** Minor units, > 0. */
  amount: number;
  currency: string;
  settledByApi: boolean;
  /** The key of the call this one reverses (compensation), if any. */
  reverses?: string;
  timeoutMs: number;
}

export type GatewayResult =
  | { outcome: 'succeeded'; reference: string }
  | { outcome: 'declined'; detail: string }
  | { outcome: 'timeout' | 'unavailable'; detail: string };

export interface PaymentGateway {
  readonly name: string;
  call(call: GatewayCall): Promise<GatewayResult>;
}

/** The action that undoes another. */
export const REVERSAL: Record<GatewayAction, GatewayAction> = {
  authorize: 'reduce-authorization',
  'reduce-authorization': 'authorize',
  capture: 'refund',
  refund: 'capture',
};

/** `<changeId>:<paymentId>:<action>`; a later run of the same change (after its calls were reversed) adds `:<run>`. */
export function gatewayKey(
  changeId: string,
  paymentId: string,
  action: GatewayAction,
  run: number,
): string {
  return run === 0
    ? `${changeId}:${paymentId}:${action}`
    : `${changeId}:${paymentId}:${action}:${run}`;
}
