/**
 * Webhook signatures (API.md §5, docs/webhooks.md), two forms on every delivery:
 * - `Amend-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>` (the secret string as key);
 * - Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
 *   `webhook-signature: v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>`, the key being
 *   the secret after `whsec_`, base64-decoded — so any Standard Webhooks library verifies it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new signing secret: `whsec_` and 32 random bytes in base64, as Standard Webhooks expects. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function signStandardWebhook(
  secret: string,
  message: { id: string; timestamp: number; body: string },
): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${message.id}.${message.timestamp}.${message.body}`;
  return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
}

/** Every signature header of one delivery. */
export function signatureHeaders(
  secret: string,
  message: { id: string; timestamp: number; body: string },
): Record<string, string> {
  return {
    'amend-timestamp': String(message.timestamp),
    'amend-signature': signWebhook(secret, message.timestamp, message.body),
    'webhook-id': message.id,
    'webhook-timestamp': String(message.timestamp),
    'webhook-signature': signStandardWebhook(secret, message),
  };
}

/** What a receiver does: recompute, compare in constant time, and refuse stale timestamps (replays). */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string; signature: string },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds)
    return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
